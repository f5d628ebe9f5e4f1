"""Volunteers and awareness activities. A volunteer is a registered person (personal data:
it stays in the district's schema and its changes are recorded by database triggers); the
people reached by an activity are only counted, by sex and age group, never named."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.audit.history import tracked
from apps.catalogue.models import Partner
from apps.metrics.indicators import AGE_GROUPS
from apps.people.models import Person, Sex
from apps.workspace.versioning import Versioned

# A volunteer gives whole hours, at most a day's worth on one date (across activities).
MAX_HOURS_PER_DAY = 24


class Topic(models.TextChoices):
    FORCED_DISPLACEMENT = "forced_displacement", _("Forced displacement")
    CLIMATE_CHANGE = "climate_change", _("Climate change")
    ENVIRONMENT = "environment", _("Environment")
    ANTI_XENOPHOBIA = "anti_xenophobia", _("Anti-xenophobia")
    OTHER = "other", _("Other")


AGE_GROUP_CHOICES = [(label, label) for label, _low, _high in AGE_GROUPS]


@tracked()
class Volunteer(Versioned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="volunteer")
    skills = models.TextField(_("skills"), blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    # Inactive volunteers stay on record (and in past activities) but join no new activity.
    is_active = models.BooleanField(_("active"), default=True)
    joined_on = models.DateField(_("volunteer since"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__family_names", "person__given_names", "pk"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.person.full_name


@tracked()
class AwarenessActivity(Versioned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    held_on = models.DateField(_("date"), db_index=True)
    topic = models.CharField(_("topic"), max_length=24, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=120)
    place = models.CharField(_("place"), max_length=200)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("awareness activity")
        verbose_name_plural = _("awareness activities")

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} {self.title}"


@tracked()
class VolunteerParticipation(models.Model):
    """A volunteer's part in one activity; their total hours are the sum of these."""

    activity = models.ForeignKey(
        AwarenessActivity, on_delete=models.CASCADE, related_name="participations"
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="participations"
    )
    hours = models.PositiveSmallIntegerField(_("hours"))

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("volunteer participation")
        verbose_name_plural = _("volunteer participations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"], name="one_part_per_volunteer"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__gte=1, hours__lte=MAX_HOURS_PER_DAY),
                name="hours_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.activity_id} {self.hours}h"


class ParticipantCount(models.Model):
    """One cell of an activity's participants grid (sex x R4V age group). Counts only, no
    person; cells of zero are not stored, so every dimension adds up to the same total."""

    activity = models.ForeignKey(
        AwarenessActivity, on_delete=models.CASCADE, related_name="participant_counts"
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=8, choices=AGE_GROUP_CHOICES)
    count = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["activity", "sex", "age_group"]
        verbose_name = _("participant count")
        verbose_name_plural = _("participant counts")
        constraints = [
            models.UniqueConstraint(fields=["activity", "sex", "age_group"], name="one_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.sex} {self.age_group}: {self.count}"
