from __future__ import annotations

import pytest

from apps.forum.demo import forum_demo_create
from apps.forum.models import AgendaItem, Agreement, ForumSession, MinutesVersion
from apps.forum.selectors import agreements
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_the_demo_makes_plausible_sessions_once(district_a: District, district_b: District) -> None:
    forum_demo_create([district_a, district_b])
    statuses = set(ForumSession.objects.values_list("status", flat=True))
    assert statuses == {"draft", "convened", "held"}
    held = ForumSession.objects.get(status="held")
    assert MinutesVersion.objects.filter(session=held).count() == 2
    assert held.participants.filter(kind="partner").exists()
    convened = ForumSession.objects.get(status="convened")
    assert AgendaItem.objects.filter(session=convened, proposed_by__isnull=False).exists()
    assert AgendaItem.objects.filter(session=convened, parent__isnull=False).exists()
    assert {a.indicator for a in Agreement.objects.all()} >= {"people_served", "attentions"}
    assert agreements(status=Agreement.OVERDUE).count() == 1
    counts = (ForumSession.objects.count(), Agreement.objects.count())
    forum_demo_create([district_a, district_b])
    assert (ForumSession.objects.count(), Agreement.objects.count()) == counts
