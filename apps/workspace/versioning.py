"""Two staff editing the same record: the second save is refused, never a silent overwrite.

Optimistic locking, one mechanism for every edit form of a district record:

- A model that staff edit inherits ``Versioned``: a ``version`` column that a database
  trigger raises by one on every UPDATE of the row, whoever makes it (a service, a bulk
  ``update()``, a merge, a script). Nothing in Python has to remember to bump it.
- The edit form carries the version it was loaded with in a hidden field
  (``carry_version``); the view hands it to the service (``loaded_version``).
- The service calls ``version_check`` first inside its transaction: the row is locked
  (``SELECT ... FOR UPDATE``, so a second save waits for the first to commit) and a
  different version raises ``RecordChangedError``; nothing is written.
- The view shows the current values again with the message and what the user had typed
  (``edit_conflict``); the new hidden version lets them save once they have reviewed.

The pghistory triggers still record each update (the version is in the event tables too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

import pgtrigger
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import class_prepared
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy

VERSION_FIELD = "record_version"

CHANGED_BY_MESSAGE = gettext_lazy(
    "Someone else changed this record while you were editing (by %(who)s at %(time)s). "
    "Your changes were not saved; review the current values and apply them again."
)
CHANGED_MESSAGE = gettext_lazy(
    "Someone else changed this record while you were editing. "
    "Your changes were not saved; review the current values and apply them again."
)
STALE_FORM_MESSAGE = gettext_lazy(
    "This form is out of date or incomplete: open the record again and redo your changes."
)


class Versioned(models.Model):
    """A record staff edit in a form: its ``version`` goes up by one with every UPDATE
    (database trigger registered below), so an edit can tell it started from old values."""

    version = models.PositiveIntegerField(
        gettext_lazy("version"), default=1, db_default=1, editable=False
    )

    class Meta:
        abstract = True


def _version_trigger() -> pgtrigger.Trigger:
    # Before the row is written, so the pghistory trigger (after) records the new version.
    return pgtrigger.Trigger(
        name="version_bump",
        when=pgtrigger.Before,
        operation=pgtrigger.Update,
        func='NEW."version" := OLD."version" + 1; RETURN NEW;',
    )


def _register_version_trigger(sender: type[models.Model], **kwargs: Any) -> None:
    """Every concrete model that inherits ``Versioned`` gets its trigger (and migrations
    for it), without each model having to declare it."""
    if issubclass(sender, Versioned) and not sender._meta.abstract and not sender._meta.proxy:
        pgtrigger.register(_version_trigger())(sender)


class_prepared.connect(_register_version_trigger)


@dataclass(frozen=True)
class LastChange:
    """Who made the change that made a form stale, and when (for the message)."""

    who: str
    at: datetime


class RecordChangedError(ValidationError):
    """The record's version is not the one the form was loaded with.

    A ``ValidationError`` so that a view which does not handle it specially still refuses
    with the message on top of its form; the edit views show the current values too."""

    def __init__(self, last_change: LastChange | None = None) -> None:
        self.last_change = last_change
        if last_change is None:
            message = str(CHANGED_MESSAGE)
        else:
            local = timezone.localtime(last_change.at)
            message = str(CHANGED_BY_MESSAGE % {"who": last_change.who, "time": f"{local:%H:%M}"})
        super().__init__(message, code="record_changed")


def _last_change(record: models.Model) -> LastChange | None:
    """The latest update in the record's history (pghistory events), if it keeps one."""
    events = getattr(record, "events", None)
    if events is None:
        return None
    event = events.select_related("pgh_context").order_by("-pgh_id").first()
    if event is None:
        return None
    context = event.pgh_context
    user_id = (context.metadata or {}).get("user") if context is not None else None
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    who = (user.get_full_name() or user.get_username()) if user else gettext("a colleague")
    return LastChange(who=who, at=event.pgh_created_at)


V = TypeVar("V", bound=Versioned)


