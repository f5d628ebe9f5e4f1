"""Normal forms used for matching: names without accents or case, document numbers and
phones without separators."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9A-Z]")
_NON_DIGIT = re.compile(r"\D")
_SPACES = re.compile(r"\s+")


def name_key(text: str) -> str:
    """'José  ÑAÑEZ' -> 'jose nanez' (accent- and case-insensitive matching)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def document_number_key(number: str) -> str:
    """'v-12.345 678' -> 'V12345678'."""
    return _NON_ALNUM.sub("", name_key(number).upper())


def phone_key(phone: str) -> str:
    """'+51 987-654-321' -> '51987654321'."""
    return _NON_DIGIT.sub("", phone or "")
