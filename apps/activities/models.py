"""Partner activity in the GTRM 5W shape: who does what, where, when, for whom.

A row typed by the office (``PartnerActivity``) holds counts of beneficiaries, never
people. Rows derived from the casework (attentions, completed referrals) are not stored:
``apps/activities/derived.py`` counts them from the district's own records, so nothing
is typed twice and they always agree with the casework.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.audit.history import tracked
from apps.catalogue.models import Partner
from apps.people.models import PopulationGroup
from apps.workspace.versioning import Versioned


class Sector(models.TextChoices):
    """RMRP sectors, and the two cross-cutting areas reported like sectors."""

    EDUCATION = "education", _("Education")
    FOOD_SECURITY = "food_security", _("Food security")
    HEALTH = "health", _("Health")
    HUMANITARIAN_TRANSPORTATION = "transportation", _("Humanitarian transportation")
    INTEGRATION = "integration", _("Integration")
    NUTRITION = "nutrition", _("Nutrition")
    PROTECTION = "protection", _("Protection")
    SHELTER = "shelter", _("Shelter")
    WASH = "wash", _("Water, sanitation and hygiene (WASH)")
    CASH = "cash", _("Cash and voucher assistance (cross-cutting)")
    SUPPORT_SPACES = "support_spaces", _("Support spaces (cross-cutting)")


class SubSector(models.TextChoices):
    NONE = "", _("None")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    GBV = "gbv", _("Gender-based violence")
    TRAFFICKING = "trafficking", _("Human trafficking and smuggling")


# Beneficiaries by sex and age, as the R4V 5W asks (girls and boys are under 18).
BENEFICIARY_GROUPS = ("girls", "boys", "women", "men", "other")


@tracked()
class PartnerActivity(Versioned):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    month = models.DateField(_("month"), help_text=_("First day of the month reported."))
    appealing_partner = models.ForeignKey(
        Partner,
        verbose_name=_("appealing organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Null: the municipality itself carried it out.
    implementing_partner = models.ForeignKey(
        Partner,
        verbose_name=_("implementing partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sector = models.CharField(_("RMRP sector"), max_length=20, choices=Sector.choices)
    sub_sector = models.CharField(
        _("sub-sector"), max_length=20, choices=SubSector.choices, blank=True
    )
    indicator = models.CharField(_("indicator"), max_length=200)
    activity = models.CharField(_("activity"), max_length=200)
    ubigeo = models.CharField(
        _("ubigeo"),
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("A ubigeo has six digits."))],
    )
    population_group = models.CharField(
        _("population type"), max_length=16, choices=PopulationGroup.choices
    )
    girls = models.PositiveIntegerField(_("girls (under 18)"), default=0)
    boys = models.PositiveIntegerField(_("boys (under 18)"), default=0)
    women = models.PositiveIntegerField(_("women (18 and over)"), default=0)
    men = models.PositiveIntegerField(_("men (18 and over)"), default=0)
    other = models.PositiveIntegerField(_("other or not known"), default=0)
    new_beneficiaries = models.PositiveIntegerField(
        _("new beneficiaries"),
        default=0,
        help_text=_(
            "Reached for the first time this year: their sum over months counts people once."
        ),
    )
    with_disability = models.PositiveIntegerField(_("with disability"), default=0)
    lgbtiq = models.PositiveIntegerField(_("LGBTIQ+"), default=0)
    indigenous = models.PositiveIntegerField(_("indigenous"), default=0)
    cash_assistance = models.BooleanField(_("cash assistance"), default=False)
    cash_value = models.DecimalField(
        _("cash value (PEN)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "sector", "activity"]
        verbose_name = _("partner activity (5W)")
        verbose_name_plural = _("partner activities (5W)")
        indexes = [models.Index(fields=["month", "sector"], name="activity_month_sector")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.activity}"

    @property
    def total(self) -> int:
        return sum(getattr(self, group) for group in BENEFICIARY_GROUPS)
