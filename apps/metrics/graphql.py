"""GraphQL: the indicator catalogue and joint metrics (always suppressed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import graphene

from apps.metrics.indicators import INDICATORS, MAX_MONTHS, Indicator
from apps.metrics.selectors import DISTRICT, JointMetrics, MetricRow, joint_metrics
from config.graphql.errors import PublicError
from config.graphql.permissions import request_user, require_joint_metrics_reader


class IndicatorType(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    unit = graphene.String(required=True)
    dimensions = graphene.List(graphene.NonNull(graphene.String), required=True)

    @staticmethod
    def resolve_name(indicator: Indicator, info: Any) -> str:
        return str(indicator.name)

    @staticmethod
    def resolve_unit(indicator: Indicator, info: Any) -> str:
        return str(indicator.unit)


class DimensionType(graphene.ObjectType):
    name = graphene.String(required=True)
    value = graphene.String(required=True)


class MetricRowType(graphene.ObjectType):
    district = graphene.String(
        description="The district's slug; null when the row adds up the districts asked for."
    )
    period = graphene.Date(required=True, description="First day of the month.")
    dimensions = graphene.List(graphene.NonNull(DimensionType), required=True)
    value = graphene.Int(
        description="Null when suppressed. A row over several districts adds shown counts only."
    )
    suppressed = graphene.Boolean(
        required=True,
        description="The count is hidden, or (over several districts) some were held back.",
    )

    @staticmethod
    def resolve_dimensions(row: MetricRow, info: Any) -> list[dict[str, str]]:
        return [{"name": name, "value": value} for name, value in row.dimensions]


class JointMetricsType(graphene.ObjectType):
    rows = graphene.List(graphene.NonNull(MetricRowType), required=True)
    total = graphene.Int(required=True, description="Sum of the values shown (never hidden ones).")
    suppressed_count = graphene.Int(required=True)


class MetricsQueries(graphene.ObjectType):
    indicators = graphene.List(graphene.NonNull(IndicatorType), required=True)
    joint_metrics = graphene.Field(
        JointMetricsType,
        required=True,
        indicator=graphene.String(required=True),
        period_from=graphene.Date(required=True),
        period_to=graphene.Date(required=True),
        districts=graphene.List(graphene.NonNull(graphene.String)),
        group_by=graphene.List(graphene.NonNull(graphene.String)),
    )

    @staticmethod
    def resolve_indicators(root: object, info: Any) -> list[Indicator]:
        request_user(info)
        return list(INDICATORS.values())

    @staticmethod
    def resolve_joint_metrics(
        root: object,
        info: Any,
        *,
        indicator: str,
        period_from: date,
        period_to: date,
        districts: list[str] | None = None,
        group_by: list[str] | None = None,
    ) -> JointMetrics:
        require_joint_metrics_reader(info)
        if indicator not in INDICATORS:
            raise PublicError(f"Unknown indicator “{indicator}”.")
        group_by = group_by or []
        dimensions = [name for name in group_by if name != DISTRICT]
        if len(dimensions) > 1:
            raise PublicError("Group by one dimension at a time (and, optionally, district).")
        if dimensions and dimensions[0] not in INDICATORS[indicator].dimensions:
            raise PublicError(f"“{dimensions[0]}” is not a dimension of {indicator}.")
        months = (period_to.year - period_from.year) * 12 + period_to.month - period_from.month + 1
        if not 1 <= months <= MAX_MONTHS:
            raise PublicError(f"Ask for 1 to {MAX_MONTHS} months.")
        return joint_metrics(
            indicator=indicator,
            period_from=period_from,
            period_to=period_to,
            districts=districts,
            group_by=group_by,
        )
