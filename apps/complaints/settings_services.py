"""Writes on the ordinance's tables a district keeps: grounds, sanctions, stage deadlines.
A sanction already imposed keeps the figures it was imposed with."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from apps.complaints.models import FINAL_STAGES, Ground, SanctionRule, Stage, StageDeadline
from apps.workspace.versioning import version_check

GROUND_TAKEN_MESSAGE = gettext_lazy("There is already a ground with this name.")
LAST_GROUND_MESSAGE = gettext_lazy("At least one ground must stay active.")
DEADLINE_RANGE_MESSAGE = gettext_lazy("Give a number of days between 1 and 365.")
CLOSURE_KIND_MESSAGE = gettext_lazy(
    "A definitive closure has no number of days: leave the temporary closure empty."
)
EMPTY_RULE_MESSAGE = gettext_lazy("A sanction needs a fine, a closure or a licence revocation.")

MAX_DEADLINE_DAYS = 365


def ground_add(*, actor: User, name_es: str, name_en: str) -> Ground:
    code = slugify(name_en)[:40] or slugify(name_es)[:40]
    if not code or Ground.objects.filter(code=code).exists():
        raise ValidationError({"name_en": [str(GROUND_TAKEN_MESSAGE)]})
    with transaction.atomic():
        ground = Ground(
            code=code,
            name_es=name_es.strip(),
            name_en=name_en.strip(),
            position=(
                Ground.objects.order_by("-position").values_list("position", flat=True).first() or 0
            )
            + 1,
        )
        ground.full_clean()
        ground.save()
    return ground


def ground_set_active(*, actor: User, ground: Ground, is_active: bool) -> Ground:
    with transaction.atomic():
        others_active = Ground.objects.filter(is_active=True).exclude(pk=ground.pk).exists()
        if not is_active and not others_active:
            raise ValidationError(LAST_GROUND_MESSAGE)
        ground.is_active = is_active
        ground.save(update_fields=["is_active"])
    return ground


def stage_deadlines_update(*, actor: User, days: dict[str, int]) -> None:
    errors = {
        stage: [str(DEADLINE_RANGE_MESSAGE)]
        for stage, value in days.items()
        if not 1 <= value <= MAX_DEADLINE_DAYS
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for stage, value in days.items():
            if stage in Stage.values and stage not in FINAL_STAGES:
                StageDeadline.objects.update_or_create(stage=stage, defaults={"days": value})


@dataclass(frozen=True)
class SanctionRuleInput:
    name_es: str
    name_en: str
    offence: str
    fine_uit_fraction: Decimal
    closure_days: int | None = None
    definitive_closure: bool = False
    licence_revocation: bool = False
    is_active: bool = True


def sanction_rule_save(
    *,
    actor: User,
    values: SanctionRuleInput,
    rule: SanctionRule | None = None,
    expected_version: int | None = None,
) -> SanctionRule:
    """Add a line to the sanction table, or change ``rule`` unless someone saved it since
    the form was loaded at ``expected_version`` (``RecordChangedError``, nothing written)."""
    errors: dict[str, list[str]] = {}
    if values.definitive_closure and values.closure_days:
        errors["closure_days"] = [str(CLOSURE_KIND_MESSAGE)]
    if not (
        values.fine_uit_fraction
        or values.closure_days
        or values.definitive_closure
        or values.licence_revocation
    ):
        errors["fine_uit_fraction"] = [str(EMPTY_RULE_MESSAGE)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if rule is not None:
            version_check(rule, expected_version)
        if rule is None:
            code = slugify(values.name_en)[:32] or "sanction"
            suffix = 1
            while SanctionRule.objects.filter(
                code=code if suffix == 1 else f"{code}-{suffix}"
            ).exists():
                suffix += 1
            rule = SanctionRule(
                code=code if suffix == 1 else f"{code}-{suffix}",
                position=SanctionRule.objects.count(),
            )
        for name, value in vars(values).items():
            setattr(rule, name, value.strip() if isinstance(value, str) else value)
        rule.full_clean()
        rule.save()
    return rule
