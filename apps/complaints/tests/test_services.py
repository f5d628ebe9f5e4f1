from __future__ import annotations

from datetime import timedelta
from itertools import product

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.complaints import services
from apps.complaints.models import (
    Complaint,
    ComplaintTransition,
    Ground,
    Offence,
    Sanction,
    SanctionRule,
    Stage,
)
from apps.complaints.services import COMPLAINT_TRANSITIONS, ComplaintIntake, complaint_receive
from apps.complaints.tests.factories import (
    NARRATIVE,
    complaint_at,
    complaint_make,
    establishment_make,
    officer,
    step,
)
from apps.people.tests.factories import person_make, staff
from tenants.models import District

pytestmark = pytest.mark.django_db

ALLOWED = {(a, b) for a, targets in COMPLAINT_TRANSITIONS.items() for b in targets}
REFUSED = sorted(
    (a, b)
    for a, b in product(Stage.values, Stage.values)
    if (a, b) not in ALLOWED and b != Stage.RECEIVED
)


def _errors(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# ---------------------------------------------------------------------------- intake


def test_a_complaint_is_received_with_a_tracking_code_and_a_first_transition(
    in_district_a: District,
) -> None:
    complaint = complaint_make(grounds=("nationality", "migratory-status"))
    assert complaint.stage == Stage.RECEIVED
    assert complaint.stage_since == timezone.localdate()
    assert complaint.tracking_code.startswith("DEN-")
    assert len(complaint.tracking_code) == 15
    assert complaint.filed_by == officer()
    assert {g.code for g in complaint.grounds.all()} == {"nationality", "migratory-status"}
    transition = ComplaintTransition.objects.get(complaint=complaint)
    assert (transition.from_stage, transition.to_stage) == ("", Stage.RECEIVED)
    assert transition.changed_by == officer()


def test_tracking_codes_differ(in_district_a: District) -> None:
    codes = {complaint_make().tracking_code for _ in range(5)}
    assert len(codes) == 5


def test_a_registered_person_may_be_the_complainant(in_district_a: District) -> None:
    person = person_make()
    complaint = complaint_make(complainant=person, complainant_name="")
    assert complaint.complainant == person


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"complainant_name": ""}, "complainant_name", services.NO_COMPLAINANT_MESSAGE),
        ({"narrative": "   "}, "narrative", services.NO_NARRATIVE_MESSAGE),
        ({"is_anonymous": True}, "is_anonymous", services.ANONYMOUS_IDENTITY_MESSAGE),
        (
            {"is_anonymous": True, "complainant_name": "", "complainant_contact": "987654321"},
            "is_anonymous",
            services.ANONYMOUS_IDENTITY_MESSAGE,
        ),
        (
            {"received_on": timezone.localdate() + timedelta(days=1)},
            "received_on",
            services.FUTURE_DATE_MESSAGE,
        ),
        (
            {
                "received_on": timezone.localdate() - timedelta(days=3),
                "occurred_on": timezone.localdate() - timedelta(days=1),
            },
            "occurred_on",
            services.FACTS_AFTER_RECEPTION_MESSAGE,
        ),
    ],
)
def test_bad_intakes_are_refused_next_to_the_field_and_nothing_is_stored(
    in_district_a: District, values: dict[str, object], field: str, message: object
) -> None:
    with pytest.raises(ValidationError) as error:
        complaint_make(**values)
    assert _errors(error)[field] == [str(message)]
    assert not Complaint.objects.exists()
    assert not ComplaintTransition.objects.exists()


def test_a_complaint_needs_a_ground(in_district_a: District) -> None:
    with pytest.raises(ValidationError) as error:
        complaint_make(grounds=())
    assert _errors(error)["grounds"] == [str(services.NO_GROUND_MESSAGE)]
    assert not Complaint.objects.exists()


def test_a_person_and_a_typed_name_together_are_refused(in_district_a: District) -> None:
    with pytest.raises(ValidationError) as error:
        complaint_make(complainant=person_make())
    assert _errors(error)["complainant_name"] == [str(services.PERSON_AND_NAME_MESSAGE)]


def test_an_anonymous_complaint_keeps_no_identity(in_district_a: District) -> None:
    complaint = complaint_make(is_anonymous=True, complainant_name="")
    assert complaint.is_anonymous
    assert (complaint.complainant, complaint.complainant_name, complaint.complainant_contact) == (
        None,
        "",
        "",
    )


