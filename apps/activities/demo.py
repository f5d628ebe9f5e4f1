"""Demo 5W rows typed by an office (used by ``manage.py demo_setup`` only). The rows
derived from the casework need no demo: the casework demo makes them."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from apps.activities.models import PartnerActivity, Sector
from apps.activities.services import ActivityInput, partner_activity_record
from apps.catalogue.models import Partner
from apps.metrics.forms import month_start

# (appealing partner code, sector, indicator, activity, population type, cash per person)
DEMO_ACTIVITIES = [
    (
        "oim",
        Sector.PROTECTION,
        "Personas orientadas sobre regularización migratoria",
        "Jornada de orientación sobre el CPP con la OIM",
        "in_destination",
        None,
    ),
    (
        "acnur",
        Sector.WASH,
        "Personas que reciben kits de higiene",
        "Entrega de kits de higiene",
        "in_transit",
        None,
    ),
    (
        "hias",
        Sector.CASH,
        "Personas que reciben asistencia en efectivo multipropósito",
        "Transferencia de efectivo multipropósito",
        "in_destination",
        Decimal("350.00"),
    ),
    (
        "unicef",
        Sector.EDUCATION,
        "Niñas y niños apoyados para acceder a la escuela",
        "Campaña de matrícula escolar",
        "host_community",
        None,
    ),
]


def demo_load(*, actor: User, seed: str) -> None:
    """Four typed rows a month over the last six months; none if any row exists."""
    if PartnerActivity.objects.exists():
        return
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not security
    today = timezone.localdate()
    district_ubigeo = _ubigeo()
    partners = {partner.code: partner for partner in Partner.objects.all()}
    for back in range(6):
        month: date = month_start(today, back)
        for code, sector, indicator, activity, population, cash in DEMO_ACTIVITIES:
            girls, boys = rng.randint(0, 12), rng.randint(0, 12)
            women, men = rng.randint(5, 30), rng.randint(3, 20)
            total = girls + boys + women + men
            partner_activity_record(
                actor=actor,
                data=ActivityInput(
                    month=month,
                    appealing_partner=partners[code],
                    implementing_partner=None,
                    sector=sector,
                    sub_sector="",
                    indicator=indicator,
                    activity=activity,
                    ubigeo=district_ubigeo,
                    population_group=population,
                    girls=girls,
                    boys=boys,
                    women=women,
                    men=men,
                    new_beneficiaries=rng.randint(total // 3, total),
                    with_disability=rng.randint(0, 3),
                    indigenous=rng.randint(0, 2),
                    cash_assistance=cash is not None,
                    cash_value=cash * total if cash is not None else None,
                ),
            )


def _ubigeo() -> str:
    """The district's own ubigeo (the demo runs inside its schema)."""
    from django.db import connection

    from tenants.models import District

    return District.objects.get(schema_name=connection.schema_name).ubigeo  # type: ignore[attr-defined]
