from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts.roles import DistrictRole
from apps.catalogue.models import DocumentType, Partner, ServiceType
from apps.catalogue.reference_data import DOCUMENT_TYPES, PARTNERS, SERVICE_TYPES
from tenants.models import District, Domain
from tenants.schema_template import schema_exists
from tenants.services import onboarding
from tenants.services.onboarding import OnboardingPath, district_onboard

pytestmark = pytest.mark.django_db

VENTANILLA = {"name": "Ventanilla", "slug": "ventanilla", "ubigeo": "070106"}


def _onboard(**overrides: str) -> onboarding.OnboardingResult:
    args = {**VENTANILLA, "coordinator_email": "rosa@example.org", **overrides}
    return district_onboard(**args)  # type: ignore[arg-type]


def _nothing_written(slug: str = "ventanilla") -> None:
    assert not District.objects.filter(slug=slug).exists()
    assert not Domain.objects.filter(domain__startswith=f"{slug}.").exists()
    assert not schema_exists("d_" + slug.replace("-", "_"))


def test_onboarding_creates_district_domain_schema_reference_data_roles_and_invitation(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = _onboard()

    district = result.district
    assert result.created
    assert district.schema_name == "d_ventanilla"
    assert district.status == District.Status.ACTIVE
    assert Domain.objects.get(tenant=district).domain == "ventanilla.localhost"
    assert schema_exists("d_ventanilla")
    assert result.workspace_url == "http://ventanilla.localhost/"
    with schema_context("d_ventanilla"):
        assert ServiceType.objects.count() == len(SERVICE_TYPES)
        assert DocumentType.objects.count() == len(DOCUMENT_TYPES)
        assert Partner.objects.count() == len(PARTNERS)
        assert set(Group.objects.values_list("name", flat=True)) == {str(r) for r in DistrictRole}
        coordinator = get_user_model().objects.get(username="rosa@example.org")
        assert not coordinator.has_usable_password()
        assert coordinator.groups.get().name == DistrictRole.COORDINATOR
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rosa@example.org"]
    assert result.invitation is not None
    assert result.invitation.url in mail.outbox[0].body
    assert result.invitation.url.startswith("http://ventanilla.localhost/accounts/invitation/")


def test_onboarding_by_migrations_gives_the_same_tables_as_the_template_path() -> None:
    fast = _onboard()
    slow = _onboard(name="Mi Perú", slug="mi-peru", ubigeo="070107", path=OnboardingPath.MIGRATIONS)
    assert fast.created
    assert slow.created

    def tables(schema: str) -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = %s ORDER BY 1, 2",
                [schema],
            )
            return cursor.fetchall()

    assert tables("d_mi_peru") == tables("d_ventanilla")
    assert tables("d_mi_peru")


def test_onboarding_twice_reports_existing_and_changes_nothing() -> None:
    first = _onboard()
    updated_at = first.district.updated_at
    second = _onboard(coordinator_email="otra@example.org")
    assert not second.created
    assert second.district.pk == first.district.pk
    assert District.objects.get(pk=first.district.pk).updated_at == updated_at
    with schema_context("d_ventanilla"):
        assert not get_user_model().objects.filter(username="otra@example.org").exists()


def test_failure_after_schema_creation_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(**kwargs: object) -> None:
        # The failure really comes after the schema and its seed were made.
        assert schema_exists("d_ventanilla")
        assert ServiceType.objects.exists()
        raise RuntimeError("injected failure")

    monkeypatch.setattr(onboarding, "user_invite", explode)
    with pytest.raises(RuntimeError, match="injected failure"):
        _onboard()
    _nothing_written()