def test_the_public_form_files_a_complaint_without_an_account(in_district_a: District) -> None:
    complaint = complaint_receive(
        actor=None,
        intake=ComplaintIntake(
            channel="online",
            grounds=list(Ground.objects.filter(code="race")),
            narrative=NARRATIVE,
            is_anonymous=True,
        ),
    )
    assert complaint.filed_by is None
    assert complaint.transitions.get().changed_by is None


# ---------------------------------------------------------------------------- workflow


def test_the_full_workflow_records_who_and_when_at_each_step(in_district_a: District) -> None:
    complaint = complaint_at(Stage.APPEAL)
    complaint = step(Stage.CLOSED, complaint)
    assert complaint.stage == Stage.CLOSED
    assert complaint.appeal_outcome == "confirmed"
    moves = list(complaint.transitions.values_list("from_stage", "to_stage", "changed_by"))
    assert moves == [
        ("", Stage.RECEIVED, officer().pk),
        (Stage.RECEIVED, Stage.ADMITTED, officer().pk),
        (Stage.ADMITTED, Stage.INSPECTION, officer().pk),
        (Stage.INSPECTION, Stage.INFRACTION_REPORT, officer().pk),
        (Stage.INFRACTION_REPORT, Stage.SANCTION, officer().pk),
        (Stage.SANCTION, Stage.APPEAL, officer().pk),
        (Stage.APPEAL, Stage.CLOSED, officer().pk),
    ]
    assert all(t.changed_at and t.effective_on for t in complaint.transitions.all())
    sanction = Sanction.objects.get(complaint=complaint)
    assert sanction.offence == Offence.FIRST
    assert (
        sanction.fine_uit_fraction
        == SanctionRule.objects.get(code="first-offence").fine_uit_fraction
    )


@pytest.mark.parametrize(
    "path",
    [
        [Stage.DISMISSED],
        [Stage.ADMITTED, Stage.CLOSED],
        [Stage.ADMITTED, Stage.INSPECTION, Stage.CLOSED],
        [Stage.ADMITTED, Stage.INSPECTION, Stage.INFRACTION_REPORT, Stage.CLOSED],
        [Stage.ADMITTED, Stage.INSPECTION, Stage.INFRACTION_REPORT, Stage.SANCTION, Stage.CLOSED],
    ],
)
def test_the_shortcuts_are_allowed(in_district_a: District, path: list[str]) -> None:
    complaint = complaint_make()
    for stage in path:
        complaint = step(stage, complaint)
    assert complaint.stage == path[-1]


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_every_impossible_transition_is_refused(
    in_district_a: District, current: str, target: str
) -> None:
    complaint = complaint_at(current)
    before = complaint.transitions.count()
    with pytest.raises(ValidationError) as error:
        step(target, complaint)
    expected = services.TRANSITION_MESSAGE % {
        "current": Stage(current).label,
        "target": Stage(target).label,
    }
    assert error.value.messages == [str(expected)]
    assert error.value.code == "transition"
    complaint.refresh_from_db()
    assert complaint.stage == current
    assert complaint.transitions.count() == before


def test_no_stage_leads_back_to_received() -> None:
    assert all(Stage.RECEIVED not in targets for targets in COMPLAINT_TRANSITIONS.values())
    assert set(COMPLAINT_TRANSITIONS) == set(Stage.values)


def test_a_dismissal_needs_a_reason(in_district_a: District) -> None:
    complaint = complaint_make()
    with pytest.raises(ValidationError) as error:
        services.complaint_dismiss(actor=officer(), complaint=complaint, reason=" ")
    assert _errors(error)["reason"] == [str(services.DISMISSAL_REASON_MESSAGE)]
    complaint.refresh_from_db()
    assert complaint.stage == Stage.RECEIVED


def test_an_inspection_needs_an_establishment_an_inspector_and_findings(
    in_district_a: District,
) -> None:
    complaint = complaint_at(Stage.ADMITTED)
    with pytest.raises(ValidationError) as error:
        services.complaint_inspect(
            actor=officer(), complaint=complaint, inspector=None, findings=""
        )
    assert set(_errors(error)) == {"establishment", "inspector", "findings"}
    complaint.refresh_from_db()
    assert complaint.stage == Stage.ADMITTED


