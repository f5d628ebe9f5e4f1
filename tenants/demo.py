"""Demo set-up: the seven districts of the Province of Callao and an account per role.

Used by ``manage.py demo_setup`` (``make demo``). Idempotent: what exists is reused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_tenants.utils import schema_context

from apps.accounts.roles import ROLE_LABELS, DistrictRole, PlatformRole, platform_roles_ensure
from apps.accounts.services import base_url_for_host, user_create_with_password
from apps.casework.demo import casework_demo_load
from apps.forum.demo import forum_demo_create
from apps.people.demo import people_demo_load
from tenants.models import District
from tenants.schema_pool import schema_pool_refill
from tenants.services.onboarding import district_host, district_onboard

# Demo accounts only, printed by `make demo`; never use this in production.
DEMO_PASSWORD = "Callao-demo-2026"  # noqa: S105

# INEI ubigeo of the Province of Callao's districts (DOMAIN.md).
# INEI ubigeo and how many demo people each office has registered (roughly by population).
CALLAO_DISTRICTS = [
    ("Callao", "callao", "070101", 160),
    ("Bellavista", "bellavista", "070102", 50),
    ("Carmen de la Legua Reynoso", "carmen-de-la-legua", "070103", 40),
    ("La Perla", "la-perla", "070104", 45),
    ("La Punta", "la-punta", "070105", 8),
    ("Ventanilla", "ventanilla", "070106", 150),
    ("Mi Perú", "mi-peru", "070107", 45),
]

_ROLE_MAILBOX = {
    DistrictRole.COORDINATOR: "coordinacion",
    DistrictRole.CASEWORKER: "orientacion",
    DistrictRole.COMPLAINTS_OFFICER: "denuncias",
    DistrictRole.INCLUSION_OFFICER: "inclusion",
    DistrictRole.VIEWER: "consulta",
}


@dataclass(frozen=True)
class DemoAccount:
    workspace: str
    url: str
    role: str
    email: str


# The district apps' demo records, and the role whose account makes them.
DISTRICT_APP_DEMOS = [
    ("apps.complaints.demo", DistrictRole.COMPLAINTS_OFFICER),
    ("apps.inclusion.demo", DistrictRole.INCLUSION_OFFICER),
    ("apps.volunteers.demo", DistrictRole.COORDINATOR),
    ("apps.activities.demo", DistrictRole.COORDINATOR),
]


def demo_email(slug: str, role: DistrictRole) -> str:
    return f"{_ROLE_MAILBOX[role]}.{slug}@demo.pe"


def _account_ensure(
    email: str, role: DistrictRole | PlatformRole, *, is_superuser: bool = False
) -> None:
    if not get_user_model().objects.filter(username=email).exists():
        user_create_with_password(
            email=email, password=DEMO_PASSWORD, role=role, is_superuser=is_superuser
        )


def demo_setup() -> list[DemoAccount]:
    """Onboard the seven districts and make the demo accounts; return what to print.

    The demo activity is loaded with per-write publishing off, then the joint metrics of
    the last twelve months are published once per district.
    """
    publishing, settings.METRICS_PUBLISH = settings.METRICS_PUBLISH, "off"
    try:
        accounts = _demo_load()
    finally:
        settings.METRICS_PUBLISH = publishing
    call_command("publish_metrics", "--all", stdout=io.StringIO())
    return accounts


def _demo_load() -> list[DemoAccount]:
    accounts: list[DemoAccount] = []
    platform_url = base_url_for_host(district_host("").lstrip(".")) + "/"
    platform_roles_ensure()
    _account_ensure("admin@demo.pe", PlatformRole.PLATFORM_ADMIN, is_superuser=True)
    _account_ensure("secretaria@demo.pe", PlatformRole.SECRETARIAT)
    accounts.append(
        DemoAccount(
            "Plataforma",
            platform_url,
            str(ROLE_LABELS[PlatformRole.PLATFORM_ADMIN]),
            "admin@demo.pe",
        )
    )
    accounts.append(
        DemoAccount(
            "Plataforma",
            platform_url,
            str(ROLE_LABELS[PlatformRole.SECRETARIAT]),
            "secretaria@demo.pe",
        )
    )

    for name, slug, ubigeo, people_count in CALLAO_DISTRICTS:
        result = district_onboard(
            name=name,
            slug=slug,
            ubigeo=ubigeo,
            coordinator_email=demo_email(slug, DistrictRole.COORDINATOR),
            refill_pool_in_background=False,
            send_invitation=False,  # the demo gives the coordinator a password below
        )
        with schema_context(result.district.schema_name):
            for role in DistrictRole:
                email = demo_email(slug, role)
                user = get_user_model().objects.filter(username=email).first()
                if user is not None and not user.has_usable_password():
                    # The coordinator was invited at onboarding; give the demo a password.
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                else:
                    _account_ensure(email, role)
                accounts.append(
                    DemoAccount(name, result.workspace_url, str(ROLE_LABELS[role]), email)
                )
            caseworker = get_user_model().objects.get(
                username=demo_email(slug, DistrictRole.CASEWORKER)
            )
            people_demo_load(actor=caseworker, count=people_count, seed=slug)
            casework_demo_load(actor=caseworker, seed=slug)
            for module_name, role in DISTRICT_APP_DEMOS:
                actor = get_user_model().objects.get(username=demo_email(slug, role))
                import_module(module_name).demo_load(actor=actor, seed=slug)
    forum_demo_create(list(District.objects.order_by("name")))
    schema_pool_refill(background=False)
    return accounts
