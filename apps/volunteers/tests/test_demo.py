from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.people.demo import people_demo_load
from apps.people.tests.factories import staff
from apps.volunteers.demo import demo_load
from apps.volunteers.models import AwarenessActivity, ParticipantCount, Volunteer
from tenants.models import District

pytestmark = pytest.mark.django_db


def _load(district: District, seed: str) -> list[tuple[object, ...]]:
    with schema_context(district.schema_name):
        people_demo_load(actor=staff(slug=district.slug), count=30, seed="people")
        coordinator = staff("coordinator", slug=district.slug)
        demo_load(actor=coordinator, seed=seed)
        return [
            (a.held_on, a.topic, a.title, a.place, a.partner_id is not None)
            for a in AwarenessActivity.objects.order_by("held_on", "pk")
        ]


def test_the_demo_is_plausible_and_loads_once(district_a: District) -> None:
    first = _load(district_a, "la-perla")
    with schema_context(district_a.schema_name):
        counts = (
            Volunteer.objects.count(),
            AwarenessActivity.objects.count(),
            ParticipantCount.objects.count(),
        )
        assert counts[0] >= 2
        assert Volunteer.objects.filter(is_active=False).exists()
        today = timezone.localdate()
        upcoming = AwarenessActivity.objects.filter(held_on__gt=today)
        assert upcoming.count() == 2
        assert not ParticipantCount.objects.filter(activity__in=upcoming).exists()
        assert ParticipantCount.objects.exists()
        demo_load(actor=staff("coordinator"), seed="la-perla")
        assert (
            Volunteer.objects.count(),
            AwarenessActivity.objects.count(),
            ParticipantCount.objects.count(),
        ) == counts
    assert len(first) >= 9


def test_the_demo_is_the_same_for_the_same_seed(district_a: District, district_b: District) -> None:
    assert _load(district_a, "same") == _load(district_b, "same")
