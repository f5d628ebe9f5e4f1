"""The public report and tracking pages: no login, spam guards, rate limits, no leaks."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.complaints import spam
from apps.complaints.models import Complaint, Ground, Stage
from apps.complaints.public_forms import LINKS_MESSAGE, PRIVACY_MESSAGE
from apps.complaints.services import ANONYMOUS_IDENTITY_MESSAGE, NO_GROUND_MESSAGE
from apps.complaints.tests.factories import complaint_at, establishment_make
from conftest import client_for
from tenants.models import District
from tenants.services.lifecycle import district_suspend

pytestmark = pytest.mark.django_db

REPORT = "/complaints/report/"
TRACK = "/complaints/track/"


def _form(district: District, **values: object) -> dict[str, object]:
    with schema_context(district.schema_name):
        grounds = [
            g.pk for g in Ground.objects.filter(code__in=["nationality", "migratory-status"])
        ]
    return {
        "complainant_name": "Génesis Hernández",
        "complainant_contact": "987 654 321",
        "place_description": "Discoteca en Av. Sáenz Peña",
        "grounds": grounds,
        "narrative": "El portero me dijo que no dejan entrar a venezolanos y me empujó.",
        "accepts_privacy": "on",
        "website": "",
        "started": spam.form_started_token(time.time() - 60),
        **values,
    }


def _stored(district: District) -> int:
    with schema_context(district.schema_name):
        return Complaint.objects.count()


def test_the_form_opens_without_login(district_a: District, client_a: Client) -> None:
    response = client_a.get(REPORT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Report discrimination" in page
    assert 'name="website"' in page
    assert 'aria-hidden="true"' in page
    assert 'name="started"' in page


def test_a_complaint_is_sent_and_its_code_shown_once(
    district_a: District, client_a: Client
) -> None:
    response = client_a.post(REPORT, _form(district_a))
    assert response.status_code == 302
    assert response["Location"] == "/complaints/report/sent/"
    with schema_context(district_a.schema_name):
        complaint = Complaint.objects.get()
        assert complaint.channel == "online"
        assert complaint.filed_by is None
        assert complaint.complainant_name == "Génesis Hernández"
        assert complaint.grounds.count() == 2
    sent = client_a.get("/complaints/report/sent/")
    assert complaint.tracking_code in sent.content.decode()
    again = client_a.get("/complaints/report/sent/")
    assert again.status_code == 302  # shown once only
    assert complaint.tracking_code not in again.content.decode()


def test_an_anonymous_complaint_keeps_no_name(district_a: District, client_a: Client) -> None:
    response = client_a.post(
        REPORT, _form(district_a, is_anonymous="on", complainant_name="", complainant_contact="")
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        complaint = Complaint.objects.get()
    assert complaint.is_anonymous
    assert not complaint.complainant_name


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"narrative": "Ver https://spam.example/oferta ahora mismo por favor"},
            "narrative",
            LINKS_MESSAGE,
        ),
        ({"accepts_privacy": ""}, "accepts_privacy", PRIVACY_MESSAGE),
        ({"grounds": []}, "grounds", NO_GROUND_MESSAGE),
        ({"is_anonymous": "on"}, "is_anonymous", ANONYMOUS_IDENTITY_MESSAGE),
        ({"place_description": ""}, "place_description", "Tell us where it happened."),
        ({"narrative": "Me trataron mal."}, "narrative", None),
        ({"narrative": "x" * 5001}, "narrative", None),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "The date cannot be in the future."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_stored(
    district_a: District, client_a: Client, values: dict[str, object], field: str, message: object
) -> None:
    response = client_a.post(REPORT, _form(district_a, **values))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    if message is not None:
        assert errors[field] == [str(message)]
    assert _stored(district_a) == 0


def test_the_honeypot_refuses_with_a_clear_message(district_a: District, client_a: Client) -> None:
    response = client_a.post(REPORT, _form(district_a, website="http://buy.example"))
    assert response.status_code == 400
    assert str(spam.HONEYPOT_MESSAGE) in response.content.decode()
    assert _stored(district_a) == 0


def test_a_submission_faster_than_a_person_is_refused(
    district_a: District, client_a: Client
) -> None:
    response = client_a.post(REPORT, _form(district_a, started=spam.form_started_token()))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [str(spam.TOO_FAST_MESSAGE)]
    assert _stored(district_a) == 0
    # The form comes back with a new timestamp, so a person can send it again.
    assert response.context["form"].data["started"] != ""


@pytest.mark.parametrize(
    "started",
    ["", "forged", spam.form_started_token(time.time() - spam.MAX_FILL_SECONDS - 120)],
    ids=["missing", "forged", "stale"],
)
def test_a_missing_forged_or_stale_timestamp_is_refused(
    district_a: District, client_a: Client, started: str
) -> None:
    response = client_a.post(REPORT, _form(district_a, started=started))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [str(spam.EXPIRED_MESSAGE)]
    assert str(spam.EXPIRED_MESSAGE) in response.content.decode()
    assert _stored(district_a) == 0


def test_the_rate_limit_answers_429_after_five_sends_an_hour(
    district_a: District, district_b: District, client_a: Client
) -> None:
    for _ in range(5):
        assert client_a.post(REPORT, _form(district_a)).status_code == 302
    refused = client_a.post(REPORT, _form(district_a))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Too many attempts" in refused.content.decode()
    assert _stored(district_a) == 5
    # Reading the form is not limited; another address and another district are unaffected.
    assert client_a.get(REPORT).status_code == 200
    other_address = client_for(district_a)
    other_address.cookies["django_language"] = "en"
    assert other_address.post(REPORT, _form(district_a), REMOTE_ADDR="10.1.2.3").status_code == 302
    assert client_for(district_b).post(REPORT, _form(district_b)).status_code == 302


def test_the_tracking_page_shows_the_stage_and_dates_only(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        establishment = establishment_make(name="Discoteca La Chalaca")
        complaint = complaint_at(
            Stage.ADMITTED,
            establishment=establishment,
            complainant_name="Yulimar Rodríguez",
            complainant_contact="999111222",
            narrative="Relato confidencial del portero.",
        )
        other = complaint_at(Stage.RECEIVED, complainant_name="Otra Persona")
    response = client_a.post(TRACK, {"code": complaint.tracking_code.lower()})
    assert response.status_code == 200
    page = response.content.decode()
    assert complaint.tracking_code in page
    assert "Admitted" in page
    assert "Received" in page
    for secret in (
        "Yulimar",
        "999111222",
        "Relato confidencial",
        "Chalaca",
        "Otra Persona",
        other.tracking_code,
        str(complaint.public_id),
    ):
        assert secret not in page, secret
    unknown = client_a.post(TRACK, {"code": "DEN-AAAAA-BBBBB"})
    assert "No complaint has this code" in unknown.content.decode()


def test_a_code_of_one_district_is_unknown_in_another(
    district_a: District, district_b: District, client_b: Client
) -> None:
    with schema_context(district_a.schema_name):
        complaint = complaint_at(Stage.RECEIVED)
    response = client_b.post(TRACK, {"code": complaint.tracking_code})
    assert "No complaint has this code" in response.content.decode()


def test_tracking_lookups_are_rate_limited(district_a: District, client_a: Client) -> None:
    for _ in range(30):
        assert client_a.post(TRACK, {"code": "DEN-AAAAA-BBBBB"}).status_code == 200
    assert client_a.post(TRACK, {"code": "DEN-AAAAA-BBBBB"}).status_code == 429


def test_a_suspended_workspace_takes_no_complaint_but_still_tracks(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        complaint = complaint_at(Stage.RECEIVED)
    district_suspend(district=district_a)
    page = client_a.get(REPORT).content.decode()
    assert "cannot receive complaints online right now" in page
    assert 'name="narrative"' not in page
    refused = client_a.post(REPORT, _form(district_a))
    assert refused.status_code == 403
    assert _stored(district_a) == 1
    tracked = client_a.post(TRACK, {"code": complaint.tracking_code})
    assert tracked.status_code == 200
    assert complaint.tracking_code in tracked.content.decode()


def test_the_platform_host_has_no_complaint_form(db: None) -> None:
    assert client_for(None).get(REPORT).status_code == 404