def version_check(record: V, expected: int | None) -> None:
    """Call first inside the write's transaction. Locks the row until the transaction
    ends, then refuses (``RecordChangedError``) if its version is not ``expected``.

    ``expected`` is None only for callers that did not load a form (demo data, scripts):
    the row is still locked, and nothing is compared."""
    current = (
        type(record)
        ._default_manager.select_for_update()
        .filter(pk=record.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None:
        raise RecordChangedError()
    if expected is not None and current != expected:
        raise RecordChangedError(_last_change(record))


# Forms and views


def carry_version(form: forms.BaseForm, record: Versioned) -> None:
    """Add the hidden field with the version the form is loaded with. Required: a post
    without it is refused rather than saved without the check."""
    form.fields[VERSION_FIELD] = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        initial=record.version,
        error_messages={
            "required": STALE_FORM_MESSAGE,
            "invalid": STALE_FORM_MESSAGE,
            "min_value": STALE_FORM_MESSAGE,
        },
    )


def loaded_version(form: forms.BaseForm) -> int:
    """The version the (valid) form was loaded with. Taken out of ``cleaned_data``, so the
    rest can still go to a service as keyword arguments."""
    version: int = form.cleaned_data.pop(VERSION_FIELD)
    return version


@dataclass(frozen=True)
class ConflictRow:
    """One field where what the user typed differs from the record's current value."""

    label: str
    yours: str
    current: str


def _flat_choices(choices: Iterable[Any]) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, label in choices:
        if isinstance(label, list | tuple):
            flat.update(_flat_choices(label))
        else:
            flat[str(key)] = str(label)
    return flat


def _model_choice_shown(field: forms.ModelChoiceField, value: Any) -> str:
    items = value if isinstance(value, list | tuple | models.QuerySet) else [value]
    shown = []
    for item in items:
        record = item
        if not isinstance(item, models.Model) and field.queryset is not None:
            record = field.queryset.filter(pk=item).first()
        shown.append(str(record))
    return ", ".join(shown)


def _choice_shown(choices: Iterable[Any], value: Any) -> str:
    labels = _flat_choices(choices)
    if isinstance(value, list | tuple):
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    return labels.get(str(value), str(value))


def _shown(field: forms.Field, value: Any) -> str:
    """A value as the user would read it: labels for choices, local dates, Yes/No."""
    if value is None or value in ("", [], ()):
        shown = "—"
    elif isinstance(value, bool):
        shown = gettext("Yes") if value else gettext("No")
    elif isinstance(field, forms.ModelChoiceField):
        shown = _model_choice_shown(field, value)
    elif getattr(field, "choices", None) is not None:
        shown = _choice_shown(field.choices, value)  # type: ignore[attr-defined]
    elif isinstance(value, date | datetime):
        shown = str(formats.localize(value))
    else:
        shown = str(value)
    return shown


F = TypeVar("F", bound=forms.BaseForm)


def edit_conflict(
    submitted: forms.BaseForm, current: F, error: RecordChangedError
) -> tuple[F, list[ConflictRow]]:
    """After a refusal: the form to show (the record's current values, its current
    version, the message on top) and the fields where the user typed something else."""
    rows = []
    for name, field in submitted.fields.items():
        if name == VERSION_FIELD or name not in current.fields or field.widget.is_hidden:
            continue
        initial = current[name].initial
        if not field.has_changed(initial, submitted[name].data):
            continue
        yours = submitted.cleaned_data.get(name) if submitted.is_valid() else None
        if yours is None:
            yours = submitted[name].data
        rows.append(
            ConflictRow(
                label=str(field.label or name),
                yours=_shown(field, yours),
                current=_shown(current.fields[name], initial),
            )
        )
    if not current.is_bound:
        # Django's add_error expects cleaned_data, which an unbound form does not have yet.
        current.cleaned_data = {}
    current.add_error(None, error)
    return current, rows
