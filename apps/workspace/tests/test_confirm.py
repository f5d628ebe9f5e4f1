"""Destructive actions go through a confirmation page that states the consequences; a POST
that skips it (a stray or replayed form) changes nothing and shows that page instead."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import schema_context

from apps.people.models import Consent, ConsentPurpose
from apps.people.tests.factories import person_make
from apps.volunteers.models import Volunteer
from conftest import in_english, login_as, role_email
from tenants.models import District

pytestmark = pytest.mark.django_db


def _confirmation(page: str, button: str) -> None:
    """The page is a confirmation: its consequences, a POST with the confirm field, a way back."""
    assert '<div class="alert" role="alert">' in page
    assert '<input type="hidden" name="confirmed" value="1">' in page
    assert f'<button type="submit" class="button">{button}</button>' in page
    assert ">Cancel</a>" in page
    assert "confirm(" not in page  # no JavaScript confirm()


def test_deactivating_an_account_asks_first(district_a: District, client_a: Client) -> None:
    login_as(in_english(client_a), district_a, "coordinator")
    with schema_context(district_a.schema_name):
        viewer = get_user_model().objects.get(username=role_email(district_a.slug, "viewer"))
    team = client_a.get("/team/").content.decode()
    assert f'href="/team/{viewer.pk}/deactivate/"' in team
    assert f'action="/team/{viewer.pk}/deactivate/"' not in team  # no one-click form

    page = client_a.get(f"/team/{viewer.pk}/deactivate/").content.decode()
    assert f"Deactivate the account {viewer.username}?" in page
    assert "can no longer log in" in page
    _confirmation(page, "Deactivate the account")

    skipped = client_a.post(f"/team/{viewer.pk}/deactivate/")
    assert skipped.status_code == 200
    assert "Deactivate the account" in skipped.content.decode()
    with schema_context(district_a.schema_name):
        assert get_user_model().objects.get(pk=viewer.pk).is_active

    done = client_a.post(f"/team/{viewer.pk}/deactivate/", {"confirmed": "1"}, follow=True)
    assert f"{viewer.username} was deactivated and can no longer log in." in done.content.decode()
    with schema_context(district_a.schema_name):
        assert not get_user_model().objects.get(pk=viewer.pk).is_active


def test_withdrawing_a_consent_asks_first(district_a: District, client_a: Client) -> None:
    with schema_context(district_a.schema_name):
        person = person_make(consents=(ConsentPurpose.REGISTRATION, ConsentPurpose.PHOTOS))
        consent = person.consents.get(purpose=ConsentPurpose.PHOTOS)
    login_as(in_english(client_a), district_a, "caseworker")
    path = f"/people/{person.public_id}/consents/{consent.pk}/withdraw/"
    assert f'href="{path}"' in client_a.get(f"/people/{person.public_id}/").content.decode()

    page = client_a.get(path).content.decode()
    assert "Withdraw the consent of María José Pérez Núñez" in page
    assert "may no longer use the person&#x27;s data for this purpose" in page
    _confirmation(page, "Withdraw the consent")

    assert client_a.post(path).status_code == 200  # no confirm field: only the page again
    with schema_context(district_a.schema_name):
        assert Consent.objects.get(pk=consent.pk).withdrawn_on is None

    done = client_a.post(path, {"confirmed": "1"}, follow=True).content.decode()
    assert "The consent of María José Pérez Núñez for" in done
    assert "was withdrawn." in done
    with schema_context(district_a.schema_name):
        assert Consent.objects.get(pk=consent.pk).withdrawn_on is not None


def test_deactivating_a_volunteer_asks_first(district_a: District, client_a: Client) -> None:
    from apps.volunteers.services import volunteer_register

    with schema_context(district_a.schema_name):
        person = person_make()
        actor = get_user_model().objects.get(username=role_email(district_a.slug, "coordinator"))
        volunteer = volunteer_register(actor=actor, person=person)
    login_as(in_english(client_a), district_a, "coordinator")
    path = f"/volunteers/roster/{volunteer.public_id}/active/"
    detail = client_a.get(f"/volunteers/roster/{volunteer.public_id}/").content.decode()
    assert f'href="{path}?active=0"' in detail

    page = client_a.get(f"{path}?active=0").content.decode()
    assert "Take María José Pérez Núñez off the active roster?" in page
    assert '<input type="hidden" name="active" value="0">' in page
    _confirmation(page, "Deactivate the volunteer")

    assert client_a.post(path, {"active": "0"}).status_code == 200
    with schema_context(district_a.schema_name):
        assert Volunteer.objects.get(pk=volunteer.pk).is_active

    done = client_a.post(path, {"active": "0", "confirmed": "1"}, follow=True).content.decode()
    assert "María José Pérez Núñez is now an inactive volunteer" in done
    with schema_context(district_a.schema_name):
        assert not Volunteer.objects.get(pk=volunteer.pk).is_active


def test_a_role_that_may_not_act_gets_no_confirmation_page(
    district_a: District, client_a: Client
) -> None:
    with schema_context(district_a.schema_name):
        viewer = get_user_model().objects.get(username=role_email(district_a.slug, "viewer"))
    login_as(client_a, district_a, "caseworker")
    assert client_a.get(f"/team/{viewer.pk}/deactivate/").status_code == 403
