"""What a platform admin does from the console. Each function calls the district service
that does the work (the same ones the management commands call) and records a
``PlatformAdminAction`` in the same transaction: an entry exists exactly when the change
does."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from apps.accounts.roles import DistrictRole
from apps.accounts.services import Invitation, base_url_for_host, normalise_email, user_invite
from tenants.console.selectors import (
    StatusChange,
    district_primary_host,
    district_status_actions,
)
from tenants.models import District, Domain, PlatformAdminAction
from tenants.schema_template import template_snapshot_ensure
from tenants.services.domains import domain_add, domain_primary_set, domain_remove
from tenants.services.lifecycle import district_archive, district_reactivate, district_suspend
from tenants.services.onboarding import OnboardingResult, district_onboard

Action = PlatformAdminAction.Action

STATUS_ACTION_REFUSED_MESSAGE = _("%(district)s cannot be %(change)s in its present state.")
INVITATION_ARCHIVED_MESSAGE = _(
    "%(district)s is archived: reactivate it before sending an invitation."
)
INVITATION_NO_COORDINATOR_MESSAGE = _(
    "%(email)s is not a coordinator of %(district)s; only their coordinators' invitations "
    "can be sent again from here."
)
INVITATION_ACCEPTED_MESSAGE = _(
    "%(email)s has already set a password; they can use “Forgot your password?” on the "
    "login page instead."
)


_STATUS_CHANGE_PAST = {
    StatusChange.SUSPEND: _("suspended"),
    StatusChange.REACTIVATE: _("reactivated"),
    StatusChange.ARCHIVE: _("archived"),
}


def _record(*, actor: User, action: str, district: District, **detail: Any) -> None:
    PlatformAdminAction.objects.create(actor=actor, action=action, district=district, detail=detail)


def console_district_onboard(
    *, actor: User, name: str, slug: str, ubigeo: str, coordinator_email: str
) -> OnboardingResult:
    """``district_onboard`` (same validation and messages as the command), recorded.

    A district that already exists with the same slug, name and ubigeo is returned
    unchanged (``created`` False) and nothing is recorded.
    """
    # Refreshing a stale template migrates and dumps outside any transaction (pg_dump reads
    # committed rows), so it runs before ours; when the snapshot is current this is one read.
    template_snapshot_ensure()
    with transaction.atomic():
        result = district_onboard(
            name=name, slug=slug, ubigeo=ubigeo, coordinator_email=coordinator_email
        )
        if result.created:
            district = result.district
            _record(
                actor=actor,
                action=Action.ONBOARD,
                district=district,
                host=district_primary_host(district),
                schema=district.schema_name,
                schema_source=str(result.schema_source or ""),
                seconds=round(result.seconds, 3),
                coordinator_email=result.invitation.email if result.invitation else "",
            )
    return result


def console_district_status_change(
    *, actor: User, district: District, change: StatusChange
) -> District:
    """Suspend (read-only), reactivate or archive (410 Gone); data is never deleted."""
    if change not in district_status_actions(district):
        raise ValidationError(
            STATUS_ACTION_REFUSED_MESSAGE
            % {"district": district.name, "change": _STATUS_CHANGE_PAST[change]}
        )
    previous = District.Status.ARCHIVED if district.is_archived else district.status
    with transaction.atomic():
        if change == StatusChange.SUSPEND:
            changed = district_suspend(district=district)
        elif change == StatusChange.ARCHIVE:
            changed = district_archive(district=district)
        else:
            changed = district_reactivate(district=district)
        _record(
            actor=actor,
            action=Action(str(change)),
            district=changed,
            previous_status=str(previous),
            status=str(changed.status),
        )
    return changed


def console_coordinator_invitation_resend(
    *, actor: User, district: District, email: str
) -> Invitation:
    """A new one-time link for a coordinator who has not set a password yet (the old link
    keeps working until it expires or one of them is used)."""
    email = normalise_email(email)
    if district.is_archived:
        raise ValidationError(INVITATION_ARCHIVED_MESSAGE % {"district": district.name})
    host = district_primary_host(district)
    with transaction.atomic():
        with schema_context(district.schema_name):
            coordinator = (
                get_user_model()
                .objects.filter(username=email, groups__name=DistrictRole.COORDINATOR)
                .first()
            )
            if coordinator is None:
                raise ValidationError(
                    INVITATION_NO_COORDINATOR_MESSAGE % {"email": email, "district": district.name}
                )
            if coordinator.has_usable_password():
                raise ValidationError(INVITATION_ACCEPTED_MESSAGE % {"email": email})
            invitation = user_invite(
                email=email,
                role=DistrictRole.COORDINATOR,
                base_url=base_url_for_host(host),
                workspace_name=district.name,
            )
        _record(
            actor=actor,
            action=Action.INVITATION_RESEND,
            district=district,
            coordinator_email=invitation.email,
            host=host,
        )
    return invitation


def console_domain_add(*, actor: User, district: District, host: str, primary: bool) -> Domain:
    with transaction.atomic():
        domain = domain_add(district=district, host=host, primary=primary)
        _record(
            actor=actor,
            action=Action.DOMAIN_ADD,
            district=district,
            host=domain.domain,
            primary=domain.is_primary,
        )
    return domain


def console_domain_primary_set(*, actor: User, domain: Domain) -> Domain:
    with transaction.atomic():
        previous = (
            Domain.objects.filter(tenant_id=domain.tenant_id, is_primary=True)
            .values_list("domain", flat=True)
            .first()
        )
        changed = domain_primary_set(domain=domain)
        _record(
            actor=actor,
            action=Action.DOMAIN_PRIMARY,
            district=changed.tenant,
            host=changed.domain,
            previous_host=previous or "",
        )
    return changed


def console_domain_remove(*, actor: User, domain: Domain) -> None:
    with transaction.atomic():
        district = domain.tenant
        domain_remove(domain=domain)
        _record(actor=actor, action=Action.DOMAIN_REMOVE, district=district, host=domain.domain)
