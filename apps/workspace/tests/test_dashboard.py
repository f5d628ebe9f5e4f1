from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.casework.services import attention_record, case_open, follow_up_add, referral_send
from apps.catalogue.models import Partner, ServiceType
from apps.people.models import ConsentPurpose
from apps.people.tests.factories import person_make, staff
from apps.workspace.selectors import district_dashboard
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db


def _activity(district: District) -> None:
    today = timezone.localdate()
    with schema_context(district.schema_name):
        legal = list(ServiceType.objects.filter(code="legal-orientation"))
        ana = person_make(consents=(ConsentPurpose.REFERRAL_SHARING,))
        luis = person_make(given_names="Luis", document_number="P-2")
        for person in (ana, ana, luis):  # two attentions of Ana count her once
            attention_record(
                actor=staff(),
                person=person,
                occurred_on=today,
                channel="phone",
                service_types=legal,
            )
        case = case_open(actor=staff(), person=ana, caseworker=staff())
        follow_up_add(
            actor=staff(), case=case, description="Llamar", due_on=today - timedelta(days=1)
        )
        referral_send(
            actor=staff(), person=ana, partner=Partner.objects.get(code="acnur"), reason="Refugio"
        )


def test_the_dashboard_counts_people_not_attentions(district_a: District) -> None:
    _activity(district_a)
    with schema_context(district_a.schema_name):
        figures = district_dashboard(today=timezone.localdate())
    assert figures["people_served_this_month"] == 2
    assert figures["open_cases"] == 1
    assert figures["overdue_follow_ups"] == 1
    by_service = {bar.label: bar.value for bar in figures["attentions_by_service"]}  # type: ignore[attr-defined]
    assert by_service == {"Orientación migratoria y legal": 3}
    by_status = {bar.label: bar.value for bar in figures["referrals_by_status"]}  # type: ignore[attr-defined]
    assert by_status["Enviada"] == 1
    assert len(figures["trend"]) == 12  # type: ignore[arg-type]


def test_the_home_shows_the_queue_to_a_caseworker_and_only_figures_to_a_viewer(
    district_a: District, client_a: Client
) -> None:
    _activity(district_a)
    login_as(client_a, district_a, "caseworker")
    page = client_a.get("/").content.decode()
    assert "Llamar" in page
    assert "Pérez Núñez" in page
    viewer = Client(HTTP_HOST="la-perla.localhost")
    login_as(viewer, district_a, "viewer")
    page = viewer.get("/").content.decode()
    assert "Pérez Núñez" not in page
    assert "Llamar" not in page
    assert "people served this month" in page or "personas atendidas este mes" in page
