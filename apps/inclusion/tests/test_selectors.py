from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.inclusion.event_services import training_attendance_record
from apps.inclusion.metrics import entrepreneurs_by_stage
from apps.inclusion.selectors import inclusion_dashboard, upcoming_calendar
from apps.inclusion.services import business_add
from apps.inclusion.tests.factories import (
    RUC_COMPANY,
    entrepreneur_make,
    event_make,
    person_new,
    training_make,
)
from apps.people.tests.factories import staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_district_a")]


def test_the_dashboard_counts_stages_and_lists_what_comes() -> None:
    today = timezone.localdate()
    officer = staff("inclusion_officer")
    for status in ("informal", "ruc", "ruc"):
        business_add(
            actor=officer,
            entrepreneur=entrepreneur_make(registered_on=today),
            name="Negocio",
            activity="Comida",
            ruc=RUC_COMPANY,
            status=status,
            since=today,
        )
    entrepreneur_make(registered_on=today)
    past = training_make(held_on=today.replace(day=1))
    training_attendance_record(actor=officer, training=past, person=person_new())
    training_make(held_on=today + timedelta(days=3), title="Ventas por redes")
    event_make(starts_on=today + timedelta(days=8), title="Feria Emprende Callao")
    event_make(starts_on=today - timedelta(days=30), title="Feria pasada")
    dashboard = inclusion_dashboard(today)
    assert dashboard["entrepreneurs"] == 4
    assert dashboard["formalised"] == 2
    assert dashboard["trained_this_month"] == 1
    bars = {bar.label: bar.value for bar in dashboard["by_stage"]}  # type: ignore[attr-defined]
    assert bars == {
        "No business yet": 1,
        "Informal": 1,
        "RUC obtained": 2,
        "Municipal licence": 0,
        "Tax-paying": 0,
    }
    # The denormalised stage agrees with the dated history.
    assert dict(entrepreneurs_by_stage(today)) == {
        "no_business": 1,
        "informal": 1,
        "ruc": 2,
    }
    with translation.override("en"):
        html = render_to_string("tenant/inclusion/_dashboard.html", {"inclusion": dashboard})
    assert "Ventas por redes" in html
    assert "Feria Emprende Callao" in html
    assert "Feria pasada" not in html
    assert "href" not in html  # without the permissions, no links to pages with names


def test_the_calendar_groups_by_month_and_keeps_events_under_way() -> None:
    today = timezone.localdate()
    event_make(
        starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=1), title="En curso"
    )
    training_make(held_on=today + timedelta(days=40), title="Más adelante")
    training_make(held_on=today + timedelta(days=200), title="Muy lejos")
    months = upcoming_calendar(today=today)
    titles = [entry.item.title for _month, items in months for entry in items]
    assert titles == ["En curso", "Más adelante"]
    assert months[0][0] == today.replace(day=1)


def test_the_stock_query_is_one_group_by(django_assert_num_queries: object) -> None:
    entrepreneur_make()
    with django_assert_num_queries(1):  # type: ignore[operator]
        entrepreneurs_by_stage(timezone.localdate())
