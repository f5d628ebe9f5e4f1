"""The RUC (Registro Único de Contribuyentes) of SUNAT: 11 digits, a type prefix and a
modulo-11 check digit."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

# 10: natural person; 15, 16, 17: special cases (non-domiciled, SUNAT-assigned); 20: company.
RUC_PREFIXES = ("10", "15", "16", "17", "20")
_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_SEPARATORS = re.compile(r"[\s.\-]")

RUC_LENGTH_MESSAGE = gettext_lazy("A RUC has 11 digits.")
RUC_PREFIX_MESSAGE = gettext_lazy("A RUC starts with 10, 15, 16, 17 or 20.")
RUC_CHECK_DIGIT_MESSAGE = gettext_lazy(
    "This RUC is not valid: its last digit does not match the others. Check it on the "
    "taxpayer's RUC card."
)


def ruc_normalise(value: str) -> str:
    """'20 131-312.955' -> '20131312955' (separators people type are dropped)."""
    return _SEPARATORS.sub("", value or "")


def ruc_check_digit(first_ten: str) -> int:
    remainder = sum(int(d) * w for d, w in zip(first_ten, _WEIGHTS, strict=True)) % 11
    return (11 - remainder) % 10


def ruc_validate(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` (normalised) is a well-formed RUC."""
    if len(value) != 11 or not value.isdigit():
        raise ValidationError(RUC_LENGTH_MESSAGE, code="ruc_length")
    if value[:2] not in RUC_PREFIXES:
        raise ValidationError(RUC_PREFIX_MESSAGE, code="ruc_prefix")
    if ruc_check_digit(value[:10]) != int(value[10]):
        raise ValidationError(RUC_CHECK_DIGIT_MESSAGE, code="ruc_check_digit")
