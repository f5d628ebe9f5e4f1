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
