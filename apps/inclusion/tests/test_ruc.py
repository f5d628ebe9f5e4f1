from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.inclusion.ruc import ruc_check_digit, ruc_normalise, ruc_validate
from apps.inclusion.tests.factories import RUC_COMPANY, RUC_PERSON


@pytest.mark.parametrize(
    "ruc",
    [RUC_COMPANY, RUC_PERSON, "20100113610", "20100053455"],
)
def test_real_rucs_pass(ruc: str) -> None:
    ruc_validate(ruc)


@pytest.mark.parametrize(
    ("ruc", "code"),
    [
        ("2013131295", "ruc_length"),  # 10 digits
        ("201313129555", "ruc_length"),
        ("2013131295A", "ruc_length"),
        ("30131312955", "ruc_prefix"),
        ("20131312954", "ruc_check_digit"),  # last digit changed
        ("20131312959", "ruc_check_digit"),
    ],
)
def test_bad_rucs_are_refused_with_a_reason(ruc: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        ruc_validate(ruc)
    assert refused.value.code == code


def test_check_digit_remainders_0_and_1_give_1_and_0() -> None:
    # 11 - 0 = 11 -> 1 and 11 - 1 = 10 -> 0 (SUNAT's rule).
    assert ruc_check_digit("1012345678") == 1
    assert ruc_check_digit("2010011361") == 0


def test_separators_people_type_are_dropped() -> None:
    assert ruc_normalise(" 20-131.312 955 ") == RUC_COMPANY
