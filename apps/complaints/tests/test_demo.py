from __future__ import annotations

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.complaints.demo import demo_load
from apps.complaints.models import Complaint, ComplaintTransition, Establishment, Sanction, Stage
from apps.complaints.selectors import complaints_overdue
from apps.complaints.tests.factories import officer
from apps.people.demo import people_demo_load
from apps.people.tests.factories import staff
from tenants.models import District

pytestmark = pytest.mark.django_db


def _records() -> list[tuple[object, ...]]:
    return list(
        Complaint.objects.order_by("received_on", "narrative", "pk").values_list(
            "stage", "received_on", "channel", "narrative", "establishment__name", "is_anonymous"
        )
    )


def _counts() -> tuple[int, int, int, int]:
    return (
        Complaint.objects.count(),
        Establishment.objects.count(),
        ComplaintTransition.objects.count(),
        Sanction.objects.count(),
    )


def test_the_demo_is_plausible_and_idempotent(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        people_demo_load(actor=staff(), count=5, seed="la-perla")
        demo_load(actor=officer(), seed="la-perla")
        assert set(Complaint.objects.values_list("stage", flat=True)) == set(Stage.values)
        repeat = Sanction.objects.get(offence="repeat")
        assert repeat.establishment.sanctions.count() == 2
        assert repeat.definitive_closure
        assert repeat.licence_revocation
        assert complaints_overdue(timezone.localdate()).exists()
        assert Complaint.objects.filter(is_anonymous=True, filed_by__isnull=True).exists()
        assert Complaint.objects.filter(complainant__isnull=False).exists()
        counts = _counts()
        demo_load(actor=officer(), seed="la-perla")
        assert _counts() == counts


def test_the_same_seed_gives_the_same_records(district_a: District, district_b: District) -> None:
    with schema_context(district_a.schema_name):
        people_demo_load(actor=staff(), count=5, seed="la-perla")
        demo_load(actor=officer(), seed="callao")
        in_a = _records()
    with schema_context(district_b.schema_name):
        demo_load(actor=officer("bellavista"), seed="callao")
        assert _records() == in_a
        demo_load(actor=officer("bellavista"), seed="otro")  # already loaded: nothing added
        assert _records() == in_a
