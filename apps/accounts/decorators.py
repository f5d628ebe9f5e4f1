from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required


def staff_permission_required(
    *permissions: str,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Anonymous: to the login page. Logged in without the permission: the 403 page."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return login_required(permission_required(permissions, raise_exception=True)(view))

    return decorate
