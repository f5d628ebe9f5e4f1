from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def staff_permission_required(
    *permissions: str,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Anonymous: to the login page. Logged in without the permission: the 403 page."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return login_required(permission_required(permissions, raise_exception=True)(view))

    return decorate


def request_staff(request: HttpRequest) -> User:
    """The logged-in account of a view behind ``staff_permission_required``."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
