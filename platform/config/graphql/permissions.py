"""Who may read what through GraphQL (the host tells public from district)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django_tenants.utils import get_public_schema_name

from apps.accounts.roles import DistrictRole, PlatformRole
from config.graphql.errors import PublicError

AUTHENTICATION_REQUIRED = "Authentication required."
NOT_ALLOWED = "Not allowed."


def request_user(info: Any) -> User:
    user = info.context.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PublicError(AUTHENTICATION_REQUIRED)
    return user


def on_public_host(info: Any) -> bool:
    tenant = getattr(info.context, "tenant", None)
    return tenant is None or tenant.schema_name == get_public_schema_name()


def _roles(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def require_joint_metrics_reader(info: Any) -> User:
    """The secretariat and platform admins on the public host; a district's coordinator
    in their own workspace (suppressed like everyone else)."""
    user = request_user(info)
    allowed = (
        {PlatformRole.SECRETARIAT, PlatformRole.PLATFORM_ADMIN}
        if on_public_host(info)
        else {DistrictRole.COORDINATOR}
    )
    if not (_roles(user) & {str(role) for role in allowed}):
        raise PublicError(NOT_ALLOWED)
    return user


def require_public_role(info: Any, *roles: PlatformRole) -> User:
    """One of ``roles`` on the platform's own host."""
    user = request_user(info)
    if not on_public_host(info) or not (_roles(user) & {str(role) for role in roles}):
        raise PublicError(NOT_ALLOWED)
    return user


def require_district_role(info: Any, *roles: DistrictRole) -> User:
    """One of ``roles`` (any district role when none is given) in a district's workspace."""
    user = request_user(info)
    if on_public_host(info):
        raise PublicError(NOT_ALLOWED)
    wanted = {str(role) for role in roles or DistrictRole}
    if not (_roles(user) & wanted):
        raise PublicError(NOT_ALLOWED)
    return user


def require_forum_reader(info: Any) -> User:
    """The forum is shared: the secretariat and platform admins on the platform's host,
    and any staff account of a district in its workspace."""
    if on_public_host(info):
        return require_public_role(info, PlatformRole.SECRETARIAT, PlatformRole.PLATFORM_ADMIN)
    return require_district_role(info)
