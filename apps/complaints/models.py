"""Discrimination complaints under Ordinance 014-2017-MDCLR, and the registry of the
establishments they concern. Complaints hold personal data (the complainant, the
narrative): they stay in the district's schema and their changes are recorded by database
triggers. Grounds, sanctions and stage deadlines are tables, not constants: the ordinance's
text was not available (DOMAIN.md), so each district can correct them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.audit.history import tracked
from apps.catalogue.models import CatalogueEntry
from apps.people.models import Person
from apps.workspace.versioning import Versioned


class Stage(models.TextChoices):
    RECEIVED = "received", _("Received")
    ADMITTED = "admitted", _("Admitted")
    DISMISSED = "dismissed", _("Dismissed")
    INSPECTION = "inspection", _("Inspected")
    INFRACTION_REPORT = "infraction_report", _("Infraction report")
    SANCTION = "sanction", _("Sanctioned")
    APPEAL = "appeal", _("Under appeal")
    CLOSED = "closed", _("Closed")


# Stages a complaint never leaves: no deadline runs in them.
FINAL_STAGES = frozenset({Stage.DISMISSED, Stage.CLOSED})


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    THIRD_PARTY = "third_party", _("By a third party")
    WRITTEN = "written", _("In writing")
    VERBAL = "verbal", _("Verbally")
    ONLINE = "online", _("Online")


class Offence(models.TextChoices):
    FIRST = "first", _("First offence")
    REPEAT = "repeat", _("Repeat offence")


class AppealOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Sanction confirmed")
    ANNULLED = "annulled", _("Sanction annulled")


class Ground(CatalogueEntry):
    """A protected ground of discrimination (origin, nationality, migratory status...)."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("protected ground")
        verbose_name_plural = _("protected grounds")


