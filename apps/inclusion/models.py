"""Economic inclusion and safe spaces: entrepreneurs (registered people), their businesses
and the dated history of each business's formalisation, trainings, and events (safe spaces
and fairs) with their stalls and attendance.

Who is an entrepreneur, their businesses (a natural person's RUC carries their DNI) and who
attended what are personal data: their changes are recorded by database triggers. Trainings
and events themselves describe the office's activity, not people.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.audit.history import tracked
from apps.people.models import Person
from apps.workspace.versioning import Versioned


class FormalisationStatus(models.TextChoices):
    """The stages of a business, from the least to the most formal (the order matters)."""

    INFORMAL = "informal", _("Informal")
    RUC = "ruc", _("RUC obtained")
    LICENCE = "licence", _("Municipal licence")
    TAX_PAYING = "tax_paying", _("Tax-paying")


# An entrepreneur's stage is their most advanced business's; with none, this one.
NO_BUSINESS = "no_business"
STAGE_CHOICES = [(NO_BUSINESS, _("No business yet")), *FormalisationStatus.choices]
STAGE_ORDER: list[str] = list(FormalisationStatus.values)


@tracked()
class Entrepreneur(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="entrepreneur", verbose_name=_("person")
    )
    registered_on = models.DateField(_("registered on"), db_index=True)
    # The most advanced current status of the businesses, kept by the services for filtering.
    stage = models.CharField(
        _("formalisation stage"),
        max_length=12,
        choices=STAGE_CHOICES,
        default=NO_BUSINESS,
        editable=False,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__family_names", "person__given_names", "pk"]
        verbose_name = _("entrepreneur")
        verbose_name_plural = _("entrepreneurs")
        permissions = [
            ("view_inclusion_figures", _("Can see the economic-inclusion figures (counts only)"))
        ]

    def __str__(self) -> str:
        return self.person.full_name


@tracked()
class Business(Versioned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entrepreneur = models.ForeignKey(
        Entrepreneur, on_delete=models.PROTECT, related_name="businesses"
    )
    name = models.CharField(_("business name"), max_length=120)
    activity = models.CharField(_("activity"), max_length=120)
    ruc = models.CharField(_("RUC"), max_length=11, blank=True)
    # The status of the latest entry of the dated history; only the services move it.
    status = models.CharField(
        _("formalisation status"),
        max_length=12,
        choices=FormalisationStatus.choices,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")

    def __str__(self) -> str:
        return self.name


@tracked()
class BusinessStatusChange(models.Model):
    """One dated entry of a business's formalisation; the latest is the current status."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(
        _("previous status"), max_length=12, choices=FormalisationStatus.choices, blank=True
    )
    status = models.CharField(
        _("formalisation status"), max_length=12, choices=FormalisationStatus.choices
    )
    since = models.DateField(_("since"), db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-since", "-pk"]
        verbose_name = _("formalisation status change")
        verbose_name_plural = _("formalisation status changes")
        indexes = [models.Index(fields=["business", "-since", "-id"], name="business_status_as_of")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.since:%d/%m/%Y})"


class Training(Versioned):
    class Topic(models.TextChoices):
        FORMALISATION = "formalisation", _("Formalisation, RUC and taxes")
        FINANCE = "finance", _("Finance, savings and credit")
        MARKETING = "marketing", _("Sales and digital marketing")
        FOOD_HANDLING = "food_handling", _("Food handling and hygiene")
        LABOUR_RIGHTS = "labour_rights", _("Labour rights")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=150)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    held_on = models.DateField(_("date"), db_index=True)
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=150)
    facilitator = models.CharField(_("given by"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title


@tracked()
class TrainingAttendance(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="training_attendances"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__family_names", "person__given_names", "pk"]
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendance")
        constraints = [
            models.UniqueConstraint(fields=["training", "person"], name="training_attended_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.training}"


class Event(Versioned):
    """A safe space or a fair organised or supported by the office."""

    class Kind(models.TextChoices):
        FAIR = "fair", _("Fair")
        SAFE_SPACE = "safe_space", _("Safe space")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind of event"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=150)
    stall_count = models.PositiveSmallIntegerField(_("number of stalls"), default=0)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title


@tracked()
class StallAllotment(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="stalls")
    entrepreneur = models.ForeignKey(
        Entrepreneur,
        on_delete=models.PROTECT,
        related_name="stalls",
        verbose_name=_("entrepreneur"),
    )
    stall_number = models.PositiveSmallIntegerField(_("stall number"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stall_number"]
        verbose_name = _("stall allotment")
        verbose_name_plural = _("stall allotments")
        constraints = [
            models.UniqueConstraint(fields=["event", "stall_number"], name="stall_given_once"),
            models.UniqueConstraint(fields=["event", "entrepreneur"], name="one_stall_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.stall_number} · {self.entrepreneur}"


@tracked()
class EventAttendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="event_attendances")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__family_names", "person__given_names", "pk"]
        verbose_name = _("event attendance")
        verbose_name_plural = _("event attendance")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="event_attended_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.event}"
