"""Reads on accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from apps.accounts.roles import ROLE_LABELS, DistrictRole, PlatformRole
from apps.accounts.tokens import invitation_token_generator


def user_for_invitation(*, uidb64: str, token: str) -> User | None:
    """The invited user when the link is valid (not used, not expired), else None."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None or not user.is_active or user.has_usable_password():
        return None  # deactivated since the invitation, or already accepted
    if not invitation_token_generator.check_token(user, token):
        return None
    return user


def user_roles(user: User) -> list[str]:
    """Human labels of the user's roles in the current schema."""
    labels = []
    for name in user.groups.values_list("name", flat=True):
        role: DistrictRole | PlatformRole | None = None
        if name in DistrictRole._value2member_map_:
            role = DistrictRole(name)
        elif name in PlatformRole._value2member_map_:
            role = PlatformRole(name)
        labels.append(str(ROLE_LABELS[role]) if role else name)
    return labels
