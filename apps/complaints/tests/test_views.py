from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from apps.audit.models import AccessLogEntry
from apps.complaints.models import Complaint, Establishment, SignageInspection, Stage
from apps.complaints.selectors import complaints_dashboard
from apps.complaints.tests.factories import (
    NARRATIVE,
    complaint_at,
    complaint_make,
    establishment_make,
    step,
)
from apps.people.tests.factories import person_make, staff
from conftest import login_as
from tenants.models import District

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "complaints_officer", "caseworker", "inclusion_officer", "viewer"]


def _complaint(district: District, stage: str = Stage.RECEIVED, **values: object) -> Complaint:
    with schema_context(district.schema_name):
        return complaint_at(stage, **values)


def _establishment(district: District, **values: object) -> Establishment:
    with schema_context(district.schema_name):
        return establishment_make(**values)


def _paths(complaint: Complaint, establishment: Establishment) -> dict[str, str]:
    return {
        "list": "/complaints/",
        "intake": "/complaints/new/",
        "detail": f"/complaints/{complaint.public_id}/",
        "move": f"/complaints/{complaint.public_id}/move/admitted/",
        "establishments": "/complaints/establishments/",
        "establishment": f"/complaints/establishments/{establishment.public_id}/",
        "establishment_new": "/complaints/establishments/new/",
        "signage": f"/complaints/establishments/{establishment.public_id}/signage/new/",
        "settings": "/complaints/settings/",
    }


