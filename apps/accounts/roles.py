"""Roles and what each may do. A role is a Django group of the same name, in each schema.

District roles exist in every district schema (created at onboarding); platform roles in
the public schema. The district apps of issue 4 keep their own roles' permissions in
``apps/<app>/permissions.py`` (``ROLE_PERMISSIONS``); ``district_role_permissions()``
merges them with the lists below.
"""

from __future__ import annotations

from enum import StrEnum
from importlib import import_module

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DistrictRole(StrEnum):
    COORDINATOR = "coordinator"
    CASEWORKER = "caseworker"
    COMPLAINTS_OFFICER = "complaints_officer"
    INCLUSION_OFFICER = "inclusion_officer"
    VIEWER = "viewer"


class PlatformRole(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    SECRETARIAT = "secretariat"


ROLE_LABELS = {
    DistrictRole.COORDINATOR: _("Coordinator"),
    DistrictRole.CASEWORKER: _("Caseworker"),
    DistrictRole.COMPLAINTS_OFFICER: _("Complaints officer"),
    DistrictRole.INCLUSION_OFFICER: _("Economic-inclusion officer"),
    DistrictRole.VIEWER: _("Read-only viewer"),
    PlatformRole.PLATFORM_ADMIN: _("Platform administrator"),
    PlatformRole.SECRETARIAT: _("Forum secretariat"),
}

_CATALOGUE_READ = [
    "catalogue.view_servicetype",
    "catalogue.view_documenttype",
    "catalogue.view_partner",
]
_CATALOGUE_WRITE = [
    f"catalogue.{action}_{model}"
    for model in ("servicetype", "documenttype", "partner")
    for action in ("add", "change")
]
_PEOPLE_READ = [
    "people.view_person",
    "people.view_identitydocument",
    "people.view_migratorysituation",
    "people.view_consent",
]
_PEOPLE_EXPORT = ["people.export_person"]
# Requests under Ley 29733, the complete data file, opposition and anonymisation.
_DATA_RIGHTS = [
    "people.add_datasubjectrequest",
    "people.view_datasubjectrequest",
    "people.change_datasubjectrequest",
]
_PEOPLE_WRITE = [
    "people.add_person",
    "people.change_person",
    "people.add_identitydocument",
    "people.add_migratorysituation",
    "people.add_consent",
    "people.change_consent",
]
_CASEWORK = [
    f"casework.{action}_{model}"
    for model in ("attention", "case", "casenote", "followuptask", "referral")
    for action in ("view", "add", "change")
]
_TEAM_MANAGE = ["auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group"]

DISTRICT_ROLE_PERMISSIONS: dict[DistrictRole, list[str]] = {
    DistrictRole.COORDINATOR: [
        *_CATALOGUE_READ,
        *_CATALOGUE_WRITE,
        *_TEAM_MANAGE,
        *_PEOPLE_READ,
        *_PEOPLE_WRITE,
        *_PEOPLE_EXPORT,
        *_DATA_RIGHTS,
        "people.merge_person",
        *_CASEWORK,
        "casework.view_sensitive_casenote",
        "casework.override_referral_consent",
        "audit.view_accesslogentry",
    ],
    DistrictRole.CASEWORKER: [
        *_CATALOGUE_READ,
        *_PEOPLE_READ,
        *_PEOPLE_WRITE,
        *_PEOPLE_EXPORT,
        *_CASEWORK,
    ],
    # They link complaints and entrepreneurs to registered people, so they can find them.
    DistrictRole.COMPLAINTS_OFFICER: [*_CATALOGUE_READ, *_PEOPLE_READ],
    DistrictRole.INCLUSION_OFFICER: [*_CATALOGUE_READ, *_PEOPLE_READ],
    # Dashboards and aggregate figures only: no personal details.
    DistrictRole.VIEWER: [*_CATALOGUE_READ],
}

PLATFORM_ROLE_PERMISSIONS: dict[PlatformRole, list[str]] = {
    PlatformRole.PLATFORM_ADMIN: [
        "tenants.view_district",
        "tenants.change_district",
        "tenants.view_domain",
    ],
    PlatformRole.SECRETARIAT: [],
}


def _permissions(names: list[str]) -> list[Permission]:
    if not names:
        return []
    query = Q()
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(query).select_related("content_type"))
    missing = set(names) - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:
        raise LookupError(f"Unknown permissions for roles: {sorted(missing)}")
    return found


@transaction.atomic
def roles_ensure(
    role_permissions: dict[DistrictRole, list[str]] | dict[PlatformRole, list[str]],
) -> None:
    """Create the groups of the given roles in the current schema with exactly their permissions."""
    for role, permission_names in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=str(role))
        group.permissions.set(_permissions(permission_names))


# Apps that declare their roles' permissions next to their models.
APP_PERMISSION_MODULES = [
    "apps.complaints.permissions",
    "apps.inclusion.permissions",
    "apps.volunteers.permissions",
    "apps.activities.permissions",
]


def district_role_permissions() -> dict[DistrictRole, list[str]]:
    """Every district role's permissions: the lists above plus each app's own."""
    merged = {role: list(names) for role, names in DISTRICT_ROLE_PERMISSIONS.items()}
    for module_name in APP_PERMISSION_MODULES:
        module = import_module(module_name)
        for role, names in module.ROLE_PERMISSIONS.items():
            merged[role] += [name for name in names if name not in merged[role]]
    return merged


def district_roles_ensure() -> None:
    roles_ensure(district_role_permissions())


def platform_roles_ensure() -> None:
    roles_ensure(PLATFORM_ROLE_PERMISSIONS)
