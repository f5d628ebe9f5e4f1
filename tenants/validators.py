"""Validation of what identifies a district: slug (a DNS label) and INEI ubigeo."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_MAX_LENGTH = 40
# A DNS label: lowercase letters, digits and inner hyphens.
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
# Host labels the platform keeps for itself or that would confuse people.
RESERVED_SLUGS = frozenset(
    {
        "www",
        "public",
        "admin",
        "api",
        "static",
        "media",
        "graphql",
        "mail",
        "smtp",
        "ftp",
        "app",
        "apps",
        "platform",
        "plataforma",
        "secretariat",
        "secretaria",
        "foro",
        "forum",
        "billing",
        "stripe",
        "webhooks",
        "status",
        "health",
        "auth",
        "login",
        "accounts",
        "docs",
        "help",
        "ayuda",
        "support",
        "soporte",
        "cdn",
        "assets",
        "ns1",
        "ns2",
        "localhost",
        "test",
        "dev",
        "staging",
        "demo-admin",
        "template",
        "tpl",
        "metrics",
    }
)
UBIGEO_PATTERN = re.compile(r"^\d{6}$")
# INEI departments are numbered 01 to 25 (Callao is 07).
UBIGEO_MAX_DEPARTMENT = 25

SLUG_RESERVED_MESSAGE = _("The name “%(slug)s” is reserved by the platform; choose another.")
SLUG_FORMAT_MESSAGE = _(
    "Use only lowercase letters without accents, digits and hyphens (not at the start or "
    "end), at most %(max)d characters, e.g. “la-perla”."
)
UBIGEO_FORMAT_MESSAGE = _("The ubigeo must be exactly six digits, e.g. 070104.")
UBIGEO_RANGE_MESSAGE = _(
    "“%(ubigeo)s” is not a valid INEI ubigeo: department 01-25, province and district not 00."
)


def validate_district_slug(value: str) -> None:
    if not SLUG_PATTERN.match(value or ""):
        raise ValidationError(
            SLUG_FORMAT_MESSAGE, code="slug_format", params={"max": SLUG_MAX_LENGTH}
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(SLUG_RESERVED_MESSAGE, code="slug_reserved", params={"slug": value})


def validate_ubigeo(value: str) -> None:
    if not UBIGEO_PATTERN.match(value or ""):
        raise ValidationError(UBIGEO_FORMAT_MESSAGE, code="ubigeo_format")
    department, province, district = int(value[:2]), int(value[2:4]), int(value[4:])
    if not (1 <= department <= UBIGEO_MAX_DEPARTMENT) or province == 0 or district == 0:
        raise ValidationError(UBIGEO_RANGE_MESSAGE, code="ubigeo_range", params={"ubigeo": value})
