"""The ordinance's tables as every district starts with them (DOMAIN.md, "Anti-discrimination
ordinance"). The ordinance text was not available: these are the shape comparable Lima-area
ordinances share, to be checked by each district, which edits its own copy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

# (code, Spanish, English): the protected grounds, in the ordinance's order.
GROUNDS = [
    ("origin", "Origen", "Origin"),
    ("nationality", "Nacionalidad", "Nationality"),
    ("race", "Raza o etnia", "Race or ethnicity"),
    ("sex", "Sexo", "Sex"),
    ("language", "Idioma", "Language"),
    ("religion", "Religión", "Religion"),
    ("opinion", "Opinión", "Opinion"),
    ("economic-condition", "Condición económica", "Economic condition"),
    ("sexual-orientation", "Orientación sexual", "Sexual orientation"),
    ("gender-identity", "Identidad de género", "Gender identity"),
    ("disability", "Discapacidad", "Disability"),
    ("migratory-status", "Condición migratoria", "Migratory status"),
    ("other", "Otro motivo", "Other"),
]

# The sanction table: first offence, then repeat (verify the figures against the ordinance).
SANCTION_RULES: list[dict[str, Any]] = [
    {
        "code": "first-offence",
        "name_es": "Multa de 50 % de una UIT y clausura temporal",
        "name_en": "Fine of 50% of a UIT and temporary closure",
        "offence": "first",
        "fine_uit_fraction": Decimal("0.50"),
        "closure_days": 30,
        "definitive_closure": False,
        "licence_revocation": False,
    },
    {
        "code": "repeat-offence",
        "name_es": "Clausura definitiva y revocatoria de la licencia de funcionamiento",
        "name_en": "Definitive closure and revocation of the operating licence",
        "offence": "repeat",
        "fine_uit_fraction": Decimal("0"),
        "closure_days": None,
        "definitive_closure": True,
        "licence_revocation": True,
    },
]

# Calendar days a complaint may stay in each open stage before it is overdue.
STAGE_DEADLINES = {
    "received": 5,
    "admitted": 15,
    "inspection": 15,
    "infraction_report": 15,
    "sanction": 15,
    "appeal": 30,
}


def complaints_reference_load(
    ground_model: Any = None, rule_model: Any = None, deadline_model: Any = None
) -> None:
    """Add the missing entries to the current district schema; what a district changed or
    added is left alone. The data migration passes its historical models."""
    from apps.complaints.models import Ground, SanctionRule, StageDeadline

    ground_model = ground_model or Ground
    rule_model = rule_model or SanctionRule
    deadline_model = deadline_model or StageDeadline
    with transaction.atomic():
        ground_model.objects.bulk_create(
            [
                ground_model(code=code, name_es=es, name_en=en, position=i, is_builtin=True)
                for i, (code, es, en) in enumerate(GROUNDS)
            ],
            ignore_conflicts=True,
        )
        rule_model.objects.bulk_create(
            [
                rule_model(**row, position=i, is_builtin=True)
                for i, row in enumerate(SANCTION_RULES)
            ],
            ignore_conflicts=True,
        )
        deadline_model.objects.bulk_create(
            [deadline_model(stage=stage, days=days) for stage, days in STAGE_DEADLINES.items()],
            ignore_conflicts=True,
        )
