"""Reads of the platform console: the districts with their usage, one district's page,
the activity log.

Cost of the districts list (``console_district_rows``), whatever the number of districts:
one query for the districts, one for their domains, one over the catalogue for which
usage tables each schema has, and one ``UNION ALL`` statement with three
schema-qualified ``count(*)`` per district (people, active accounts, this month's
attentions; the connection never switches schema). Schema sizes
(``pg_total_relation_size`` over every table, one query for all districts) stat the
files of ~500 relations per district, about 6 ms per district on the embedded server, so
they are kept in the cache for ``SCHEMA_SIZES_CACHE_SECONDS`` and the page says when they
were measured: one more query, about 0.6 s for 100 districts, once every ten minutes or
when a new district appears. The counts grow with the districts' rows, not the round
trips; ``tenants/tests/test_console.py`` asserts the query count stays flat.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context

from apps.accounts.roles import DistrictRole
from apps.accounts.services import base_url_for_host
from apps.billing.selectors import BillingSummary, district_billing_summary
from apps.catalogue.models import ServiceType
from tenants.db_roles import as_owner
from tenants.models import District, Domain, PlatformAdminAction
from tenants.services.onboarding import district_host

Action = PlatformAdminAction.Action


class StatusChange(StrEnum):
    SUSPEND = "suspend"
    REACTIVATE = "reactivate"
    ARCHIVE = "archive"


STATUS_CHANGE_LABELS = {
    StatusChange.SUSPEND: gettext_lazy("Suspend"),
    StatusChange.REACTIVATE: gettext_lazy("Reactivate"),
    StatusChange.ARCHIVE: gettext_lazy("Archive"),
}


def district_effective_status(district: District) -> District.Status:
    """Archived also when an offboarding's read-only period is over."""
    if district.is_archived:
        return District.Status.ARCHIVED
    return District.Status(district.status)


def district_status_actions(district: District) -> list[StatusChange]:
    """The status changes that make sense from where the district is now."""
    status = district_effective_status(district)
    if status == District.Status.ARCHIVED:
        return [StatusChange.REACTIVATE]
    if status == District.Status.SUSPENDED:
        return [StatusChange.REACTIVATE, StatusChange.ARCHIVE]
    return [StatusChange.SUSPEND, StatusChange.ARCHIVE]


def district_primary_host(district: District) -> str:
    """The host the landing links to and invitation links use (one query)."""
    host = (
        Domain.objects.filter(tenant=district, is_primary=True)
        .values_list("domain", flat=True)
        .first()
    )
    return host or district_host(district.slug)


# ---------------------------------------------------------------------------- usage


@dataclass(frozen=True)
class DistrictUsage:
    """None where the schema or one of its tables could not be read."""

    people: int | None = None
    users: int | None = None
    attentions_this_month: int | None = None
    schema_bytes: int | None = None


_USAGE_TABLES = ("people_person", "auth_user", "casework_attention")
# District schema names are ``d_<slug>`` with hyphens made underscores; anything else is
# never put into SQL text.
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_SCHEMA_SIZES_CACHE_KEY = "console:schema-sizes:v1"
SCHEMA_SIZES_CACHE_SECONDS = 10 * 60


def _month_bounds(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following


def _schema_tables(schemas: list[str]) -> dict[str, set[str]]:
    """Which of the usage tables each existing schema has (the catalogue only: cheap)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname,
                   COALESCE(array_agg(c.relname::text) FILTER (WHERE c.relname IS NOT NULL), '{}')
              FROM pg_namespace n
              LEFT JOIN pg_class c
                ON c.relnamespace = n.oid AND c.relkind = 'r' AND c.relname = ANY(%s)
             WHERE n.nspname = ANY(%s)
             GROUP BY n.nspname
            """,
            [list(_USAGE_TABLES), schemas],
        )
        return {name: set(tables) for name, tables in cursor.fetchall()}


def _schema_sizes_measure(schemas: list[str]) -> dict[str, int | None]:
    """Each schema's size: its tables with their indexes and TOAST, as
    ``pg_total_relation_size`` counts them; None for a schema that does not exist."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, COALESCE(SUM(pg_total_relation_size(c.oid)), 0)
              FROM pg_namespace n
              LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'm')
             WHERE n.nspname = ANY(%s)
             GROUP BY n.nspname
            """,
            [schemas],
        )
        found = {name: int(size) for name, size in cursor.fetchall()}
    return {schema: found.get(schema) for schema in schemas}


