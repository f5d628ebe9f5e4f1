from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.forum.models import AgendaItem, ForumSession
from apps.forum.selectors import (
    agenda_planned_minutes,
    agenda_tree,
    agreement_progress_figures,
    agreements,
    district_proposals,
    forum_past_sessions,
    forum_session_for_districts,
)
from apps.forum.services import ForumActor, agenda_item_decide, agenda_item_propose
from apps.forum.tests.factories import agreement_make, secretariat_actor, session_make
from apps.metrics.indicators import INDICATORS
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_the_planned_time_counts_accepted_and_discussed_items_only(district_a: District) -> None:
    session = session_make(status=ForumSession.Status.CONVENED)
    secretariat = secretariat_actor()
    district = ForumActor.for_district(district_a, 1)
    accepted = agenda_item_propose(
        actor=secretariat, session=session, title="Aceptado", planned_minutes=30
    )
    agenda_item_propose(
        actor=secretariat, session=session, title="Sub", parent=accepted, planned_minutes=5
    )
    waiting = agenda_item_propose(
        actor=district, session=session, title="Propuesto", planned_minutes=40
    )
    agenda_item_propose(  # a sub-item under a proposal still waiting
        actor=secretariat, session=session, title="Sub", parent=waiting, planned_minutes=7
    )
    proposed_sub = agenda_item_propose(
        actor=district, session=session, title="Sub propuesto", parent=accepted, planned_minutes=9
    )
    deferred = agenda_item_propose(
        actor=district, session=session, title="Postergado", planned_minutes=50
    )
    agenda_item_decide(actor=secretariat, item=deferred, status="deferred")
    ForumSession.objects.filter(pk=session.pk).update(status="held")
    agenda_item_decide(actor=secretariat, item=accepted, status="discussed")

    def planned() -> int:
        loaded = ForumSession.objects.prefetch_related("agenda_items").get(pk=session.pk)
        return agenda_planned_minutes(agenda_tree(loaded))

    assert planned() == 30 + 5  # discussed parent and its accepted sub-item
    agenda_item_decide(actor=secretariat, item=proposed_sub, status="accepted")
    agenda_item_decide(actor=secretariat, item=waiting, status="accepted")
    assert planned() == 30 + 5 + 9 + 40 + 7


def _figures_agreement(session: ForumSession, district: District, indicator: str) -> int:
    today = timezone.localdate()
    baseline_to = today.replace(day=1) - timedelta(days=1)
    return agreement_make(
        session,
        [district],
        indicator=indicator,
        target=50,
        baseline_from=baseline_to.replace(day=1),
        baseline_to=baseline_to,
    ).pk


def test_figures_name_the_indicator_and_baseline_and_wait_for_the_session(
    district_a: District,
) -> None:
    today = timezone.localdate()
    future = session_make(status=ForumSession.Status.CONVENED, held_on=today + timedelta(40))
    past = session_make(status=ForumSession.Status.HELD)
    later = _figures_agreement(future, district_a, "people_served")
    now = _figures_agreement(past, district_a, "attentions")
    figures = agreement_progress_figures(list(agreements()))
    assert figures[later].started is False
    assert figures[now].started is True
    assert figures[later].indicator_name == str(INDICATORS["people_served"].name)
    assert figures[later].per_month is True
    last_month_end = today.replace(day=1) - timedelta(days=1)
    assert (figures[now].baseline_from, figures[now].baseline_to) == (
        last_month_end.replace(day=1),
        last_month_end,
    )


def test_what_districts_read(district_a: District, district_b: District) -> None:
    convened = session_make(status=ForumSession.Status.CONVENED)
    held = session_make(status=ForumSession.Status.HELD)
    approved = session_make(status=ForumSession.Status.MINUTES_APPROVED, held_on=date(2026, 1, 15))
    draft = session_make()
    assert list(forum_past_sessions()) == [held, approved]
    assert forum_session_for_districts(draft.pk) is None
    assert forum_session_for_districts(convened.pk) == convened
    own = agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=convened, title="Nuestro"
    )
    agenda_item_propose(
        actor=ForumActor.for_district(district_b, 1), session=convened, title="De otro"
    )
    back_to_draft = session_make(status=ForumSession.Status.CONVENED)
    agenda_item_propose(
        actor=ForumActor.for_district(district_a, 1), session=back_to_draft, title="Oculto"
    )
    ForumSession.objects.filter(pk=back_to_draft.pk).update(status="draft")
    assert list(district_proposals(district=district_a)) == [own]
    assert AgendaItem.objects.count() == 3