@pytest.mark.parametrize("path", list(OnboardingPath))
def test_failure_half_way_through_the_schema_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch, path: OnboardingPath
) -> None:
    name = {
        OnboardingPath.TEMPLATE: "district_schema_create_from_snapshot",
        OnboardingPath.MIGRATIONS: "district_schema_create_by_migrations",
    }[path]
    real = getattr(onboarding, name)

    def create_then_fail(schema_name: str, *args: object, **kwargs: object) -> None:
        real(schema_name, *args, **kwargs)
        assert schema_exists(schema_name)
        raise RuntimeError("disk full")

    monkeypatch.setattr(onboarding, name, create_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        _onboard(path=path)
    _nothing_written()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "www"}, "slug"),
        ({"slug": "admin"}, "slug"),
        ({"slug": "graphql"}, "slug"),
        ({"slug": "public"}, "slug"),
        ({"slug": "La Perla"}, "slug"),
        ({"slug": "-ventanilla"}, "slug"),
        ({"slug": "ventanilla-"}, "slug"),
        ({"slug": "ventañilla"}, "slug"),
        ({"slug": "venta_nilla"}, "slug"),
        ({"slug": "v" * 41}, "slug"),
        ({"slug": ""}, "slug"),
        ({"ubigeo": "70106"}, "ubigeo"),
        ({"ubigeo": "0701066"}, "ubigeo"),
        ({"ubigeo": "07O106"}, "ubigeo"),
        ({"ubigeo": "990101"}, "ubigeo"),
        ({"ubigeo": "070100"}, "ubigeo"),
        ({"coordinator_email": "rosa-at-example.org"}, "coordinator_email"),
        ({"coordinator_email": ""}, "coordinator_email"),
        ({"name": "   "}, "name"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(
    overrides: dict[str, str], field: str
) -> None:
    slug = overrides.get("slug", "ventanilla")
    with pytest.raises(ValidationError) as refused:
        _onboard(**overrides)
    assert field in refused.value.message_dict
    assert refused.value.message_dict[field][0]
    if slug and slug == slug.lower():
        _nothing_written(slug)
    assert District.objects.count() == 2  # only the two test districts


def test_slug_taken_by_another_district_is_refused(district_a: District) -> None:
    with pytest.raises(ValidationError) as refused:
        _onboard(slug=district_a.slug)
    assert "La Perla" in refused.value.message_dict["slug"][0]


def test_a_name_another_district_has_is_refused(district_a: District) -> None:
    with pytest.raises(ValidationError) as refused:
        _onboard(name="la perla", slug="la-perla-2", ubigeo="150101")
    assert "la perla" in refused.value.message_dict["name"][0]
    assert not District.objects.filter(slug="la-perla-2").exists()


def test_command_onboards_and_prints_the_workspace_and_invitation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command(
        "onboard_district",
        "--name",
        "Ventanilla",
        "--slug",
        "ventanilla",
        "--ubigeo",
        "070106",
        "--coordinator-email",
        "rosa@example.org",
    )
    out = capsys.readouterr().out
    assert "Workspace: http://ventanilla.localhost/" in out
    assert "http://ventanilla.localhost/accounts/invitation/" in out
    call_command(
        "onboard_district",
        "--name",
        "Ventanilla",
        "--slug",
        "ventanilla",
        "--ubigeo",
        "070106",
        "--coordinator-email",
        "rosa@example.org",
    )
    assert "already exists; nothing changed" in capsys.readouterr().out


def test_command_refuses_bad_input_with_every_message() -> None:
    with pytest.raises(CommandError) as refused:
        call_command(
            "onboard_district",
            "--name",
            "Ventanilla",
            "--slug",
            "api",
            "--ubigeo",
            "7",
            "--coordinator-email",
            "nope",
        )
    message = str(refused.value)
    assert "Nothing was created" in message
    assert "slug:" in message
    assert "ubigeo:" in message
    assert "coordinator_email:" in message
    _nothing_written("api")


def test_offboard_and_reactivate_commands_keep_the_data(district_a: District) -> None:
    call_command("offboard_district", "--slug", district_a.slug)
    assert District.objects.get(pk=district_a.pk).status == District.Status.ARCHIVED
    assert schema_exists(district_a.schema_name)
    call_command("reactivate_district", "--slug", district_a.slug)
    assert District.objects.get(pk=district_a.pk).status == District.Status.ACTIVE
    with pytest.raises(CommandError, match="No district"):
        call_command("offboard_district", "--slug", "nowhere")


def test_a_ubigeo_already_used_is_refused(district_a: District) -> None:
    with pytest.raises(ValidationError) as refused:
        _onboard(ubigeo=district_a.ubigeo)
    assert "La Perla" in refused.value.message_dict["ubigeo"][0]
    _nothing_written()


def test_a_host_already_routed_to_another_district_is_refused(district_a: District) -> None:
    Domain.objects.create(domain="ventanilla.localhost", tenant=district_a, is_primary=False)
    with pytest.raises(ValidationError) as refused:
        _onboard()
    assert "ventanilla.localhost" in refused.value.message_dict["slug"][0]
    assert not District.objects.filter(slug="ventanilla").exists()


def test_a_leftover_schema_is_refused_and_left_alone() -> None:
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "d_ventanilla"')
        cursor.execute('CREATE TABLE "d_ventanilla".evidence (id int)')
    with pytest.raises(ValidationError) as refused:
        _onboard()
    assert "d_ventanilla" in refused.value.message_dict["slug"][0]
    with connection.cursor() as cursor:
        cursor.execute('SELECT count(*) FROM "d_ventanilla".evidence')
        assert cursor.fetchone() == (0,)
