"""The Forum of Mayors (public schema): sessions, agendas, minutes and agreements.

Shared by every district, so it never holds personal data: participants are offices
(a district's mayor or delegate, a GTRM partner, the secretariat), and a district's
writes are tagged with the district, never with the person who typed them.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants.models import District

# A responsible partner organisation's name (the forum services give a clear message).
PARTNER_NAME_MAX_LENGTH = 120


class ForumSession(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONVENED = "convened", _("Convened")
        HELD = "held", _("Held")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")

    number = models.PositiveIntegerField(_("number"), unique=True)
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    host_district = models.ForeignKey(
        District,
        verbose_name=_("host district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-number"]
        verbose_name = _("forum session")
        verbose_name_plural = _("forum sessions")

    def __str__(self) -> str:
        return f"{self.number}"

    @property
    def is_open_for_proposals(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.CONVENED}


class SessionParticipant(models.Model):
    """An office taking part in a session (never a person's name)."""

    class Kind(models.TextChoices):
        MAYOR = "mayor", _("Mayor")
        DELEGATE = "delegate", _("District delegate")
        PARTNER = "partner", _("GTRM partner")
        SECRETARIAT = "secretariat", _("Secretariat")

    session = models.ForeignKey(ForumSession, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.CharField(
        _("organisation"), max_length=120, blank=True, help_text=_("For GTRM partners.")
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "district__name", "organisation"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=["mayor", "delegate"], district__isnull=False)
                    | models.Q(kind="partner", district__isnull=True)
                    | models.Q(kind="secretariat", district__isnull=True)
                ),
                name="participant_district_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.organisation or (self.district.name if self.district else self.kind)


class AgendaItem(models.Model):
    class Status(models.TextChoices):
        # With a context: "Accepted" of an agenda item is not the referrals' "Accepted".
        PROPOSED = "proposed", pgettext_lazy("agenda item", "Proposed")
        ACCEPTED = "accepted", pgettext_lazy("agenda item", "Accepted")
        DISCUSSED = "discussed", pgettext_lazy("agenda item", "Discussed")
        DEFERRED = "deferred", pgettext_lazy("agenda item", "Deferred")

    session = models.ForeignKey(ForumSession, on_delete=models.CASCADE, related_name="agenda_items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    planned_minutes = models.PositiveSmallIntegerField(_("planned duration (minutes)"), default=15)
    # Null: proposed by the secretariat.
    proposed_by = models.ForeignKey(
        District,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class MinutesVersion(models.Model):
    """One published version of a session's minutes; earlier versions are kept."""

    session = models.ForeignKey(ForumSession, on_delete=models.CASCADE, related_name="minutes")
    version = models.PositiveIntegerField()
    body = models.TextField(_("minutes"))
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["session", "version"], name="minutes_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session} v{self.version}"


class Agreement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    # Shown only: computed from the deadline, never stored.
    OVERDUE = "overdue"

    session = models.ForeignKey(ForumSession, on_delete=models.PROTECT, related_name="agreements")
    text = models.TextField(_("agreement"))
    responsible_districts = models.ManyToManyField(
        District, verbose_name=_("responsible districts"), blank=True, related_name="+"
    )
    responsible_partners = ArrayField(
        models.CharField(max_length=PARTNER_NAME_MAX_LENGTH),
        verbose_name=_("responsible partners"),
        default=list,
        blank=True,
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # Optional: progress read from the joint metrics, target against actual.
    indicator = models.CharField(_("indicator"), max_length=40, blank=True)
    target = models.PositiveIntegerField(_("target"), null=True, blank=True)
    baseline_from = models.DateField(_("baseline from"), null=True, blank=True)
    baseline_to = models.DateField(_("baseline to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [models.Index(fields=["status", "deadline"], name="agreement_status_deadline")]

    def __str__(self) -> str:
        return self.text[:60]

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status != self.Status.DONE and self.deadline is not None and self.deadline < today
        )

    def shown_status(self, today: date | None = None) -> str:
        return self.OVERDUE if self.is_overdue(today) else self.status


class AgreementProgress(models.Model):
    """A progress update posted by a responsible district from its own workspace."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="progress")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("progress"))
    status = models.CharField(_("status reported"), max_length=20, choices=Agreement.Status.choices)
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.posted_at:%Y-%m-%d}"


class ForumActivity(models.Model):
    """Who changed the forum: a public-schema account, or a district (never its user's
    personal data: the district account's id stays a number in the district's schema)."""

    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveIntegerField()
    public_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district_account_id = models.PositiveIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_id}"
