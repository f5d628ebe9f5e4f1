"""Writes on the 5W activity rows the office types. Each validates, runs in one
transaction, leaves history rows and marks the month's joint metrics for recompute."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

import pghistory
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.activities.models import BENEFICIARY_GROUPS, PartnerActivity, Sector, SubSector
from apps.catalogue.models import Partner
from apps.metrics.dirty import district_month_changed
from apps.workspace.versioning import version_check

NO_BENEFICIARIES_MESSAGE = gettext_lazy("Count at least one beneficiary.")
MORE_THAN_TOTAL_MESSAGE = gettext_lazy(
    "Cannot be more than the %(total)d beneficiaries counted by sex and age."
)
FUTURE_MONTH_MESSAGE = gettext_lazy("The month cannot be in the future.")
SUB_SECTOR_MESSAGE = gettext_lazy("Sub-sectors belong to the Protection sector.")
CASH_VALUE_MESSAGE = gettext_lazy("Give the value of the cash assistance.")
NO_CASH_VALUE_MESSAGE = gettext_lazy("Only cash assistance has a cash value.")
POSITIVE_VALUE_MESSAGE = gettext_lazy("The value must be more than zero.")


@dataclass(frozen=True)
class ActivityInput:
    """What the 5W form asks: who, what, where, when, for whom."""

    month: date
    appealing_partner: Partner
    implementing_partner: Partner | None
    sector: str
    sub_sector: str
    indicator: str
    activity: str
    ubigeo: str
    population_group: str
    girls: int = 0
    boys: int = 0
    women: int = 0
    men: int = 0
    other: int = 0
    new_beneficiaries: int = 0
    with_disability: int = 0
    lgbtiq: int = 0
    indigenous: int = 0
    cash_assistance: bool = False
    cash_value: Decimal | None = None


def _check(data: ActivityInput) -> None:
    errors: dict[str, list[object]] = {}
    total = sum(getattr(data, group) for group in BENEFICIARY_GROUPS)
    if total == 0:
        errors["girls"] = [NO_BENEFICIARIES_MESSAGE]
    for subset in ("new_beneficiaries", "with_disability", "lgbtiq", "indigenous"):
        if getattr(data, subset) > total > 0:
            errors[subset] = [MORE_THAN_TOTAL_MESSAGE % {"total": total}]
    if data.month > timezone.localdate():
        errors["month"] = [FUTURE_MONTH_MESSAGE]
    if data.sub_sector and data.sector != Sector.PROTECTION:
        errors["sub_sector"] = [SUB_SECTOR_MESSAGE]
    if data.cash_assistance and data.cash_value is None:
        errors["cash_value"] = [CASH_VALUE_MESSAGE]
    if not data.cash_assistance and data.cash_value is not None:
        errors["cash_value"] = [NO_CASH_VALUE_MESSAGE]
    if data.cash_value is not None and data.cash_value <= 0:
        errors["cash_value"] = [POSITIVE_VALUE_MESSAGE]
    if data.sub_sector not in SubSector.values:
        errors["sub_sector"] = [SUB_SECTOR_MESSAGE]
    if errors:
        raise ValidationError(errors)


def _apply(activity: PartnerActivity, data: ActivityInput) -> None:
    for field in fields(ActivityInput):
        setattr(activity, field.name, getattr(data, field.name))
    activity.month = data.month.replace(day=1)
    activity.indicator = data.indicator.strip()
    activity.activity = data.activity.strip()


def partner_activity_record(*, actor: User, data: ActivityInput) -> PartnerActivity:
    _check(data)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        activity = PartnerActivity(created_by=actor)
        _apply(activity, data)
        activity.full_clean()
        activity.save()
        district_month_changed(activity.month)
    return activity


def partner_activity_update(
    *,
    actor: User,
    activity: PartnerActivity,
    data: ActivityInput,
    expected_version: int | None = None,
) -> PartnerActivity:
    """Change a typed 5W row, unless someone saved it since the form was loaded at
    ``expected_version`` (``RecordChangedError``, nothing written)."""
    _check(data)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        version_check(activity, expected_version)
        previous_month = activity.month
        _apply(activity, data)
        activity.full_clean()
        activity.save()
        district_month_changed(activity.month)
        if previous_month != activity.month:
            district_month_changed(previous_month)
    return activity


def partner_activity_delete(*, actor: User, activity: PartnerActivity) -> None:
    with transaction.atomic(), pghistory.context(user=actor.pk):
        month = activity.month
        activity.delete()
        district_month_changed(month)
