"""Writes on entrepreneurs and their businesses; each validates, runs in one transaction and
leaves history rows. A business's formalisation status only moves through
``business_status_record``, which keeps the dated history the figures are read from."""

from __future__ import annotations

from datetime import date, timedelta

import pghistory
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.inclusion.models import (
    NO_BUSINESS,
    STAGE_ORDER,
    Business,
    BusinessStatusChange,
    Entrepreneur,
    FormalisationStatus,
)
from apps.inclusion.ruc import ruc_normalise, ruc_validate
from apps.metrics.dirty import district_month_changed
from apps.people.models import Person
from apps.workspace.versioning import version_check

FUTURE_DATE_MESSAGE = gettext_lazy("The date cannot be in the future.")
ALREADY_ENTREPRENEUR_MESSAGE = gettext_lazy("%(name)s is already registered as an entrepreneur.")
ANONYMISED_MESSAGE = gettext_lazy(
    "This record was anonymised at the person's request; register the person again."
)
RUC_NEEDED_MESSAGE = gettext_lazy(
    "A business that has obtained its RUC needs the RUC recorded: enter it, or choose “Informal”."
)
SAME_STATUS_MESSAGE = gettext_lazy("The business is already “%(status)s”.")
BEFORE_LAST_CHANGE_MESSAGE = gettext_lazy(
    "The date cannot be before the last recorded change (%(date)s)."
)


def refuse_anonymised(person: Person, field: str | None = "person") -> None:
    """``field`` names the form field the refusal goes next to (None: above the form)."""
    if person.anonymised_on is not None:
        if field is None:
            raise ValidationError(ANONYMISED_MESSAGE)
        raise ValidationError({field: [str(ANONYMISED_MESSAGE)]})


def figures_changed_since(day: date) -> None:
    """The entrepreneurs table is a stock: a change dated ``day`` alters every month from
    that one to the current one (call inside the writing transaction)."""
    today = timezone.localdate()
    month = day.replace(day=1)
    while month <= today:
        district_month_changed(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _refuse_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: [str(FUTURE_DATE_MESSAGE)]})


def stage_refresh(entrepreneur: Entrepreneur) -> None:
    statuses = set(entrepreneur.businesses.values_list("status", flat=True))
    ranked = [status for status in STAGE_ORDER if status in statuses]
    stage = ranked[-1] if ranked else NO_BUSINESS
    if entrepreneur.stage != stage:
        entrepreneur.stage = stage
        entrepreneur.save(update_fields=["stage"])


def entrepreneur_register(
    *, actor: User, person: Person, registered_on: date | None = None
) -> Entrepreneur:
    """Register a person of the registry as an entrepreneur (once)."""
    refuse_anonymised(person)
    registered_on = registered_on or timezone.localdate()
    _refuse_future(registered_on, "registered_on")
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if Entrepreneur.objects.filter(person=locked).exists():
            raise ValidationError(
                {"person": [str(ALREADY_ENTREPRENEUR_MESSAGE % {"name": person.full_name})]},
                code="already_entrepreneur",
            )
        entrepreneur = Entrepreneur(person=locked, registered_on=registered_on, registered_by=actor)
        entrepreneur.full_clean(exclude=["person", "registered_by"])
        entrepreneur.save()
        figures_changed_since(registered_on)
    return entrepreneur


def _clean_ruc(ruc: str, status: str) -> str:
    ruc = ruc_normalise(ruc)
    if ruc:
        try:
            ruc_validate(ruc)
        except ValidationError as error:
            raise ValidationError({"ruc": error.messages}) from error
    elif status != FormalisationStatus.INFORMAL:
        raise ValidationError({"ruc": [str(RUC_NEEDED_MESSAGE)]}, code="ruc_needed")
    return ruc


def business_add(
    *,
    actor: User,
    entrepreneur: Entrepreneur,
    name: str,
    activity: str,
    ruc: str = "",
    status: FormalisationStatus | str = FormalisationStatus.INFORMAL,
    since: date | None = None,
) -> Business:
    """A business of the entrepreneur, with its first dated formalisation status."""
    refuse_anonymised(entrepreneur.person, None)
    since = since or timezone.localdate()
    _refuse_future(since, "since")
    ruc = _clean_ruc(ruc, status)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        business = Business(
            entrepreneur=entrepreneur,
            name=name.strip(),
            activity=activity.strip(),
            ruc=ruc,
            status=status,
        )
        business.full_clean(exclude=["entrepreneur"])
        business.save()
        BusinessStatusChange.objects.create(
            business=business, status=status, since=since, recorded_by=actor
        )
        stage_refresh(entrepreneur)
        # Entrepreneurs count from their registration: earlier months do not change.
        figures_changed_since(max(since, entrepreneur.registered_on))
    return business


def business_update(
    *,
    actor: User,
    business: Business,
    name: str,
    activity: str,
    ruc: str = "",
    expected_version: int | None = None,
) -> Business:
    """Name, activity and RUC; the status moves only with ``business_status_record``.
    Refused (``RecordChangedError``) if the business changed since the form was loaded at
    ``expected_version``, a status change included."""
    refuse_anonymised(business.entrepreneur.person, None)
    ruc = _clean_ruc(ruc, business.status)
    with transaction.atomic(), pghistory.context(user=actor.pk):
        version_check(business, expected_version)
        business.name, business.activity, business.ruc = name.strip(), activity.strip(), ruc
        business.full_clean(exclude=["entrepreneur"])
        business.save(update_fields=["name", "activity", "ruc"])
    return business


def business_status_record(
    *,
    actor: User,
    business: Business,
    status: FormalisationStatus | str,
    since: date,
    note: str = "",
) -> BusinessStatusChange:
    """Record that the business reached ``status`` on ``since`` (forwards or, when a licence
    or a RUC is lost, backwards). Dates go forward: an entry may not predate the last one."""
    _refuse_future(since, "since")
    with transaction.atomic(), pghistory.context(user=actor.pk):
        locked = (
            Business.objects.select_for_update().select_related("entrepreneur").get(pk=business.pk)
        )
        if status == locked.status:
            raise ValidationError(
                {
                    "status": [
                        str(SAME_STATUS_MESSAGE % {"status": FormalisationStatus(status).label})
                    ]
                }
            )
        if status != FormalisationStatus.INFORMAL and not locked.ruc:
            raise ValidationError({"status": [str(RUC_NEEDED_MESSAGE)]}, code="ruc_needed")
        last = locked.changes.order_by("-since", "-pk").first()
        if last is not None and since < last.since:
            raise ValidationError(
                {"since": [str(BEFORE_LAST_CHANGE_MESSAGE % {"date": f"{last.since:%d/%m/%Y}"})]}
            )
        change = BusinessStatusChange(
            business=locked,
            from_status=locked.status,
            status=status,
            since=since,
            note=note.strip(),
            recorded_by=actor,
        )
        change.full_clean(exclude=["business", "recorded_by"])
        change.save()
        locked.status = status
        locked.save(update_fields=["status"])
        stage_refresh(locked.entrepreneur)
        figures_changed_since(max(since, locked.entrepreneur.registered_on))
    business.status = status
    return change