class SanctionRule(Versioned):
    """A line of the ordinance's sanction table: what a first or a repeat offence costs."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    offence = models.CharField(_("offence"), max_length=8, choices=Offence.choices)
    fine_uit_fraction = models.DecimalField(
        _("fine (fraction of a UIT)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("0.50 is half a UIT (tax unit)."),
    )
    closure_days = models.PositiveSmallIntegerField(
        _("temporary closure (days)"), null=True, blank=True
    )
    definitive_closure = models.BooleanField(_("definitive closure"), default=False)
    licence_revocation = models.BooleanField(_("licence revocation"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_builtin = models.BooleanField(default=False, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("sanction rule")
        verbose_name_plural = _("sanction table")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "es").startswith("en") else self.name_es

    @property
    def fine_percent(self) -> int:
        return int(self.fine_uit_fraction * 100)


class StageDeadline(models.Model):
    """How many calendar days a complaint may stay in a stage before it is overdue."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, unique=True)
    days = models.PositiveSmallIntegerField(
        _("days allowed"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("stage deadline")
        verbose_name_plural = _("stage deadlines")

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.days}"


@tracked()
class Establishment(Versioned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=160)
    address = models.CharField(_("address"), max_length=200)
    licence_number = models.CharField(_("operating licence number"), max_length=60, blank=True)
    activity = models.CharField(_("activity"), max_length=120, blank=True)
    # Accent- and case-free name, for search.
    name_key = models.CharField(max_length=160, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")

    def __str__(self) -> str:
        return self.name


@tracked()
class SignageInspection(models.Model):
    """A check of the "discrimination is prohibited" sign and of banned phrases."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="signage_inspections"
    )
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inspector"),
    )
    sign_displayed = models.BooleanField(_("the anti-discrimination sign is displayed"))
    banned_phrase_found = models.BooleanField(_("a banned phrase was found"))
    banned_phrases = models.TextField(_("banned phrases seen"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("signage inspection")
        verbose_name_plural = _("signage inspections")

    def __str__(self) -> str:
        return f"{self.establishment} {self.inspected_on:%d/%m/%Y}"

    @property
    def is_compliant(self) -> bool:
        return self.sign_displayed and not self.banned_phrase_found


@tracked()
class Complaint(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Given to the complainant to follow the stage on the public page; unguessable.
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    received_on = models.DateField(_("received on"), db_index=True)
    occurred_on = models.DateField(_("date of the facts"), null=True, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    # A registered person, or a name typed in, or nobody (anonymous). SET_NULL: a merge of
    # the person's record must not be blocked by a complaint (see the app's README).
    complainant = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("complainant (registered person)"),
    )
    complainant_name = models.CharField(_("complainant's name"), max_length=120, blank=True)
    complainant_contact = models.CharField(
        _("complainant's phone or e-mail"), max_length=120, blank=True
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("establishment"),
    )
    place_description = models.CharField(_("where it happened"), max_length=200, blank=True)
    grounds = models.ManyToManyField(Ground, verbose_name=_("protected grounds"), related_name="+")
    # Sensitive: the complaints officer, the coordinator and whoever typed it read it.
    narrative = models.TextField(_("what happened"))
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED, db_index=True
    )
    stage_since = models.DateField(_("in this stage since"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("filed by"),
    )
    # What each stage recorded.
    dismissal_reason = models.TextField(_("reason for dismissal"), blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("inspector"),
    )
    inspection_findings = models.TextField(_("inspection findings"), blank=True)
    infraction_report_number = models.CharField(
        _("infraction report number"), max_length=40, blank=True
    )
    infraction_report_on = models.DateField(_("infraction report date"), null=True, blank=True)
    infraction_description = models.TextField(_("infraction"), blank=True)
    appeal_filed_on = models.DateField(_("appeal filed on"), null=True, blank=True)
    appeal_grounds = models.TextField(_("grounds of the appeal"), blank=True)
    appeal_outcome = models.CharField(
        _("appeal outcome"), max_length=10, choices=AppealOutcome.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        permissions = [
            ("view_all_complaints", _("Can see every complaint of the district")),
            ("view_complaint_narrative", _("Can read the narrative of every complaint")),
        ]
        indexes = [models.Index(fields=["stage", "stage_since"], name="complaint_stage")]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL_STAGES


class ComplaintTransition(models.Model):
    """Who moved a complaint to which stage, when it was recorded and the date of the act."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    effective_on = models.DateField(_("date"))
    # None: the complainant, through the public form.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("complaint transition")
        verbose_name_plural = _("complaint transitions")

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"


@tracked()
class Sanction(models.Model):
    """A sanction imposed on an establishment. The rule's figures are copied: a later change
    of the table does not rewrite past sanctions."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="sanctions"
    )
    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="sanction", null=True, blank=True
    )
    rule = models.ForeignKey(
        SanctionRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("sanction")
    )
    offence = models.CharField(_("offence"), max_length=8, choices=Offence.choices)
    fine_uit_fraction = models.DecimalField(
        _("fine (fraction of a UIT)"), max_digits=5, decimal_places=2
    )
    closure_days = models.PositiveSmallIntegerField(
        _("temporary closure (days)"), null=True, blank=True
    )
    definitive_closure = models.BooleanField(_("definitive closure"), default=False)
    licence_revocation = models.BooleanField(_("licence revocation"), default=False)
    resolution_number = models.CharField(_("resolution number"), max_length=40, blank=True)
    imposed_on = models.DateField(_("imposed on"))
    imposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when an appeal annuls it: an annulled sanction does not make a repeat offence.
    annulled_on = models.DateField(_("annulled on"), null=True, blank=True)

    class Meta:
        ordering = ["-imposed_on", "-pk"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")

    def __str__(self) -> str:
        return f"{self.establishment} {self.imposed_on:%d/%m/%Y}"

    @property
    def fine_percent(self) -> int:
        """The fine as a percentage of a UIT (two decimals of a fraction: a whole percent)."""
        return int(self.fine_uit_fraction * 100)

    @property
    def is_repeat(self) -> bool:
        return self.offence == Offence.REPEAT


def due_on(stage_since: date, days: int | None) -> date | None:
    """The last day a complaint may stay in its stage (None: no deadline)."""
    return stage_since + timedelta(days=days) if days is not None else None
