from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.catalogue.models import ServiceType
from tenants.models import District, PooledSchema
from tenants.schema_pool import schema_pool_fill
from tenants.schema_template import schema_exists, template_fingerprint
from tenants.services import onboarding
from tenants.services.onboarding import SchemaSource, district_onboard

pytestmark = pytest.mark.django_db


def _onboard(slug: str = "ventanilla") -> onboarding.OnboardingResult:
    return district_onboard(
        name=slug.title(), slug=slug, ubigeo="070106", coordinator_email="rosa@example.org"
    )


def test_fill_makes_ready_schemas_with_tables_and_seed() -> None:
    assert schema_pool_fill(size=2) == 2
    assert schema_pool_fill(size=2) == 0  # already full
    pooled = list(PooledSchema.objects.all())
    assert len(pooled) == 2
    for entry in pooled:
        assert entry.schema_name.startswith("pool_")
        assert entry.fingerprint == template_fingerprint()
        with schema_context(entry.schema_name):
            assert ServiceType.objects.exists()


def test_onboarding_takes_a_pooled_schema_and_renames_it() -> None:
    schema_pool_fill(size=1)
    pooled_name = PooledSchema.objects.get().schema_name

    result = _onboard()

    assert result.schema_source == SchemaSource.POOL
    assert not PooledSchema.objects.exists()
    assert not schema_exists(pooled_name)
    assert schema_exists("d_ventanilla")
    with schema_context("d_ventanilla"):
        assert ServiceType.objects.exists()


def test_onboarding_replays_the_snapshot_when_the_pool_is_empty() -> None:
    assert _onboard().schema_source == SchemaSource.SNAPSHOT


def test_a_failed_onboarding_gives_the_pooled_schema_back(monkeypatch: pytest.MonkeyPatch) -> None:
    schema_pool_fill(size=1)
    pooled_name = PooledSchema.objects.get().schema_name

    def explode(**kwargs: object) -> None:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(onboarding, "user_invite", explode)
    with pytest.raises(RuntimeError):
        _onboard()
    assert not District.objects.filter(slug="ventanilla").exists()
    assert PooledSchema.objects.get().schema_name == pooled_name
    assert schema_exists(pooled_name)
    assert not schema_exists("d_ventanilla")


def test_stale_pooled_schemas_are_dropped_and_never_taken() -> None:
    schema_pool_fill(size=1)
    stale = PooledSchema.objects.get()
    PooledSchema.objects.filter(pk=stale.pk).update(fingerprint="old")

    assert _onboard().schema_source == SchemaSource.SNAPSHOT  # the stale one is not used
    schema_pool_fill(size=1)
    assert not schema_exists(stale.schema_name)
    assert list(PooledSchema.objects.values_list("fingerprint", flat=True)) == [
        template_fingerprint()
    ]
