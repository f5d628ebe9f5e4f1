from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required, user_passes_test
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from apps.accounts.roles import DistrictRole, PlatformRole


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


def secretariat_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Portal pages on the platform's host: the forum secretariat and platform admins.
    Anonymous: to the login page; another account: the 403 page."""

    def check(user: Any) -> bool:
        if not user.groups.filter(
            name__in=[PlatformRole.SECRETARIAT, PlatformRole.PLATFORM_ADMIN]
        ).exists():
            raise PermissionDenied
        return True

    return login_required(user_passes_test(check)(view))


def coordinator_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """District pages acting for the district on the forum: its coordinators only."""

    def check(user: Any) -> bool:
        if not user.groups.filter(name=DistrictRole.COORDINATOR).exists():
            raise PermissionDenied
        return True

    return login_required(user_passes_test(check)(view))


def platform_admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """The platform console on the platform's host: platform admins only (the secretariat
    too gets the 403 page). Anonymous: to the login page."""

    def check(user: Any) -> bool:
        if not user.groups.filter(name=PlatformRole.PLATFORM_ADMIN).exists():
            raise PermissionDenied
        return True

    return login_required(user_passes_test(check)(view))
