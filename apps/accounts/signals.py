"""Signal receivers of accounts (connected in ``AccountsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest

from apps.accounts.two_factor import SESSION_STEP_KEY, step_after_password


def two_factor_step_at_login(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """Every new login starts at the two-factor step its account needs (or none)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STEP_KEY] = step_after_password(user)
