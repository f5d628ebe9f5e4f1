"""The GTRM 5W export: its layout, and suppression exactly as on the dashboard."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from apps.casework.services import attention_record
from apps.catalogue.models import ServiceType
from apps.metrics.exports import BENEFICIARY_COLUMNS, five_w_filename
from apps.metrics.forms import TO_BEFORE_FROM_MESSAGE, month_start
from apps.metrics.publisher import metrics_publish
from apps.metrics.tests.factories import metric_table_store
from apps.people.tests.factories import person_make, staff
from conftest import log_in
from tenants.models import District

pytestmark = pytest.mark.django_db

URL = "/metrics/export/"
ADULT_BIRTH = date(1990, 5, 17)


@pytest.fixture
def secretariat(public_client: Client) -> Client:
    log_in(public_client, "secretariat@platform.test")
    # Column names are asserted in English (the Spanish catalogue is filled separately).
    public_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return public_client


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _serve(district: District, count: int, *, sex: str, birth_date: date, on: date) -> None:
    with schema_context(district.schema_name):
        services = list(ServiceType.objects.filter(code="legal-orientation"))
        for i in range(count):
            person = person_make(
                actor=staff(slug=district.slug),
                given_names=f"P{sex}{birth_date.year}{i}",
                document_number=f"{district.slug}-{sex}-{birth_date.year}-{i}",
                sex=sex,
                birth_date=birth_date,
            )
            attention_record(
                actor=staff(slug=district.slug),
                person=person,
                occurred_on=on,
                channel="in_person",
                service_types=services,
            )


def _csv_rows(response: object) -> list[dict[str, str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(content)))


def _xlsx(response: object) -> tuple[list[str], list[list[object]], object]:
    workbook = load_workbook(io.BytesIO(response.content))  # type: ignore[attr-defined]
    sheet = workbook["5W"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [str(title) for title in rows[0]], rows[1:], sheet


@pytest.fixture
def published(district_a: District) -> date:
    """La Perla this month: 9 women and 2 men, all adults, all in destination. The 2 is
    hidden, and the 9 with it (11 - 9 would give the 2 away); the total of 11 shows."""
    month = _this_month()
    _serve(district_a, 9, sex="female", birth_date=ADULT_BIRTH, on=month)
    _serve(district_a, 2, sex="male", birth_date=ADULT_BIRTH, on=month)
    metrics_publish(district=district_a, period=month)
    return month


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_anonymous_and_district_accounts_get_no_file(
    public_client: Client, client_a: Client, district_a: District, file_format: str
) -> None:
    response = public_client.get(URL, {"format": file_format})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    from conftest import login_as

    login_as(client_a, district_a, "coordinator")
    assert client_a.get(URL, {"format": file_format}).status_code == 404  # no portal there


def test_the_csv_follows_the_5w_layout_and_hides_small_counts_and_their_complements(
    secretariat: Client, published: date
) -> None:
    response = secretariat.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    end = published
    start = month_start(end, 11)
    assert response["Content-Disposition"] == (
        f'attachment; filename="{five_w_filename(start, end, "csv")}"'
    )
    assert f"gtrm-5w-{start:%Y-%m}_{end:%Y-%m}.csv" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert len(rows) == 1
    row = rows[0]
    assert row["Country"] == "Peru"
    assert (row["Region (admin 1)"], row["Region code"]) == ("Callao", "07")
    assert (row["Province (admin 2)"], row["Province code"]) == ("Callao", "0701")
    assert (row["District (admin 3)"], row["District ubigeo"]) == ("La Perla", "070104")
    assert row["Appealing organisation"] == "Callao Mancomunidad"
    assert row["Implementing partner"] == "Municipality of La Perla"
    assert row["RMRP sector"] == "Protection"
    assert row["Month"] == f"{published:%Y-%m}"
    assert row["Total beneficiaries"] == "11"
    assert row["Women (18 and over)"] == ""  # hidden: the complement of the 2
    assert row["Men (18 and over)"] == ""  # hidden: 2
    assert row["Girls (under 18)"] == row["Boys (under 18)"] == "0"
    assert row["Population type: In destination"] == "11"
    assert row["Hidden cells"] == "Women (18 and over); Men (18 and over)"
    assert not {"2", "9"} & set(row.values())


def test_the_xlsx_hides_the_same_cells_and_shades_them(
    secretariat: Client, published: date
) -> None:
    response = secretariat.get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, rows, sheet = _xlsx(response)
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Total beneficiaries"] == 11
    assert row["Women (18 and over)"] is None
    assert row["Men (18 and over)"] is None
    assert row["Girls (under 18)"] == 0
    assert row["District ubigeo"] == "070104"  # text: the leading zero stays
    assert not {2, 9, "2", "9"} & set(rows[0])
    women = header.index("Women (18 and over)") + 1
    assert sheet.cell(row=2, column=women).fill.start_color.rgb.endswith("FFF4D6")  # type: ignore[attr-defined]
    notes = load_workbook(io.BytesIO(response.content))["Notes"]
    assert "from 1 to 4" in " ".join(str(cell.value) for cell in notes["A"])


def test_a_hidden_total_is_an_empty_cell_too_and_never_summed(
    secretariat: Client, district_a: District, district_b: District
) -> None:
    month = _this_month()
    metric_table_store(
        district_a,
        month,
        {"": 3, "population_group=in_transit": 3, "r4v_group=girls": 1, "r4v_group=women": 2},
    )
    metric_table_store(
        district_b,
        month,
        {"": 30, "population_group=in_destination": 30, "r4v_group=women": 30},
    )
    rows = {
        row["District (admin 3)"]: row for row in _csv_rows(secretariat.get(URL, {"format": "csv"}))
    }
    la_perla = rows["La Perla"]
    columns = [
        "Population type: In transit",
        "Girls (under 18)",
        "Women (18 and over)",
        "Total beneficiaries",
    ]
    assert all(la_perla[column] == "" for column in columns)
    for column in columns:
        assert column in la_perla["Hidden cells"]
    assert not {"1", "2", "3"} & set(la_perla.values())
    assert rows["Bellavista"]["Total beneficiaries"] == "30"
    assert rows["Bellavista"]["Hidden cells"] == ""


def test_the_export_is_limited_to_the_districts_and_months_chosen(
    secretariat: Client, district_a: District, district_b: District
) -> None:
    this_month = _this_month()
    last_month = month_start(this_month, 1)
    table = {"": 20, "population_group=in_destination": 20, "r4v_group=women": 20}
    for district in (district_a, district_b):
        for month in (last_month, this_month):
            metric_table_store(district, month, table)
    response = secretariat.get(
        URL,
        {
            "format": "csv",
            "districts": ["bellavista"],
            "period_from": f"{this_month:%Y-%m}",
            "period_to": f"{this_month:%Y-%m}",
        },
    )
    rows = _csv_rows(response)
    assert [(row["District (admin 3)"], row["Month"]) for row in rows] == [
        ("Bellavista", f"{this_month:%Y-%m}")
    ]
    assert f"gtrm-5w-{this_month:%Y-%m}_{this_month:%Y-%m}.csv" in response["Content-Disposition"]


def test_a_breakdown_published_before_it_existed_is_blank_with_a_note_not_zero(
    secretariat: Client, district_a: District
) -> None:
    metric_table_store(
        district_a, _this_month(), {"": 12, "population_group=in_destination": 12, "sex=female": 12}
    )
    (row,) = _csv_rows(secretariat.get(URL, {"format": "csv"}))
    assert row["Women (18 and over)"] == ""
    assert row["Hidden cells"] == ""
    assert row["Notes"] == "Breakdown not published for this month yet."
    assert row["Total beneficiaries"] == "12"


def test_a_bad_period_shows_the_page_with_the_message_and_no_file(
    secretariat: Client, published: date
) -> None:
    response = secretariat.get(
        URL, {"format": "csv", "period_from": "2026-03", "period_to": "2026-01"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["period_to"] == [str(TO_BEFORE_FROM_MESSAGE)]


def test_the_page_explains_the_file_and_its_mapping(secretariat: Client) -> None:
    html = secretariat.get(URL).content.decode()
    assert "No figures yet" in html
    assert "Protection" in html
    assert 'name="format" value="csv"' in html
    assert len(BENEFICIARY_COLUMNS) == 11


def test_an_unknown_format_is_refused(secretariat: Client) -> None:
    assert secretariat.get(URL, {"format": "pdf"}).status_code == 400