@dataclass(frozen=True)
class SchemaSizes:
    sizes: dict[str, int | None]
    measured_at: datetime


def schema_sizes(schemas: list[str], *, cached: bool = True) -> SchemaSizes:
    """Sizes of the given schemas, measured in one query and kept for
    ``SCHEMA_SIZES_CACHE_SECONDS``: the file sizes of every table and index are the
    expensive part of the list (about 6 ms per district of ~500 relations), and they
    change slowly. A schema the cached entry does not cover (a new district) measures
    them all again. ``cached=False`` measures without reading or writing the cache."""
    if not cached:
        return SchemaSizes(_schema_sizes_measure(schemas), timezone.now())
    kept: SchemaSizes | None = cache.get(_SCHEMA_SIZES_CACHE_KEY)
    if kept is not None and set(schemas) <= set(kept.sizes):
        return kept
    measured = SchemaSizes(_schema_sizes_measure(schemas), timezone.now())
    cache.set(_SCHEMA_SIZES_CACHE_KEY, measured, SCHEMA_SIZES_CACHE_SECONDS)
    return measured


def schema_sizes_forget() -> None:
    cache.delete(_SCHEMA_SIZES_CACHE_KEY)


def _schema_counts(schemas: list[str], today: date) -> dict[str, tuple[int, int, int]]:
    """People, active accounts and this month's attentions of every schema, in one
    statement (no ``SET search_path``: every table is schema-qualified)."""
    if not schemas:
        return {}
    first, following = _month_bounds(today)
    parts: list[str] = []
    params: list[str | date] = []
    for schema in schemas:
        if not _SCHEMA_NAME.match(schema):
            continue
        quoted = connection.ops.quote_name(schema)
        parts.append(
            f"SELECT %s, "  # noqa: S608 - the schema name is checked above and quoted
            f"(SELECT count(*) FROM {quoted}.people_person), "
            f"(SELECT count(*) FROM {quoted}.auth_user WHERE is_active), "
            f"(SELECT count(*) FROM {quoted}.casework_attention "
            f"WHERE occurred_on >= %s AND occurred_on < %s)"
        )
        params += [schema, first, following]
    if not parts:
        return {}
    # Deliberately across districts (counts only): as the owner role, which alone may read
    # every district's schema (tenants/db_roles.py).
    with as_owner(), connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {row[0]: (int(row[1]), int(row[2]), int(row[3])) for row in cursor.fetchall()}


@dataclass(frozen=True)
class UsageReport:
    by_schema: dict[str, DistrictUsage]
    sizes_measured_at: datetime | None


def district_usage(
    districts: Sequence[District], *, today: date | None = None, cached_sizes: bool = True
) -> UsageReport:
    """Usage of each district by schema name: two queries for any number of districts
    (which tables exist; the counts), plus one for the sizes when they are not cached.

    A schema that is missing, or lacks one of the counted tables (being repaired, say),
    gets what could be read and None for the rest instead of failing the whole list.
    """
    today = today or timezone.localdate()
    schemas = [d.schema_name for d in districts]
    if not schemas:
        return UsageReport({}, None)
    tables = _schema_tables(schemas)
    countable = sorted(s for s, found in tables.items() if found >= set(_USAGE_TABLES))
    counts = _schema_counts(countable, today)
    sizes = schema_sizes(schemas, cached=cached_sizes)
    usage = {}
    for schema in schemas:
        people, users, attentions = counts.get(schema, (None, None, None))
        size = sizes.sizes.get(schema) if schema in tables else None
        usage[schema] = DistrictUsage(people, users, attentions, size)
    return UsageReport(usage, sizes.measured_at)


# ----------------------------------------------------------------- districts list


@dataclass(frozen=True)
class ConsoleDistrictRow:
    district: District
    status: str
    status_label: str
    host: str
    url: str
    billing: BillingSummary
    usage: DistrictUsage


@dataclass(frozen=True)
class ConsoleOverview:
    rows: list[ConsoleDistrictRow]
    totals: DistrictUsage
    billing_enabled: bool
    sizes_measured_at: datetime | None


def _primary_host_of_prefetched(district: District) -> str:
    for domain in district.domains.all():
        if domain.is_primary:
            return domain.domain
    return district_host(district.slug)


