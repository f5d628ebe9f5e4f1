from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from apps.complaints.models import Stage, StageDeadline
from apps.complaints.selectors import (
    ComplaintFilters,
    can_read_narrative,
    complaint_list,
    complaint_track,
    complaints_dashboard,
    complaints_overdue,
    complaints_visible_to,
)
from apps.complaints.services import complaint_admit
from apps.complaints.tests.factories import (
    complaint_at,
    complaint_make,
    establishment_make,
    officer,
)
from apps.people.tests.factories import staff
from tenants.models import District

pytestmark = pytest.mark.django_db


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def test_overdue_follows_the_deadline_table(in_district_a: District) -> None:
    today = timezone.localdate()
    received_days = StageDeadline.objects.get(stage=Stage.RECEIVED).days
    late = complaint_make(received_on=_ago(received_days + 1))
    on_time = complaint_make(received_on=_ago(received_days))
    admitted = complaint_admit(
        actor=officer(), complaint=complaint_make(received_on=_ago(30)), on=_ago(2)
    )
    assert list(complaints_overdue(today)) == [late]
    assert complaints_overdue(today).get().due_on == late.received_on + timedelta(
        days=received_days
    )
    StageDeadline.objects.filter(stage=Stage.ADMITTED).update(days=1)
    assert set(complaints_overdue(today)) == {late, admitted}
    assert on_time not in complaints_overdue(today)


def test_final_stages_are_never_overdue(in_district_a: District) -> None:
    closed = complaint_at(Stage.CLOSED, received_on=_ago(100))
    dismissed = complaint_at(Stage.DISMISSED, received_on=_ago(100))
    type(closed).objects.filter(pk__in=[closed.pk, dismissed.pk]).update(stage_since=_ago(100))
    assert not complaints_overdue(timezone.localdate()).exists()


def test_the_dashboard_counts_by_stage_and_ground(in_district_a: District) -> None:
    complaint_make(grounds=("nationality", "migratory-status"), received_on=_ago(40))
    complaint_at(Stage.ADMITTED, grounds=("nationality",))
    with translation.override("es"):
        dashboard = complaints_dashboard(timezone.localdate())
    stages = {bar.label: bar.value for bar in dashboard["by_stage"]}
    with translation.override("es"):
        assert stages[str(Stage.RECEIVED.label)] == 1
        assert stages[str(Stage.ADMITTED.label)] == 1
    assert sum(stages.values()) == dashboard["total"] == 2
    grounds = {bar.label: bar.value for bar in dashboard["by_ground"]}
    assert grounds["Nacionalidad"] == 2
    assert grounds["Condición migratoria"] == 1
    assert dashboard["overdue_count"] == 1
    assert dashboard["open"] == 2


def test_a_caseworker_sees_only_the_complaints_they_filed(in_district_a: District) -> None:
    mine = complaint_make(actor=staff("caseworker"))
    complaint_make()
    assert list(complaints_visible_to(staff("caseworker"))) == [mine]
    assert complaints_visible_to(officer()).count() == 2
    assert complaints_visible_to(staff("coordinator")).count() == 2
    assert not complaints_visible_to(staff("viewer")).exists()
    assert not complaints_visible_to(staff("inclusion_officer")).exists()


def test_the_narrative_is_for_officers_coordinators_and_whoever_typed_it(
    in_district_a: District,
) -> None:
    filed_by_caseworker = complaint_make(actor=staff("caseworker"))
    filed_by_officer = complaint_make()
    assert can_read_narrative(staff("caseworker"), filed_by_caseworker)
    assert not can_read_narrative(staff("caseworker"), filed_by_officer)
    assert can_read_narrative(officer(), filed_by_caseworker)
    assert can_read_narrative(staff("coordinator"), filed_by_caseworker)
    assert not can_read_narrative(staff("viewer"), filed_by_officer)


def test_search_and_filters(in_district_a: District) -> None:
    chalaca = complaint_make(establishment=establishment_make(), grounds=("race",))
    other = complaint_make(place_description="Mercado Central", grounds=("nationality",))

    def found(**values: object) -> list[object]:
        return list(
            complaint_list(
                user=officer(), filters=ComplaintFilters(**values), today=timezone.localdate()
            )
        )  # type: ignore[arg-type]

    assert found(query="chalaca") == [chalaca]
    assert found(query="mercado") == [other]
    assert found(query=other.tracking_code.lower().replace("-", " ")) == [other]
    assert found(ground="race") == [chalaca]
    assert found(stage="admitted") == []


def test_tracking_shows_stages_and_dates_only(in_district_a: District) -> None:
    complaint = complaint_at(Stage.ADMITTED)
    tracking = complaint_track(code=complaint.tracking_code.lower())
    assert tracking is not None
    assert tracking.stage == Stage.ADMITTED
    assert [s.stage for s in tracking.steps] == [Stage.RECEIVED, Stage.ADMITTED]
    assert set(vars(tracking)) == {
        "code",
        "stage",
        "label",
        "received_on",
        "stage_since",
        "is_final",
        "steps",
    }
    assert complaint_track(code="DEN-AAAAA-AAAAA") is None
    assert complaint_track(code="nonsense") is None
