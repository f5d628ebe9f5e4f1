"""A row written in one district is invisible from another district and from the public schema."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.utils import ProgrammingError
from django_tenants.utils import schema_context

from apps.catalogue.models import Partner
from tenants.models import District

pytestmark = pytest.mark.django_db


def test_a_partner_added_in_one_district_is_invisible_elsewhere(
    district_a: District, district_b: District
) -> None:
    with schema_context(district_a.schema_name):
        Partner.objects.create(
            code="red-local", name_es="Red local", name_en="Local network", kind="ngo"
        )
        assert Partner.objects.filter(code="red-local").exists()
    with schema_context(district_b.schema_name):
        assert not Partner.objects.filter(code="red-local").exists()
    # Tenant tables do not exist in the public schema at all.
    with pytest.raises(ProgrammingError), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM catalogue_partner")


def test_users_are_separate_per_schema(district_a: District, district_b: District) -> None:
    user_model = get_user_model()
    with schema_context(district_a.schema_name):
        user_model.objects.create(username="solo-en-la-perla@example.org")
    with schema_context(district_b.schema_name):
        assert not user_model.objects.filter(username="solo-en-la-perla@example.org").exists()
    assert not user_model.objects.filter(username="solo-en-la-perla@example.org").exists()


def test_each_district_has_its_own_schema(district_a: District, district_b: District) -> None:
    assert district_a.schema_name == "d_la_perla"
    assert district_b.schema_name == "d_bellavista"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = %s AND table_name = 'catalogue_partner'",
            [district_b.schema_name],
        )
        assert cursor.fetchone() == (1,)
