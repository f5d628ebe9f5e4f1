"""The invitation e-mail leaves through a background job that stores no link."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django_tenants.utils import schema_context
from procrastinate.contrib.django.models import ProcrastinateJob

from apps.accounts.roles import DistrictRole, PlatformRole
from apps.accounts.services import invitation_accept, user_invite
from apps.accounts.tasks import invitation_email_send
from tenants.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queued(settings: Any) -> None:
    settings.TASKS_IMMEDIATE = False


def _invite(email: str = "nuevo@example.org") -> str:
    return user_invite(
        email=email,
        role=DistrictRole.CASEWORKER,
        base_url="http://la-perla.localhost",
        workspace_name="La Perla",
    ).url


def test_the_job_stores_no_address_nor_link_and_sends_the_link_the_inviter_saw(
    district_a: District,
) -> None:
    with schema_context(district_a.schema_name):
        url = _invite()
    job = ProcrastinateJob.objects.get(task_name=invitation_email_send.name)
    assert set(job.args) == {
        "schema_name",
        "user_id",
        "role",
        "base_url",
        "workspace_name",
        "issued_at",
    }
    assert job.args["schema_name"] == "d_la_perla"
    assert "nuevo@example.org" not in str(job.args)
    assert url.rstrip("/").rsplit("/", 1)[-1] not in str(job.args)  # the token
    assert mail.outbox == []

    assert invitation_email_send.run_in(
        "d_la_perla", **{k: v for k, v in job.args.items() if k != "schema_name"}
    )
    assert [message.to for message in mail.outbox] == [["nuevo@example.org"]]
    assert url in mail.outbox[0].body


def test_an_invitation_accepted_before_the_job_runs_sends_nothing(district_a: District) -> None:
    with schema_context(district_a.schema_name):
        _invite()
        invitation_accept(
            user=get_user_model().objects.get(username="nuevo@example.org"),
            password="una-clave-nueva-y-larga",
        )
    job = ProcrastinateJob.objects.get(task_name=invitation_email_send.name)
    arguments = {k: v for k, v in job.args.items() if k != "schema_name"}
    assert invitation_email_send.run_in("d_la_perla", **arguments) is False
    assert mail.outbox == []


def test_a_platform_invitation_runs_in_the_public_schema() -> None:
    url = user_invite(
        email="nueva.secretaria@example.org",
        role=PlatformRole.SECRETARIAT,
        base_url="http://localhost",
        workspace_name="Plataforma",
    ).url
    job = ProcrastinateJob.objects.get(task_name=invitation_email_send.name)
    assert job.args["schema_name"] == "public"
    arguments = {k: v for k, v in job.args.items() if k != "schema_name"}
    assert invitation_email_send.run_in("public", **arguments)
    assert url in mail.outbox[0].body
