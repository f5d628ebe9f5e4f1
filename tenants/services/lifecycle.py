"""Suspending, archiving and reactivating a district. Data is never deleted."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.models import District

logger = logging.getLogger(__name__)


def _district_status_set(
    *, district: District, status: District.Status, archive_at: datetime | None = None
) -> District:
    with transaction.atomic():
        locked = District.objects.select_for_update().get(pk=district.pk)
        previous = locked.status
        locked.status = status
        locked.archive_at = archive_at
        locked.save(update_fields=["status", "archive_at", "updated_at"])
    logger.info("district status: schema=%s %s -> %s", locked.schema_name, previous, status)
    return locked


def district_suspend(*, district: District) -> District:
    """The workspace becomes read-only, with a banner saying so."""
    if district.status == District.Status.ARCHIVED:
        raise ValidationError(_("An archived district cannot be suspended; reactivate it first."))
    return _district_status_set(district=district, status=District.Status.SUSPENDED)


def district_archive(*, district: District) -> District:
    """The workspace answers 410 Gone; its schema and data are kept."""
    return _district_status_set(
        district=district, status=District.Status.ARCHIVED, archive_at=timezone.now()
    )


def district_offboard(*, district: District, grace_days: int = 0) -> District:
    """Close a workspace: read-only for ``grace_days`` (so the district can take its
    records), then archived. With no grace period it is archived at once."""
    if grace_days < 0:
        raise ValidationError(_("The grace period cannot be negative."))
    if grace_days == 0:
        return district_archive(district=district)
    return _district_status_set(
        district=district,
        status=District.Status.SUSPENDED,
        archive_at=timezone.now() + timedelta(days=grace_days),
    )


def district_reactivate(*, district: District) -> District:
    return _district_status_set(district=district, status=District.Status.ACTIVE)