def _total(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def console_district_rows(*, fresh_sizes: bool = False) -> ConsoleOverview:
    """Every district (archived too) with status, billing and usage; see the module's
    docstring for what it costs."""
    districts = list(
        District.objects.order_by("name").prefetch_related(
            Prefetch("domains", queryset=Domain.objects.order_by("-is_primary", "domain"))
        )
    )
    if fresh_sizes:
        schema_sizes_forget()
    report = district_usage(districts)
    usage = report.by_schema
    rows = []
    for district in districts:
        status = district_effective_status(district)
        host = _primary_host_of_prefetched(district)
        rows.append(
            ConsoleDistrictRow(
                district=district,
                status=str(status),
                status_label=str(status.label),
                host=host,
                url=base_url_for_host(host) + "/",
                billing=district_billing_summary(district),
                usage=usage.get(district.schema_name, DistrictUsage()),
            )
        )
    totals = DistrictUsage(
        people=_total([r.usage.people for r in rows]),
        users=_total([r.usage.users for r in rows]),
        attentions_this_month=_total([r.usage.attentions_this_month for r in rows]),
        schema_bytes=_total([r.usage.schema_bytes for r in rows]),
    )
    return ConsoleOverview(
        rows=rows,
        totals=totals,
        billing_enabled=any(r.billing.enabled for r in rows),
        sizes_measured_at=report.sizes_measured_at,
    )


# ----------------------------------------------------------------- one district


@dataclass(frozen=True)
class CoordinatorAccount:
    email: str
    accepted: bool
    invited_at: datetime
    last_login: datetime | None


@dataclass(frozen=True)
class SetupStep:
    label: str
    done: bool
    detail: str = ""


@dataclass
class DistrictDetail:
    district: District
    status: str
    status_label: str
    host: str
    url: str
    domains: list[Domain]
    billing: BillingSummary
    usage: DistrictUsage
    coordinators: list[CoordinatorAccount]
    steps: list[SetupStep]
    status_actions: list[tuple[str, str]]
    actions: list[ActionEntry] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def pending_coordinators(self) -> list[CoordinatorAccount]:
        return [c for c in self.coordinators if not c.accepted]


_SCHEMA_SOURCE_LABELS = {
    "pool": gettext_lazy("a ready-made schema from the pool"),
    "snapshot": gettext_lazy("the template snapshot"),
    "migrations": gettext_lazy("the migrations"),
}


def _workspace_facts(district: District) -> tuple[bool, list[CoordinatorAccount]]:
    """Inside the district's schema: roles and reference lists loaded; its coordinators."""
    with schema_context(district.schema_name):
        roles = Group.objects.filter(name__in=[str(r) for r in DistrictRole]).count()
        seeded = roles == len(DistrictRole) and ServiceType.objects.exists()
        coordinators = [
            CoordinatorAccount(
                email=user.email or user.username,
                accepted=user.has_usable_password(),
                invited_at=user.date_joined,
                last_login=user.last_login,
            )
            for user in get_user_model()
            .objects.filter(groups__name=DistrictRole.COORDINATOR)
            .order_by("date_joined", "pk")
        ]
    return seeded, coordinators


def _setup_steps(
    district: District,
    *,
    host: str,
    has_domain: bool,
    schema_found: bool,
    seeded: bool,
    coordinators: list[CoordinatorAccount],
    onboarding: PlatformAdminAction | None,
) -> list[SetupStep]:
    """Each onboarding step, checked against what is there now (not only what was logged)."""
    detail = onboarding.detail if onboarding else {}
    schema_detail = district.schema_name
    if detail.get("schema_source") in _SCHEMA_SOURCE_LABELS:
        schema_detail = _("%(schema)s, made from %(source)s in %(seconds)s s") % {
            "schema": district.schema_name,
            "source": _SCHEMA_SOURCE_LABELS[detail["schema_source"]],
            "seconds": detail.get("seconds", "?"),
        }
    if not coordinators:
        invitation = _("No coordinator account.")
    elif any(c.accepted for c in coordinators):
        invitation = _("Accepted: a coordinator has set a password.")
    else:
        invitation = _("Sent to %(emails)s; waiting for a password.") % {
            "emails": ", ".join(c.email for c in coordinators)
        }
    return [
        SetupStep(_("District record"), True, district.slug),
        SetupStep(_("Web address"), has_domain, host),
        SetupStep(_("Database schema"), schema_found, schema_detail),
        SetupStep(
            _("Reference lists and roles"),
            seeded,
            "" if seeded else _("Missing: run the seed again (see tenants/README.md)."),
        ),
        SetupStep(_("Coordinator invitation"), bool(coordinators), invitation),
    ]


def district_detail(district: District) -> DistrictDetail:
    domains = list(district.domains.order_by("-is_primary", "domain"))
    host = next((d.domain for d in domains if d.is_primary), district_host(district.slug))
    usage = district_usage([district], cached_sizes=False).by_schema[district.schema_name]
    schema_found = usage.schema_bytes is not None
    seeded, coordinators = _workspace_facts(district) if schema_found else (False, [])
    onboarding = (
        PlatformAdminAction.objects.filter(district=district, action=Action.ONBOARD)
        .order_by("at")
        .first()
    )
    status = district_effective_status(district)
    return DistrictDetail(
        district=district,
        status=str(status),
        status_label=str(status.label),
        host=host,
        url=base_url_for_host(host) + "/",
        domains=domains,
        billing=district_billing_summary(district),
        usage=usage,
        coordinators=coordinators,
        steps=_setup_steps(
            district,
            host=host,
            has_domain=bool(domains),
            schema_found=schema_found,
            seeded=seeded,
            coordinators=coordinators,
            onboarding=onboarding,
        ),
        status_actions=[
            (str(change), str(STATUS_CHANGE_LABELS[change]))
            for change in district_status_actions(district)
        ],
        actions=admin_action_entries(list(admin_actions(district=district)[:10])),
    )


# ----------------------------------------------------------------- activity log


@dataclass(frozen=True)
class ActionEntry:
    at: datetime
    actor: str
    district_name: str
    district_slug: str
    label: str
    summary: str


def admin_actions(*, district: District | None = None) -> QuerySet[PlatformAdminAction]:
    actions = PlatformAdminAction.objects.select_related("actor", "district")
    if district is not None:
        actions = actions.filter(district=district)
    return actions.order_by("-at", "-id")


def _status_label(value: str) -> str:
    try:
        return str(District.Status(value).label)
    except ValueError:
        return value


_SUMMARIES = {
    Action.ONBOARD: gettext_lazy("Workspace at %(host)s; invitation to %(email)s."),
    Action.SUSPEND: gettext_lazy("From “%(previous_status)s” to “%(status)s”."),
    Action.REACTIVATE: gettext_lazy("From “%(previous_status)s” to “%(status)s”."),
    Action.ARCHIVE: gettext_lazy("From “%(previous_status)s” to “%(status)s”."),
    Action.INVITATION_RESEND: gettext_lazy("New invitation link e-mailed to %(email)s."),
    Action.DOMAIN_ADD: gettext_lazy("%(host)s added."),
    Action.DOMAIN_PRIMARY: gettext_lazy(
        "Primary address changed from %(previous_host)s to %(host)s."
    ),
    Action.DOMAIN_REMOVE: gettext_lazy("%(host)s no longer leads to this district."),
    Action.BACKUP: gettext_lazy("Backup %(file)s written."),
    Action.RESTORE: gettext_lazy("Records replaced by the backup %(file)s."),
}
# Backups and restores run from the command line, by the platform's operators.
_COMMAND_LINE = gettext_lazy("command line")
_PRIMARY_DOMAIN_ADDED = gettext_lazy("%(host)s added as the primary address.")


def admin_action_summary(action: PlatformAdminAction) -> str:
    """One plain sentence for the log, from the action's recorded detail."""
    detail = action.detail or {}
    template = _SUMMARIES.get(Action(action.action))
    if action.action == Action.DOMAIN_ADD and detail.get("primary"):
        template = _PRIMARY_DOMAIN_ADDED
    if template is None:
        return ""
    return str(template) % {
        "host": detail.get("host", ""),
        "email": detail.get("coordinator_email") or "—",
        "previous_status": _status_label(detail.get("previous_status", "")),
        "status": _status_label(detail.get("status", "")),
        "previous_host": detail.get("previous_host") or "—",
        "file": detail.get("file") or "—",
    }


def admin_action_entries(actions: Sequence[PlatformAdminAction]) -> list[ActionEntry]:
    return [
        ActionEntry(
            at=action.at,
            actor=(
                (action.actor.email or action.actor.username)
                if action.actor is not None
                else str(_COMMAND_LINE)
            ),
            district_name=action.district.name,
            district_slug=action.district.slug,
            label=str(action.get_action_display()),
            summary=admin_action_summary(action),
        )
        for action in actions
    ]