EVERYTHING = dict.fromkeys(
    [
        "list",
        "intake",
        "detail",
        "move",
        "establishments",
        "establishment",
        "establishment_new",
        "signage",
        "settings",
    ],
    200,
)
EXPECTED = {
    "coordinator": EVERYTHING,
    "complaints_officer": EVERYTHING,
    # Intake and their own complaints; someone else's complaint is not found.
    "caseworker": {**dict.fromkeys(EVERYTHING, 403), "list": 200, "intake": 200, "detail": 404},
    "inclusion_officer": dict.fromkeys(EVERYTHING, 403),
    "viewer": dict.fromkeys(EVERYTHING, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_may_open(district_a: District, client_a: Client, role: str) -> None:
    paths = _paths(_complaint(district_a), _establishment(district_a))
    login_as(client_a, district_a, role)
    statuses = {name: client_a.get(path).status_code for name, path in paths.items()}
    assert statuses == EXPECTED[role]


def test_anonymous_visitors_are_sent_to_the_login_page(
    district_a: District, client_a: Client
) -> None:
    paths = _paths(_complaint(district_a), _establishment(district_a))
    for path in paths.values():
        response = client_a.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/")


def test_a_caseworker_without_the_permission_cannot_post_a_move(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        complaint = complaint_make(actor=staff("caseworker"))
    login_as(client_a, district_a, "caseworker")
    response = client_a.post(f"/complaints/{complaint.public_id}/move/dismissed/", {"reason": "x"})
    assert response.status_code == 403
    with schema_context(district_a.schema_name):
        assert Complaint.objects.get().stage == Stage.RECEIVED


def test_another_districts_complaint_is_not_found(
    district_a: District, district_b: District, client_b: Client
) -> None:
    complaint = _complaint(district_a)
    establishment = _establishment(district_a)
    login_as(client_b, district_b, "complaints_officer")
    for path in _paths(complaint, establishment).values():
        if complaint.public_id.hex in path.replace("-", "") or str(establishment.public_id) in path:
            assert client_b.get(path).status_code == 404, path
    assert client_b.post(f"/complaints/{complaint.public_id}/move/admitted/", {}).status_code == 404


def test_the_officer_takes_a_complaint_through_the_form(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        from apps.complaints.models import Ground

        grounds = [g.pk for g in Ground.objects.filter(code__in=["nationality", "race"])]
    login_as(client_a, district_a, "complaints_officer")
    response = client_a.post(
        "/complaints/new/",
        {
            "channel": "in_person",
            "received_on": timezone.localdate().isoformat(),
            "complainant_name": "Yusmary Gómez",
            "place_description": "Pollería de la esquina",
            "grounds": grounds,
            "narrative": NARRATIVE,
        },
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        complaint = Complaint.objects.get()
    assert response["Location"] == f"/complaints/{complaint.public_id}/"
    page = client_a.get(response["Location"]).content.decode()
    assert complaint.tracking_code in page
    assert "Yusmary Gómez" in page
    assert "venezolana" in page  # the narrative


def test_a_bad_intake_shows_messages_next_to_the_fields_and_stores_nothing(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "complaints_officer")
    response = client_a.post(
        "/complaints/new/",
        {"channel": "in_person", "received_on": "2999-01-01", "narrative": ""},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "narrative" in errors
    response = client_a.post(
        "/complaints/new/",
        {"channel": "in_person", "received_on": timezone.localdate().isoformat(), "narrative": "x"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["grounds"] == ["Choose at least one protected ground."]
    assert errors["complainant_name"][0].startswith("Give the complainant's name")
    assert 'class="field__errors"' in response.content.decode()
    with schema_context(district_a.schema_name):
        assert not Complaint.objects.exists()


def test_a_registered_complainant_is_found_by_search_and_linked(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        person = person_make()
        from apps.complaints.models import Ground

        ground = Ground.objects.get(code="nationality").pk
    login_as(client_a, district_a, "caseworker")
    found = client_a.get("/complaints/new/?find=perez nunez").content.decode()
    assert f"?person={person.public_id}" in found
    chosen = client_a.get(f"/complaints/new/?person={person.public_id}").content.decode()
    assert "María José Pérez Núñez" in chosen
    response = client_a.post(
        "/complaints/new/",
        {
            "channel": "third_party",
            "received_on": timezone.localdate().isoformat(),
            "complainant": str(person.public_id),
            "grounds": [ground],
            "narrative": NARRATIVE,
        },
    )
    assert response.status_code == 302
    with schema_context(district_a.schema_name):
        assert Complaint.objects.get().complainant == person
        search = AccessLogEntry.objects.get(action="search", object_type="person")
        assert search.detail["results"] == 1


def test_viewing_a_complaint_is_logged(district_a: District, client_a: Client) -> None:
    complaint = _complaint(district_a)
    login_as(client_a, district_a, "coordinator")
    assert client_a.get(f"/complaints/{complaint.public_id}/").status_code == 200
    with schema_context(district_a.schema_name):
        entry = AccessLogEntry.objects.get(object_type="complaint")
    assert entry.object_id == str(complaint.public_id)
    assert entry.username == "coordinator@la-perla.test"
    assert entry.detail == {"narrative": True}


def test_a_caseworker_reads_the_narrative_they_typed_only(
    district_a: District, client_a: Client
) -> None:
    """The caseworker who took a complaint in reads back what they typed; every other
    complaint (and so its narrative) is not found for them."""
    with schema_context(district_a.schema_name):
        mine = complaint_make(
            actor=staff("caseworker"), narrative="Lo que yo escribí en la oficina."
        )
        theirs = complaint_make(narrative="Relato reservado al área de denuncias.")
    login_as(client_a, district_a, "caseworker")
    page = client_a.get(f"/complaints/{mine.public_id}/").content.decode()
    assert "Lo que yo escribí en la oficina." in page
    assert "Next step" not in page
    assert client_a.get(f"/complaints/{theirs.public_id}/").status_code == 404
    listing = client_a.get("/complaints/").content.decode()
    assert f"/complaints/{mine.public_id}/" in listing
    assert f"/complaints/{theirs.public_id}/" not in listing


def test_the_narrative_is_hidden_from_roles_without_it(
    district_a: District, client_a: Client
) -> None:
    complaint = _complaint(district_a, narrative="Relato reservado al área de denuncias.")
    login_as(client_a, district_a, "viewer")
    assert client_a.get(f"/complaints/{complaint.public_id}/").status_code == 403
    home = client_a.get("/").content.decode()
    assert "Relato reservado" not in home


def test_the_page_offers_only_the_allowed_next_steps(
    district_a: District, client_a: Client
) -> None:
    complaint = _complaint(district_a)
    login_as(client_a, district_a, "complaints_officer")
    page = client_a.get(f"/complaints/{complaint.public_id}/").content.decode()
    base = f"/complaints/{complaint.public_id}/move/"
    offered = {stage for stage in Stage.values if f"{base}{stage}/" in page}
    assert offered == {"admitted", "dismissed"}


def test_a_step_through_the_page_and_an_impossible_one(
    district_a: District, client_a: Client
) -> None:
    complaint = _complaint(district_a)
    login_as(client_a, district_a, "complaints_officer")
    base = f"/complaints/{complaint.public_id}/move/"
    refused = client_a.post(f"{base}sanction/", {"on": timezone.localdate().isoformat()})
    assert refused.status_code == 400
    assert "A complaint that is “Received” cannot become “Sanctioned”." in refused.content.decode()
    assert client_a.get(f"{base}closed/").status_code == 400
    assert client_a.get(f"{base}nonsense/").status_code == 404
    missing = client_a.post(
        f"{base}dismissed/", {"on": timezone.localdate().isoformat(), "reason": ""}
    )
    assert missing.status_code == 400
    assert missing.context["form"].errors["reason"] == ["Write why the complaint is dismissed."]
    done = client_a.post(
        f"{base}dismissed/",
        {"on": timezone.localdate().isoformat(), "reason": "Fuera del distrito."},
    )
    assert done.status_code == 302
    with schema_context(district_a.schema_name):
        complaint.refresh_from_db()
        assert complaint.stage == Stage.DISMISSED
        assert complaint.transitions.last().changed_by == staff("complaints_officer")


def test_a_sanction_page_flags_a_repeat_offender(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        establishment = establishment_make()
        complaint_at(Stage.SANCTION, establishment=establishment)
        second = complaint_at(Stage.INFRACTION_REPORT, establishment=establishment)
    login_as(client_a, district_a, "complaints_officer")
    detail = client_a.get(f"/complaints/{second.public_id}/").content.decode()
    assert "Repeat offender." in detail
    form = client_a.get(f"/complaints/{second.public_id}/move/sanction/")
    assert "choose a sanction for a repeat offence" in form.content.decode()
    assert form.context["form"].fields["rule"].initial.code == "repeat-offence"
    page = client_a.get(f"/complaints/establishments/{establishment.public_id}/").content.decode()
    assert "Sanctioned before." in page
    assert "Definitive closure and revocation of the operating licence" in page


def test_establishments_register_edit_and_signage(district_a: District, client_a: Client) -> None:
    login_as(client_a, district_a, "complaints_officer")
    created = client_a.post(
        "/complaints/establishments/new/",
        {"name": "Hostal Mar Azul", "address": "Av. La Marina 2100", "licence_number": "LF-1"},
    )
    assert created.status_code == 302
    duplicate = client_a.post(
        "/complaints/establishments/new/",
        {"name": "Otro", "address": "Jr. Lima 1", "licence_number": "lf-1"},
    )
    assert duplicate.status_code == 400
    assert "Hostal Mar Azul" in duplicate.context["form"].errors["licence_number"][0]
    with schema_context(district_a.schema_name):
        establishment = Establishment.objects.get()
        assert Establishment.objects.count() == 1
    signage = f"/complaints/establishments/{establishment.public_id}/signage/new/"
    bad = client_a.post(
        signage, {"inspected_on": timezone.localdate().isoformat(), "banned_phrase_found": "on"}
    )
    assert bad.status_code == 400
    assert bad.context["form"].errors["banned_phrases"] == ["Write the banned phrases seen."]
    good = client_a.post(
        signage,
        {
            "inspected_on": timezone.localdate().isoformat(),
            "banned_phrase_found": "on",
            "banned_phrases": "Nos reservamos el derecho de admisión",
        },
    )
    assert good.status_code == 302
    with schema_context(district_a.schema_name):
        inspection = SignageInspection.objects.get()
    assert not inspection.is_compliant
    listing = client_a.get("/complaints/establishments/").content.decode()
    assert "not compliant" in listing
    with schema_context(district_a.schema_name):
        version = Establishment.objects.get(pk=establishment.pk).version
    edited = client_a.post(
        f"/complaints/establishments/{establishment.public_id}/edit/",
        {
            "name": "Hostal Mar Azul",
            "address": "Av. La Marina 2200",
            "licence_number": "LF-1",
            "record_version": version,  # the version the edit form was loaded with
        },
    )
    assert edited.status_code == 302


def test_the_ordinance_tables_are_editable_with_clear_errors(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "coordinator")
    page = client_a.get("/complaints/settings/").content.decode()
    assert "Fine of 50% of a UIT and temporary closure" in page
    assert "Migratory status" in page
    bad = client_a.post("/complaints/settings/deadlines/", {"days-received": "0"})
    assert bad.status_code == 400
    assert bad.context["deadlines_form"].errors["received"]
    fields = {
        f"days-{stage}": "7"
        for stage in (
            "received",
            "admitted",
            "inspection",
            "infraction_report",
            "sanction",
            "appeal",
        )
    }
    assert client_a.post("/complaints/settings/deadlines/", fields).status_code == 302
    with schema_context(district_a.schema_name):
        from apps.complaints.models import StageDeadline

        assert set(StageDeadline.objects.values_list("days", flat=True)) == {7}
    rule = client_a.post(
        "/complaints/settings/sanctions/new/",
        {
            "name_es": "Amonestación",
            "name_en": "Warning",
            "offence": "first",
            "fine_uit_fraction": "0",
        },
    )
    assert rule.status_code == 400
    assert rule.context["form"].errors["fine_uit_fraction"]
    ground = client_a.post(
        "/complaints/settings/grounds/new/", {"ground-name_es": "Edad", "ground-name_en": "Age"}
    )
    assert ground.status_code == 302
    again = client_a.post(
        "/complaints/settings/grounds/new/", {"ground-name_es": "Edad", "ground-name_en": "Age"}
    )
    assert again.status_code == 400


def test_the_dashboard_partial_shows_counts_and_the_overdue_list_to_officers(
    district_a: District, client_a: Client
) -> None:
    from datetime import timedelta

    with schema_context(district_a.schema_name):
        late = complaint_make(received_on=timezone.localdate() - timedelta(days=40))
        step(Stage.ADMITTED, complaint_make())
        dashboard = complaints_dashboard(timezone.localdate())
        request = RequestFactory().get("/")
        from django.contrib.auth.context_processors import PermWrapper

        def html(role: str) -> str:
            return render_to_string(
                "tenant/complaints/_dashboard.html",
                {"complaints": dashboard, "perms": PermWrapper(staff(role))},
                request=request,
            )

        with translation.override("en"):
            officer_html, viewer_html = html("complaints_officer"), html("viewer")
    assert dashboard["overdue_count"] == 1
    assert f"/complaints/{late.public_id}/" in officer_html
    assert f"/complaints/{late.public_id}/" not in viewer_html
    assert "Complaints by stage" in viewer_html
    assert "overdue" in viewer_html


def _queries(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def _more(district: District, start: int, stop: int) -> None:
    with schema_context(district.schema_name):
        for i in range(start, stop):
            establishment = establishment_make(name=f"Local {i}", licence_number=f"LF-{i}")
            complaint_at(
                Stage.SANCTION, establishment=establishment, grounds=("nationality", "race")
            )


@pytest.mark.parametrize("path", ["/complaints/", "/complaints/establishments/", "/"])
def test_list_pages_do_not_grow_with_rows(
    district_a: District, client_a: Client, path: str
) -> None:
    login_as(client_a, district_a, "complaints_officer")
    _more(district_a, 0, 1)
    few = _queries(client_a, path)
    _more(district_a, 1, 7)
    assert _queries(client_a, path) == few


def test_the_complaint_and_establishment_pages_do_not_grow_with_history(
    district_a: District, client_a: Client
) -> None:
    login_as(client_a, district_a, "complaints_officer")
    with schema_context(district_a.schema_name):
        establishment = establishment_make()
        complaint = complaint_at(Stage.ADMITTED, establishment=establishment)
    paths = [
        f"/complaints/{complaint.public_id}/",
        f"/complaints/establishments/{establishment.public_id}/",
    ]
    few = [_queries(client_a, path) for path in paths]
    with schema_context(district_a.schema_name):
        for stage in (Stage.INSPECTION, Stage.INFRACTION_REPORT, Stage.SANCTION, Stage.APPEAL):
            complaint = step(stage, complaint)
        for _ in range(3):
            complaint_at(Stage.SANCTION, establishment=establishment)
    # No more queries (the complaint page skips the repeat-offence check once sanctioned).
    assert all(
        n <= before for n, before in zip([_queries(client_a, p) for p in paths], few, strict=True)
    )
