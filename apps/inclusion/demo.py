"""Demo records of this app (used by ``manage.py demo_setup`` only)."""

from __future__ import annotations

from django.contrib.auth.models import User


def demo_load(*, actor: User, seed: str) -> None:
    """Plausible records for one district, made through the services; idempotent."""
