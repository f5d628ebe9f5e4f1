"""Background jobs of accounts: the invitation e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from apps.accounts.roles import DistrictRole, PlatformRole
from apps.accounts.services import invitation_mail, invitation_url
from tenants.background import schema_task


# Invitations are made in a district's schema (its staff) or in the public one (the
# platform's), so this task runs in either: whichever schema it was queued from.
@schema_task(district_only=False)
def invitation_email_send(
    *, user_id: int, role: str, base_url: str, workspace_name: str, issued_at: int
) -> bool:
    """E-mail the invitation link issued at ``issued_at``; False when there is nobody to
    invite any more (accepted, deactivated or removed since)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    url = invitation_url(user=user, base_url=base_url, issued_at=issued_at)
    typed_role = (
        DistrictRole(role) if role in DistrictRole._value2member_map_ else PlatformRole(role)
    )
    with translation.override(settings.LANGUAGE_CODE):
        invitation_mail(email=user.email, url=url, role=typed_role, workspace_name=workspace_name)
    return True