def test_step_dates_cannot_be_future_nor_before_the_current_stage(in_district_a: District) -> None:
    today = timezone.localdate()
    complaint = complaint_make(received_on=today - timedelta(days=10))
    with pytest.raises(ValidationError) as error:
        services.complaint_admit(actor=officer(), complaint=complaint, on=today + timedelta(days=1))
    assert _errors(error)["on"] == [str(services.FUTURE_DATE_MESSAGE)]
    with pytest.raises(ValidationError) as error:
        services.complaint_admit(
            actor=officer(), complaint=complaint, on=today - timedelta(days=11)
        )
    assert "on" in _errors(error)
    admitted = services.complaint_admit(
        actor=officer(), complaint=complaint, on=today - timedelta(days=8)
    )
    assert admitted.stage_since == today - timedelta(days=8)
    assert admitted.transitions.last().effective_on == today - timedelta(days=8)


def test_closing_after_an_appeal_needs_its_outcome(in_district_a: District) -> None:
    complaint = complaint_at(Stage.APPEAL)
    with pytest.raises(ValidationError) as error:
        services.complaint_close(actor=officer(), complaint=complaint, note="Resuelto.")
    assert _errors(error)["appeal_outcome"] == [str(services.APPEAL_OUTCOME_MESSAGE)]
    with pytest.raises(ValidationError) as error:
        services.complaint_close(
            actor=officer(), complaint=complaint, note="", appeal_outcome="confirmed"
        )
    assert _errors(error)["note"] == [str(services.CLOSING_NOTE_MESSAGE)]


def test_a_caseworker_intake_is_filed_by_the_caseworker(in_district_a: District) -> None:
    complaint = complaint_make(actor=staff("caseworker"))
    assert complaint.filed_by == staff("caseworker")


# ---------------------------------------------------------------------------- repeat offences


def _sanctioned(establishment_name: str = "Discoteca La Chalaca") -> Complaint:
    establishment = establishment_make(name=establishment_name)
    return complaint_at(Stage.SANCTION, establishment=establishment)


def test_a_second_sanction_of_an_establishment_is_a_repeat_offence(in_district_a: District) -> None:
    first = _sanctioned()
    establishment = first.establishment
    assert establishment is not None
    second = complaint_at(Stage.INFRACTION_REPORT, establishment=establishment)
    first_rule = SanctionRule.objects.get(code="first-offence")
    with pytest.raises(ValidationError) as error:
        services.complaint_sanction(actor=officer(), complaint=second, rule=first_rule)
    assert _errors(error)["rule"] == [
        str(services.REPEAT_RULE_MESSAGE % {"establishment": establishment.name})
    ]
    repeat = SanctionRule.objects.get(code="repeat-offence")
    second = services.complaint_sanction(actor=officer(), complaint=second, rule=repeat)
    sanction = Sanction.objects.get(complaint=second)
    assert sanction.is_repeat
    assert sanction.definitive_closure
    assert sanction.licence_revocation
    assert establishment.sanctions.count() == 2


def test_a_first_offence_cannot_take_the_repeat_sanction(in_district_a: District) -> None:
    complaint = complaint_at(Stage.INFRACTION_REPORT, establishment=establishment_make())
    repeat = SanctionRule.objects.get(code="repeat-offence")
    with pytest.raises(ValidationError) as error:
        services.complaint_sanction(actor=officer(), complaint=complaint, rule=repeat)
    assert "rule" in _errors(error)
    assert not Sanction.objects.exists()


def test_a_sanction_annulled_on_appeal_does_not_make_a_repeat_offence(
    in_district_a: District,
) -> None:
    first = step(Stage.APPEAL, _sanctioned())
    services.complaint_close(
        actor=officer(), complaint=first, note="Anulada.", appeal_outcome="annulled"
    )
    assert Sanction.objects.get(complaint=first).annulled_on == timezone.localdate()
    establishment = first.establishment
    assert establishment is not None
    second = complaint_at(Stage.SANCTION, establishment=establishment)
    assert Sanction.objects.get(complaint=second).offence == Offence.FIRST


def test_the_sanction_keeps_its_figures_when_the_table_changes(in_district_a: District) -> None:
    complaint = _sanctioned()
    SanctionRule.objects.filter(code="first-offence").update(fine_uit_fraction="2.00")
    assert Sanction.objects.get(complaint=complaint).fine_percent == 50
