"""Routing by host name, its cache, and the workspace states."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import client_for, login_as
from tenants.models import District, Domain
from tenants.services.lifecycle import district_archive, district_reactivate, district_suspend

pytestmark = pytest.mark.django_db


def _domain_queries(context: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in context.captured_queries if "tenants_domain" in q["sql"]]


def test_unknown_host_gets_a_friendly_404(db: None) -> None:
    response = Client(HTTP_HOST="nowhere.localhost").get("/")
    assert response.status_code == 404
    assert "nowhere.localhost" in response.content.decode()
    assert "<html" in response.content.decode()
    assert 'href="http://localhost/"' in response.content.decode()  # a way to the platform


def test_public_host_serves_the_landing_without_a_domain_lookup(public_client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = public_client.get("/")
    assert response.status_code == 200
    assert "La Perla" in response.content.decode()
    assert not [
        q
        for q in queries.captured_queries
        if "tenants_domain" in q["sql"] and "is_primary" not in q["sql"]
    ]


def test_routing_costs_one_query_cold_and_none_once_cached(client_a: Client) -> None:
    with CaptureQueriesContext(connection) as cold:
        assert client_a.get("/accounts/login/").status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client_a.get("/accounts/login/").status_code == 200
    assert len(_domain_queries(cold)) == 1
    # The anonymous login page itself runs no query, so any query here would be routing's.
    assert warm.captured_queries == []


def test_unknown_hosts_are_cached_too(db: None) -> None:
    client = Client(HTTP_HOST="nowhere.localhost")
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/").status_code == 404
    assert warm.captured_queries == []


def test_the_cache_is_invalidated_when_a_district_changes(
    district_a: District, client_a: Client
) -> None:
    assert client_a.get("/accounts/login/").status_code == 200  # cached as active
    district_archive(district=district_a)
    assert client_a.get("/accounts/login/").status_code == 410
    district_reactivate(district=district_a)
    assert client_a.get("/accounts/login/").status_code == 200


def test_the_cache_is_invalidated_when_a_domain_is_added(district_a: District) -> None:
    client = Client(HTTP_HOST="perla-alias.localhost")
    assert client.get("/accounts/login/").status_code == 404  # cached as unknown
    Domain.objects.create(domain="perla-alias.localhost", tenant=district_a, is_primary=False)
    assert client.get("/accounts/login/").status_code == 200


def test_suspended_workspace_is_readable_with_a_banner_and_refuses_writes(
    district_a: District, client_a: Client
) -> None:
    district_suspend(district=district_a)
    login_as(client_a, district_a, "coordinator")  # logging in is allowed while read-only

    home = client_a.get("/")
    assert home.status_code == 200
    assert "banner--warning" in home.content.decode()
    assert (
        "suspended" in home.content.decode().lower()
        or "suspendido" in home.content.decode().lower()
    )

    refused = client_a.post("/catalogue/", {})
    assert refused.status_code == 403
    assert "not saved" in refused.content.decode() or "no se guardó" in refused.content.decode()

    assert client_a.post("/accounts/logout/").status_code == 302


def test_active_workspace_has_no_banner(district_a: District, client_a: Client) -> None:
    login_as(client_a, district_a, "coordinator")
    assert "banner--warning" not in client_a.get("/").content.decode()


def test_archived_workspace_answers_410_on_every_page(
    district_a: District, client_a: Client
) -> None:
    district_archive(district=district_a)
    for path in ("/", "/accounts/login/", "/catalogue/", "/no-such-page/"):
        response = client_a.get(path)
        assert response.status_code == 410
        assert "La Perla" in response.content.decode()
    assert client_a.post("/accounts/login/", {}).status_code == 410


def test_other_districts_are_unaffected_by_a_suspension(
    district_a: District, district_b: District
) -> None:
    district_suspend(district=district_a)
    client = client_for(district_b)
    login_as(client, district_b, "coordinator")
    assert "banner--warning" not in client.get("/").content.decode()


def test_a_host_outside_allowed_hosts_gets_the_friendly_404(db: None) -> None:
    response = Client(HTTP_HOST="evil.example.com").get("/")
    assert response.status_code == 404
    assert "<html" in response.content.decode()


def test_offboarding_with_grace_is_read_only_then_gone(
    district_a: District, client_a: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tenants.services.lifecycle import district_offboard

    district = district_offboard(district=district_a, grace_days=30)
    assert district.is_read_only
    login_as(client_a, district_a, "coordinator")
    page = client_a.get("/").content.decode()
    assert "banner--warning" in page
    assert district.archive_at is not None
    assert timezone.localtime(district.archive_at).strftime("%d/%m/%Y") in page
    assert client_a.post("/catalogue/", {}).status_code == 403

    later = district.archive_at + timedelta(minutes=1)
    monkeypatch.setattr("tenants.models.timezone.now", lambda: later)
    assert client_a.get("/").status_code == 410


def test_offboard_command_with_and_without_grace(
    district_a: District, district_b: District
) -> None:
    from django.core.management import call_command

    call_command("offboard_district", "--slug", district_a.slug, "--grace-days", "15")
    closing = District.objects.get(pk=district_a.pk)
    assert closing.status == District.Status.SUSPENDED
    assert closing.archive_at is not None
    call_command("offboard_district", "--slug", district_b.slug)
    assert District.objects.get(pk=district_b.pk).is_archived
    call_command("reactivate_district", "--slug", district_a.slug)
    reactivated = District.objects.get(pk=district_a.pk)
    assert reactivated.status == District.Status.ACTIVE
    assert reactivated.archive_at is None


def test_renaming_a_domain_stops_the_old_host_at_once(district_a: District) -> None:
    old = Client(HTTP_HOST="la-perla.localhost")
    assert old.get("/accounts/login/").status_code == 200  # cached
    domain = Domain.objects.get(domain="la-perla.localhost")
    domain.domain = "perla.localhost"
    domain.save()
    assert old.get("/accounts/login/").status_code == 404
    assert Client(HTTP_HOST="perla.localhost").get("/accounts/login/").status_code == 200


def test_host_names_are_matched_whatever_their_case(db: None) -> None:
    assert Client(HTTP_HOST="LA-PERLA.localhost").get("/accounts/login/").status_code == 200


def test_refusal_pages_carry_the_security_headers_and_the_chosen_language(
    district_a: District,
) -> None:
    client = Client(HTTP_HOST="nowhere.localhost")
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.cookies["django_language"] = "en"
    assert "There is no workspace at this address" in client.get("/").content.decode()
    district_archive(district=district_a)
    archived = client_for(district_a).get("/")
    assert archived.status_code == 410
    assert archived["X-Frame-Options"] == "DENY"


def test_the_admin_cannot_add_change_or_delete_districts(
    public_client: Client, district_a: District
) -> None:
    from conftest import log_in

    log_in(public_client, "admin@platform.test")
    assert public_client.get("/admin/tenants/district/").status_code == 200
    assert public_client.get("/admin/tenants/district/add/").status_code == 403
    assert (
        public_client.post(
            f"/admin/tenants/district/{district_a.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert District.objects.filter(pk=district_a.pk).exists()
