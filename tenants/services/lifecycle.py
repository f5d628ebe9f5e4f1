"""Suspending, archiving and reactivating a district. Data is never deleted."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.models import District

logger = logging.getLogger(__name__)


def _district_status_set(*, district: District, status: District.Status) -> District:
    with transaction.atomic():
        locked = District.objects.select_for_update().get(pk=district.pk)
        previous = locked.status
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    logger.info("district status: schema=%s %s -> %s", locked.schema_name, previous, status)
    return locked


def district_suspend(*, district: District) -> District:
    """The workspace becomes read-only, with a banner saying so."""
    if district.status == District.Status.ARCHIVED:
        raise ValidationError(_("An archived district cannot be suspended; reactivate it first."))
    return _district_status_set(district=district, status=District.Status.SUSPENDED)


def district_archive(*, district: District) -> District:
    """The workspace answers 410 Gone; its schema and data are kept."""
    return _district_status_set(district=district, status=District.Status.ARCHIVED)


def district_reactivate(*, district: District) -> District:
    return _district_status_set(district=district, status=District.Status.ACTIVE)
