"""The 5W pages: who may do what, refusals next to the fields, the export's layout and
totals, and another district's rows out of reach."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from apps.activities.models import PartnerActivity
from apps.activities.selectors import activities_dashboard
from apps.casework.services import attention_record
from apps.catalogue.models import Partner, ServiceType
from apps.metrics.fivew_layout import headers
from apps.people.tests.factories import person_make, staff
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _form(**values: Any) -> dict[str, Any]:
    with_ids = {
        "month": f"{timezone.localdate():%Y-%m}",
        "appealing_partner": Partner.objects.get(code="acnur").pk,
        "implementing_partner": "",
        "sector": "wash",
        "sub_sector": "",
        "indicator": "Personas que reciben kits de higiene",
        "activity": "Entrega de kits de higiene",
        "ubigeo": "070104",
        "population_group": "in_transit",
        "girls": 3,
        "boys": 2,
        "women": 10,
        "men": 5,
        "other": 0,
        "new_beneficiaries": 12,
        "with_disability": 1,
        "lgbtiq": 0,
        "indigenous": 0,
        "cash_value": "",
    }
    with_ids.update(values)
    return with_ids


def _post(client: Client, district: District, **values: Any) -> Any:
    with schema_context(district.schema_name):
        data = _form(**values)
    return client.post("/activities/new/", data)


def test_the_coordinator_records_a_row(district_a: District, client_a: Client) -> None:
    login_as(client_a, district_a, "coordinator")
    response = _post(client_a, district_a)
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        row = PartnerActivity.objects.get()
    assert row.total == 20
    page = client_a.get("/activities/").content.decode()
    assert "Entrega de kits de higiene" in page


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"girls": 0, "boys": 0, "women": 0, "men": 0}, "girls"),
        ({"new_beneficiaries": 21}, "new_beneficiaries"),
        ({"with_disability": 30}, "with_disability"),
        ({"sub_sector": "gbv"}, "sub_sector"),
        ({"cash_assistance": "on"}, "cash_value"),
        ({"cash_value": "120.00"}, "cash_value"),
        ({"ubigeo": "7010"}, "ubigeo"),
        ({"girls": -1}, "girls"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    district_a: District, client_a: Client, values: dict[str, Any], field: str
) -> None:
    login_as(client_a, district_a, "coordinator")
    response = _post(client_a, district_a, **values)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    with schema_context(district_a.schema_name):
        assert not PartnerActivity.objects.exists()


@pytest.mark.parametrize("role", ["caseworker", "viewer", "complaints_officer"])
def test_other_roles_read_but_do_not_write(
    district_a: District, client_a: Client, role: str
) -> None:
    login_as(client_a, district_a, role)
    assert client_a.get("/activities/").status_code == 200
    assert _post(client_a, district_a).status_code == 403
    with schema_context(district_a.schema_name):
        assert not PartnerActivity.objects.exists()


def test_another_districts_row_is_out_of_reach(
    district_a: District, district_b: District, client_a: Client, client_b: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    _post(client_a, district_a)
    with schema_context(district_a.schema_name):
        row = PartnerActivity.objects.get()
    login_as(client_b, district_b, "coordinator")
    assert client_b.get(f"/activities/{row.public_id}/edit/").status_code == 404
    assert client_b.post(f"/activities/{row.public_id}/delete/").status_code == 404
    with schema_context(district_a.schema_name):
        assert PartnerActivity.objects.exists()


def test_deleting_asks_first(district_a: District, client_a: Client) -> None:
    login_as(client_a, district_a, "coordinator")
    _post(client_a, district_a)
    with schema_context(district_a.schema_name):
        row = PartnerActivity.objects.get()
    confirm = client_a.get(f"/activities/{row.public_id}/delete/")
    assert "Entrega de kits de higiene" in confirm.content.decode()
    with schema_context(district_a.schema_name):
        assert PartnerActivity.objects.exists()
    assert client_a.post(f"/activities/{row.public_id}/delete/").status_code == 302
    with schema_context(district_a.schema_name):
        assert not PartnerActivity.objects.exists()


def _month_with_both_kinds(district: District, client: Client) -> date:
    """A typed row of 20 and, from the casework, two people served (one twice)."""
    _post(client, district)
    month = timezone.localdate().replace(day=1)
    with schema_context(district.schema_name):
        services = list(ServiceType.objects.filter(code="legal-orientation"))
        for i, visits in enumerate((1, 2)):
            person = person_make(given_names=f"P{i}", document_number=f"D-{i}")
            for _ in range(visits):
                attention_record(
                    actor=staff(),
                    person=person,
                    occurred_on=month,
                    channel="phone",
                    service_types=services,
                )
    return month


def test_the_export_has_the_documented_columns_and_the_dashboards_totals(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    month = _month_with_both_kinds(district_a, client_a)
    query = {"period_from": f"{month:%Y-%m}", "period_to": f"{month:%Y-%m}"}
    with schema_context(district_a.schema_name):
        dashboard_total = sum(bar.value for bar in activities_dashboard(today=month)["by_sector"])  # type: ignore[attr-defined]
    assert dashboard_total == 22

    xlsx = client_a.get("/activities/export/", {**query, "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith(f'5w-la-perla-{month:%Y-%m}_{month:%Y-%m}.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content))["5W"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    with_english_headers = rows[0]
    assert len(with_english_headers) == len(headers())
    total_column = with_english_headers.index("Total beneficiaries")
    assert sum(row[total_column] for row in rows[1:]) == dashboard_total
    assert {row[with_english_headers.index("Source")] for row in rows[1:]} == {
        "Typed by the office",
        "From the casework",
    }

    response = client_a.get("/activities/export/", {**query, "format": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(content)))
    assert sum(int(line["Total beneficiaries"]) for line in lines) == dashboard_total
    casework = next(line for line in lines if line["Source"] == "From the casework")
    assert casework["Total beneficiaries"] == "2"  # two people, three attentions
    assert casework["District ubigeo"] == "070104"
    assert casework["Implementing partner"] == "Municipality of La Perla"


def test_an_unknown_export_format_is_refused(district_a: District, client_a: Client) -> None:
    login_as(client_a, district_a, "viewer")
    assert client_a.get("/activities/export/", {"format": "pdf"}).status_code == 400


def test_the_export_of_the_demo_data_matches_the_dashboard(
    district_a: District, client_a: Client
) -> None:
    """The 5W export of the demo district opens as a workbook with the documented columns,
    and each month's total beneficiaries equal the dashboard's."""
    from apps.activities.demo import demo_load
    from apps.casework.demo import casework_demo_load
    from apps.people.demo import people_demo_load

    with schema_context(district_a.schema_name):
        people_demo_load(actor=staff(), count=40, seed="la-perla")
        casework_demo_load(actor=staff(), seed="la-perla")
        demo_load(actor=staff("coordinator"), seed="la-perla")
    login_as(client_a, district_a, "viewer")
    month = timezone.localdate().replace(day=1)
    previous = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    response = client_a.get(
        "/activities/export/",
        {"period_from": f"{previous:%Y-%m}", "period_to": f"{month:%Y-%m}", "format": "xlsx"},
    )
    rows = [
        list(row)
        for row in load_workbook(io.BytesIO(response.content))["5W"].iter_rows(values_only=True)
    ]
    assert rows[0] == headers()
    month_column, total_column = rows[0].index("Month"), rows[0].index("Total beneficiaries")
    for day in (previous, month):
        exported = sum(row[total_column] for row in rows[1:] if row[month_column] == f"{day:%Y-%m}")
        with schema_context(district_a.schema_name):
            shown = sum(bar.value for bar in activities_dashboard(today=day)["by_sector"])  # type: ignore[attr-defined]
        assert exported == shown > 0
