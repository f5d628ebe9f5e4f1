"""The forum's forms screen their texts for personal data in clean(), so that all the
errors of a submission come back at once."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.forum.forms import (
    AgendaDecisionForm,
    AgendaItemForm,
    AgreementForm,
    MinutesForm,
    ParticipantForm,
    ProgressForm,
    ProposalForm,
    SessionForm,
)
from apps.forum.models import AgendaItem, ForumSession
from apps.forum.services import PERSONAL_DATA_MESSAGE
from apps.forum.tests.factories import session_make

pytestmark = pytest.mark.django_db

DNI = "Caso del Sr. 45 871 236"


def test_a_bad_title_and_a_bad_duration_are_reported_together() -> None:
    session = session_make()
    form = AgendaItemForm({"title": DNI, "planned_minutes": "0"}, session=session)
    assert not form.is_valid()
    assert set(form.errors) == {"title", "planned_minutes"}
    assert form.errors["title"] == [str(PERSONAL_DATA_MESSAGE)]


@pytest.mark.parametrize(
    ("form_class", "data", "fields"),
    [
        (SessionForm, {"held_on": "mañana", "place": DNI}, {"held_on", "place"}),
        (SessionForm, {"held_on": "15/03/1999", "place": DNI}, {"held_on", "place"}),
        (MinutesForm, {"body": DNI, "change_note": "ana(at)gmail.com"}, {"body", "change_note"}),
        (ParticipantForm, {"kind": "nope", "organisation": DNI}, {"kind", "organisation"}),
        (ProgressForm, {"status": "nope", "note": DNI}, {"status", "note"}),
        (
            AgreementForm,
            {"text": DNI, "responsible_partners": "OIM, (01) 429-1234", "target": "-1"},
            {"text", "responsible_partners", "target"},
        ),
    ],
)
def test_each_form_screens_its_texts(
    form_class: type, data: dict[str, str], fields: set[str]
) -> None:
    form = form_class(data)
    assert not form.is_valid()
    assert set(form.errors) == fields


def test_a_proposal_reports_every_error_at_once() -> None:
    sessions = ForumSession.objects.filter(status=ForumSession.Status.CONVENED)
    form = ProposalForm(
        {"title": "Tema", "description": DNI, "planned_minutes": "601"}, sessions=sessions
    )
    assert not form.is_valid()
    assert set(form.errors) == {"session", "description", "planned_minutes"}


@translation.override("en")
def test_agreement_partners_are_deduplicated_and_long_names_explained() -> None:
    form = AgreementForm({"text": "Acuerdo", "responsible_partners": "ACNUR, acnur , OIM,, "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["responsible_partners"] == ["ACNUR", "OIM"]
    long_name = "Organización " + "x" * 120
    form = AgreementForm({"text": "Acuerdo", "responsible_partners": f"OIM, {long_name}"})
    assert not form.is_valid()
    (message,) = form.errors["responsible_partners"]
    assert "120 characters at most" in message
    assert "did not validate" not in message


@translation.override("en")
def test_the_decision_form_offers_only_the_open_decisions_and_none_chosen() -> None:
    session = session_make(status=ForumSession.Status.HELD)
    accepted = AgendaItem(session=session, status=AgendaItem.Status.ACCEPTED, pk=1)
    form = AgendaDecisionForm(prefix="item-1", item=accepted, session=session)
    assert [value for value, _label in form.fields["status"].choices] == [
        "",
        "discussed",
        "deferred",
    ]
    assert '<option value="" selected>' in str(form["status"])
    assert form["current"].value() == "accepted"
    blank = AgendaDecisionForm(
        {"item-1-status": ""}, prefix="item-1", item=accepted, session=session
    )
    assert not blank.is_valid()
    assert "status" in blank.errors
    accept = AgendaDecisionForm(
        {"item-1-status": "accepted"}, prefix="item-1", item=accepted, session=session
    )
    assert not accept.is_valid()
    assert "not open for an item that is “Accepted”" in accept.errors["status"][0]
