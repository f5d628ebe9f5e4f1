"""Tracking codes: what a complainant keeps to follow their complaint on the public page."""

from __future__ import annotations

import secrets

# Unambiguous letters and digits (no 0/O, 1/I): 32**10 codes, about 10**15.
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 10
PREFIX = "DEN"


def tracking_code_new() -> str:
    body = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return f"{PREFIX}-{body[:5]}-{body[5:]}"


def tracking_code_normalise(text: str) -> str:
    """'den-abcde fghjk' -> 'DEN-ABCDE-FGHJK'; '' when it cannot be a code."""
    letters = "".join(c for c in text.upper() if c.isalnum())
    if len(letters) == TRACKING_LENGTH + len(PREFIX) and letters.startswith(PREFIX):
        letters = letters[len(PREFIX) :]
    if len(letters) != TRACKING_LENGTH or any(c not in TRACKING_ALPHABET for c in letters):
        return ""
    return f"{PREFIX}-{letters[:5]}-{letters[5:]}"
