"""Onboarding a district: one service for the command now and the admin web form later.

Everything happens in one database transaction (PostgreSQL's DDL is transactional):
district row, domain, schema (tables plus the seed: reference data and roles) and the
coordinator's invitation.
A failure at any step leaves nothing behind; the invitation e-mail leaves after commit.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from apps.accounts.roles import DistrictRole
from apps.accounts.services import Invitation, base_url_for_host, normalise_email, user_invite
from tenants.db import use_public_schema
from tenants.db_roles import as_owner, grant_district_role
from tenants.models import District, Domain, schema_name_for_slug
from tenants.schema_pool import schema_pool_refill, schema_pool_take
from tenants.schema_template import (
    district_schema_create_by_migrations,
    district_schema_create_from_snapshot,
    schema_exists,
    template_snapshot_ensure,
)

logger = logging.getLogger(__name__)

SLUG_TAKEN_MESSAGE = gettext_lazy("The slug “%(slug)s” is already used by the district %(name)s.")
UBIGEO_TAKEN_MESSAGE = gettext_lazy(
    "The ubigeo %(ubigeo)s is already used by the district %(name)s."
)
NAME_TAKEN_MESSAGE = gettext_lazy("Another district is already called “%(name)s”.")
HOST_TAKEN_MESSAGE = gettext_lazy("The address %(host)s is already used by another district.")
SCHEMA_LEFTOVER_MESSAGE = gettext_lazy(
    "A database schema %(schema)s already exists without a district; ask the platform's "
    "operators to check it before using this slug."
)
CONFLICT_MESSAGE = gettext_lazy(
    "Another onboarding changed the districts at the same time; try again."
)
EMAIL_INVALID_MESSAGE = gettext_lazy(
    "Enter a valid e-mail address for the coordinator, e.g. ana@example.org."
)


class OnboardingPath(StrEnum):
    TEMPLATE = "template"  # a pooled schema, else a replay of the template snapshot (fast)
    MIGRATIONS = "migrations"  # run every migration on an empty schema (fallback)


class SchemaSource(StrEnum):
    POOL = "pool"
    SNAPSHOT = "snapshot"
    MIGRATIONS = "migrations"


@dataclass
class OnboardingResult:
    district: District
    created: bool
    workspace_url: str
    invitation: Invitation | None = None
    seconds: float = 0.0
    schema_source: SchemaSource | None = None


def district_host(slug: str) -> str:
    return f"{slug}.{settings.PLATFORM_DOMAIN}"


def _validate(*, name: str, slug: str, ubigeo: str, coordinator_email: str) -> District:
    """Build the unsaved district and raise one ValidationError naming every bad field."""
    district = District(
        name=name.strip(), slug=slug, ubigeo=ubigeo, schema_name=schema_name_for_slug(slug)
    )
    errors: dict[str, list[str]] = {}
    try:
        district.full_clean(exclude=["schema_name"], validate_unique=False)
    except ValidationError as error:
        errors.update(
            {key: [str(m) for m in messages] for key, messages in error.message_dict.items()}
        )
    try:
        validate_email(coordinator_email)
    except ValidationError:
        errors["coordinator_email"] = [str(EMAIL_INVALID_MESSAGE)]
    if errors:
        raise ValidationError(errors)
    return district


def district_onboard(
    *,
    name: str,
    slug: str,
    ubigeo: str,
    coordinator_email: str,
    path: OnboardingPath = OnboardingPath.TEMPLATE,
    refill_pool_in_background: bool = True,
    send_invitation: bool = True,
    verbosity: int = 0,
) -> OnboardingResult:
    """Create a district with its domain, schema, reference data, roles and coordinator.

    Idempotent: if a district with this slug, name and ubigeo exists, nothing changes and
    ``created`` is False. A slug taken by another district is a ValidationError.
    """
    started = time.perf_counter()
    slug = (slug or "").strip().lower()
    coordinator_email = normalise_email(coordinator_email)
    district = _validate(name=name, slug=slug, ubigeo=ubigeo, coordinator_email=coordinator_email)

    existing = District.objects.filter(slug=slug).first()
    if existing is not None:
        return _existing_result(existing, name=district.name, ubigeo=ubigeo)
    _refuse_conflicts(district)

    snapshot = (
        template_snapshot_ensure(verbosity=verbosity) if path == OnboardingPath.TEMPLATE else None
    )
    host = district_host(slug)
    try:
        with transaction.atomic():
            district.save()
            Domain.objects.create(domain=host, tenant=district, is_primary=True)
            # The schema and its objects belong to the owner role, whatever schema the
            # caller's connection was in; then the district's own role gets its rights.
            with as_owner():
                if snapshot is None:
                    district_schema_create_by_migrations(district.schema_name, verbosity=verbosity)
                    source = SchemaSource.MIGRATIONS
                elif schema_pool_take(schema_name=district.schema_name):
                    source = SchemaSource.POOL
                else:
                    district_schema_create_from_snapshot(district.schema_name, snapshot)
                    source = SchemaSource.SNAPSHOT
                grant_district_role(district)
            # The invitation is written as the district's role, like every later request.
            with schema_context(district.schema_name):
                invitation = _coordinator_invite(district, coordinator_email, host, send_invitation)
            if refill_pool_in_background and source is not SchemaSource.MIGRATIONS:
                transaction.on_commit(lambda: schema_pool_refill(background=True))
    except IntegrityError as error:
        # Another onboarding committed the same slug, ubigeo or host first.
        existing = District.objects.filter(slug=slug).first()
        if existing is None:
            _refuse_conflicts(district)
            raise ValidationError(str(CONFLICT_MESSAGE)) from error
        return _existing_result(existing, name=district.name, ubigeo=ubigeo)
    finally:
        use_public_schema()

    result = OnboardingResult(
        district=district,
        created=True,
        workspace_url=base_url_for_host(host) + "/",
        invitation=invitation,
        seconds=time.perf_counter() - started,
        schema_source=source,
    )
    logger.info(
        "district onboarded: schema=%s source=%s seconds=%.3f",
        district.schema_name,
        source,
        result.seconds,
    )
    return result


def _coordinator_invite(
    district: District, coordinator_email: str, host: str, send_email: bool
) -> Invitation:
    """The first coordinator, inside the new schema (which already holds the seed)."""
    return user_invite(
        email=coordinator_email,
        role=DistrictRole.COORDINATOR,
        base_url=base_url_for_host(host),
        workspace_name=district.name,
        send_email=send_email,
    )


def _refuse_conflicts(district: District) -> None:
    """Refuse, with a message per field, what another district or a leftover already uses."""
    errors: dict[str, list[str]] = {}
    holder = District.objects.filter(ubigeo=district.ubigeo).first()
    if holder is not None:
        errors["ubigeo"] = [UBIGEO_TAKEN_MESSAGE % {"ubigeo": district.ubigeo, "name": holder.name}]
    # Two districts of one name could not be told apart in lists, invitations and the forum.
    if District.objects.filter(name__iexact=district.name).exists():
        errors["name"] = [NAME_TAKEN_MESSAGE % {"name": district.name}]
    host = district_host(district.slug)
    if Domain.objects.filter(domain=host).exists():
        errors.setdefault("slug", []).append(HOST_TAKEN_MESSAGE % {"host": host})
    elif schema_exists(district.schema_name):
        errors.setdefault("slug", []).append(
            SCHEMA_LEFTOVER_MESSAGE % {"schema": district.schema_name}
        )
    if errors:
        raise ValidationError(errors)


def _existing_result(existing: District, *, name: str, ubigeo: str) -> OnboardingResult:
    if existing.name != name or existing.ubigeo != ubigeo:
        raise ValidationError(
            {"slug": [SLUG_TAKEN_MESSAGE % {"slug": existing.slug, "name": existing.name}]}
        )
    return OnboardingResult(
        district=existing,
        created=False,
        workspace_url=base_url_for_host(district_host(existing.slug)) + "/",
    )
