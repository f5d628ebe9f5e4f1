"""The aggregate-only store of joint metrics (public schema). Counts, never people."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import District


class MetricValue(models.Model):
    """One count of one district-month: the total (``dimension == ""``) or the count of
    one value of one dimension. ``suppressed`` is the small-cell pattern of the
    district-month table at ``threshold``; readers never see a suppressed value."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=40)
    period = models.DateField(help_text="First day of the month.")
    dimension = models.CharField(max_length=40, blank=True)
    dimension_value = models.CharField(max_length=60, blank=True)
    value = models.PositiveIntegerField()
    suppressed = models.BooleanField(default=False)
    threshold = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("metric value")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "indicator", "period", "dimension", "dimension_value"],
                name="metric_value_unique",
            )
        ]
        indexes = [models.Index(fields=["indicator", "dimension", "period"], name="metric_read")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period:%Y-%m} {self.dimension}={self.dimension_value}"


class MetricRollup(models.Model):
    """The sum over every district of one month's shown counts (hidden ones held back),
    kept by the publisher so that reading all districts costs the same for 7 or 1,000."""

    indicator = models.CharField(max_length=40)
    period = models.DateField()
    dimension = models.CharField(max_length=40, blank=True)
    dimension_value = models.CharField(max_length=60, blank=True)
    shown_value = models.PositiveIntegerField()
    held_back = models.PositiveIntegerField()
    threshold = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "dimension", "dimension_value"],
                name="metric_rollup_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period:%Y-%m} {self.dimension}={self.dimension_value}"
