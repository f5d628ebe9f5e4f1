"""Helpers of the isolation matrix (tests/test_isolation_matrix.py): the routes and GraphQL
fields the project serves, one object of every kind in district A, and how two answers
are compared.

The objects are made through the services, as the product makes them, and carry
"Zqxiso" markers so that any page or answer that shows them is caught by a plain
substring search. Before they are made, every id sequence of A's schema is moved far
ahead, so an integer id of A's exists in no other schema: "A's id on B's host" then
really means "an id B does not have", never B's own row with the same number.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import schema_context
from graphql import GraphQLObjectType, get_named_type

from apps.accounts.api_tokens import api_token_create
from apps.accounts.roles import DistrictRole
from apps.accounts.services import user_create_with_password, user_invite
from apps.activities.services import ActivityInput, partner_activity_record
from apps.casework.models import Channel
from apps.casework.services import attention_record, case_open, follow_up_add, referral_send
from apps.catalogue.models import Partner, ServiceType
from apps.complaints.models import Offence
from apps.complaints.settings_services import SanctionRuleInput, ground_add, sanction_rule_save
from apps.complaints.tests.factories import complaint_make, establishment_make
from apps.forum.models import ForumSession
from apps.forum.services import ForumActor, agenda_item_propose
from apps.forum.tests.factories import agreement_make, session_make
from apps.inclusion.event_services import (
    event_attendance_record,
    stall_allot,
    training_attendance_record,
)
from apps.inclusion.services import business_add
from apps.inclusion.tests.factories import entrepreneur_make, event_make, training_make
from apps.people.models import Consent, DataSubjectRequest, PendingImport
from apps.people.rights import data_request_record
from apps.people.services import household_create
from apps.people.tests.factories import person_make, staff
from apps.volunteers.tests.factories import activity_make, volunteer_make
from conftest import TEST_PASSWORD
from tenants.models import District

# Every text of A's objects carries it (case-insensitive search).
MARKER = "zqxiso"
# Far beyond any id the tests' districts reach, and below 2**31.
SEQUENCE_FLOOR = 700_000_000
# An integer id and a UUID that exist in no schema.
MISSING_INT = "987654321"


# --------------------------------------------------------------------------- URL map
def url_routes(patterns: list[Any], prefix: str = "") -> dict[str, str]:
    """Every route of a URL map (includes walked), as ``{route: "namespace:name"}``."""
    routes: dict[str, str] = {}
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            inner = url_routes(entry.url_patterns, prefix + str(entry.pattern))
            routes.update(
                {
                    route: f"{namespace}:{name}" if namespace else name
                    for route, name in inner.items()
                }
            )
        elif isinstance(entry, URLPattern):
            routes[prefix + str(entry.pattern)] = entry.name or ""
    return routes


def route_kwargs(route: str) -> list[str]:
    """The keyword arguments a route takes, in order (``<uuid:public_id>`` gives
    ``public_id``)."""
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def route_path(route: str, values: dict[str, str]) -> str:
    """The route with its arguments filled in."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


# --------------------------------------------------------------------------- GraphQL
def graphql_fields(schema: Any) -> dict[str, dict[str, str]]:
    """Every root field of the schema (introspected in Python, not over HTTP) with its
    arguments' named types: ``{"query.forumSession": {"id": "ID"}, ...}``."""
    fields: dict[str, dict[str, str]] = {}
    for kind, root in (
        ("query", schema.graphql_schema.query_type),
        ("mutation", schema.graphql_schema.mutation_type),
        ("subscription", schema.graphql_schema.subscription_type),
    ):
        if isinstance(root, GraphQLObjectType):
            for name, definition in root.fields.items():
                fields[f"{kind}.{name}"] = {
                    arg: get_named_type(spec.type).name for arg, spec in definition.args.items()
                }
    return fields


# --------------------------------------------------------------------------- answers
_VOLATILE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1-"),
    (re.compile(r'(name="csrf-token" content=")[^"]+'), r"\1-"),
    (re.compile(r'(nonce=")[^"]+'), r"\1-"),
    (re.compile(r"(nonce-)[A-Za-z0-9+/=_-]+"), r"\1-"),
]


@dataclass(frozen=True)
class Answer:
    """What a caller learns from a response: status, redirect target and body, with the
    ids it asked for and per-response tokens (CSRF, CSP nonces) blanked out."""

    status: int
    location: str
    body: str

    @classmethod
    def of(cls, response: HttpResponse, asked: list[str]) -> Answer:
        raw = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content
        )
        body = raw.decode(errors="replace")
        location = response.get("Location", "")
        for value in sorted(asked, key=len, reverse=True):
            for form in {value, quote(value, safe=""), quote(value)}:
                body = body.replace(form, "{asked}")
                location = location.replace(form, "{asked}")
        for pattern, replacement in _VOLATILE:
            body = pattern.sub(replacement, body)
        return cls(status=response.status_code, location=location, body=body)

    def short(self) -> str:
        return f"{self.status} {self.location or ''}".strip()


# --------------------------------------------------------------------------- district A
@dataclass
class WorldA:
    """District A's objects: ``ids`` maps a kind (the route tables' keys) to the id a URL
    or a GraphQL argument takes; ``missing`` the same kinds to an id that exists nowhere;
    ``markers`` are texts of A's records that must never appear on B's host."""

    ids: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)
    person_name: str = ""
    document_number: str = ""
    tracking_code: str = ""
    # Bearer secrets of an API token of A's and of B's coordinator.
    a_api_secret: str = ""
    b_api_secret: str = ""

    def add(
        self, kind: str, value: object, *, missing: str | None = None, of_a: bool = True
    ) -> None:
        text = str(value)
        self.ids[kind] = text
        self.missing[kind] = missing or (
            str(uuid.uuid4()) if _is_uuid(text) else MISSING_INT if text.isdigit() else ""
        )
        if of_a and _is_uuid(text):
            self.markers.append(text)

    def leaks(self, text: str) -> list[str]:
        """The markers of A found in ``text``."""
        lowered = text.lower()
        found = [m for m in self.markers if m.lower() in lowered]
        if MARKER in lowered:
            found.append(MARKER)
        return found


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def sequences_push_ahead(schema_name: str) -> list[tuple[str, int, bool]]:
    """Move every sequence of ``schema_name`` to SEQUENCE_FLOOR; return what to restore
    (sequences are not transactional, the rows made after are rolled back)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = %s",
            [schema_name],
        )
        found = cursor.fetchall()
        saved = []
        for name, last_value in found:
            qualified = f'"{schema_name}"."{name}"'
            saved.append((qualified, last_value or 1, last_value is not None))
            cursor.execute("SELECT setval(%s, %s)", [qualified, SEQUENCE_FLOOR])
    return saved


def sequences_restore(saved: list[tuple[str, int, bool]]) -> None:
    with connection.cursor() as cursor:
        for qualified, value, is_called in saved:
            cursor.execute("SELECT setval(%s, %s, %s)", [qualified, value, is_called])


def world_a_build(district_a: District, district_b: District) -> WorldA:
    """One object of every kind whose id a route or a GraphQL field of a district takes,
    all in A (call inside a transaction that is rolled back)."""
    world = WorldA()
    today = timezone.localdate()
    with schema_context(district_a.schema_name):
        coordinator = staff("coordinator")
        person = person_make(
            given_names="Zqxisoana Beatriz",
            family_names="Zqxisoperez Ugarte",
            document_number="ZQXISO-778899",
            phone="+51 911 000 777",
        )
        world.person_name = "Zqxisoana"
        world.document_number = "ZQXISO-778899"
        world.add("person_name", world.person_name, missing="Qwyxnadie")
        world.markers += ["Zqxisoana", "ZQXISO-778899", "911 000 777"]
        world.add("person", person.public_id)
        household_create(actor=coordinator, head=person, address="Zqxiso calle 12")
        consent = Consent.objects.filter(person=person).first()
        assert consent is not None
        world.add("consent", consent.pk)
        data_request = data_request_record(
            actor=coordinator,
            person=person,
            kind=DataSubjectRequest.Kind.ACCESS,
            received_on=today,
            note="Zqxiso pide sus datos",
        )
        world.add("data_request", data_request.pk)

        service_type = ServiceType.objects.filter(is_active=True).first()
        assert service_type is not None
        attention = attention_record(
            actor=staff("caseworker"),
            person=person,
            occurred_on=today,
            channel=Channel.values[0],
            service_types=[service_type],
            notes="Zqxiso orientación",
        )
        case = case_open(
            actor=coordinator, person=person, caseworker=staff("caseworker"), plan="Zqxiso plan"
        )
        world.add("case", case.public_id)
        task = follow_up_add(
            actor=coordinator, case=case, description="Zqxiso tarea", due_on=today + timedelta(7)
        )
        world.add("task", task.pk)
        partner = Partner.objects.filter(is_active=True).first()
        assert partner is not None
        referral = referral_send(
            actor=staff("caseworker"),
            person=person,
            partner=partner,
            reason="Zqxiso necesita asesoría legal",
            shares_personal_data=False,
            attention=attention,
        )
        world.add("referral", referral.public_id)

        establishment = establishment_make(name="Zqxiso Discoteca", licence_number="ZQXISO-LIC")
        world.add("establishment", establishment.public_id)
        complaint = complaint_make(
            complainant_name="Zqxisoana Reclamante",
            narrative="Zqxiso: no me dejaron entrar al local por mi nacionalidad.",
            establishment=establishment,
        )
        world.add("complaint", complaint.public_id)
        world.tracking_code = complaint.tracking_code
        world.add("tracking_code", complaint.tracking_code, missing="DEN-AAAAA-AAAAA")
        world.markers.append(complaint.tracking_code)
        ground = ground_add(
            actor=staff("coordinator"), name_es="Zqxiso motivo", name_en="Zqxiso ground"
        )
        world.add("ground", ground.pk)
        rule = sanction_rule_save(
            actor=staff("coordinator"),
            values=SanctionRuleInput(
                name_es="Zqxiso regla",
                name_en="Zqxiso rule",
                offence=Offence.FIRST,
                fine_uit_fraction=Decimal("0.5"),
            ),
        )
        world.add("sanction_rule", rule.pk)

        entrepreneur = entrepreneur_make(person=person)
        world.add("entrepreneur", entrepreneur.public_id)
        business = business_add(
            actor=staff("inclusion_officer"),
            entrepreneur=entrepreneur,
            name="Zqxiso Bodega",
            activity="Zqxiso abarrotes",
        )
        world.add("business", business.public_id)
        training = training_make(held_on=today, title="Zqxiso taller de RUC")
        world.add("training", training.public_id)
        training_attendance = training_attendance_record(
            actor=staff("inclusion_officer"), training=training, person=person
        )
        world.add("training_attendance", training_attendance.pk)
        event = event_make(starts_on=today, title="Zqxiso feria")
        world.add("event", event.public_id)
        event_attendance = event_attendance_record(
            actor=staff("inclusion_officer"), event=event, person=person
        )
        world.add("event_attendance", event_attendance.pk)
        stall = stall_allot(
            actor=staff("inclusion_officer"), event=event, entrepreneur=entrepreneur, stall_number=1
        )
        world.add("stall", stall.pk)

        volunteer = volunteer_make(person=person)
        world.add("volunteer", volunteer.public_id)
        awareness = activity_make(title="Zqxiso charla", held_on=today)
        world.add("awareness_activity", awareness.public_id)
        five_w = partner_activity_record(
            actor=coordinator,
            data=ActivityInput(
                month=today.replace(day=1),
                appealing_partner=partner,
                implementing_partner=None,
                sector="wash",
                sub_sector="",
                indicator="Zqxiso kits",
                activity="Zqxiso entrega de kits",
                ubigeo=district_a.ubigeo,
                population_group="in_transit",
                women=3,
            ),
        )
        world.add("partner_activity", five_w.public_id)
        pending = PendingImport.objects.create(
            uploaded_by=coordinator, filename="zqxiso-import.xlsx", content=b"", total_rows=1
        )
        world.add("import", pending.public_id)

        member = user_create_with_password(
            email="zqxiso-member@la-perla.test",
            password=TEST_PASSWORD,
            role=DistrictRole.CASEWORKER,
        )
        world.add("user", member.pk)
        world.add("uidb64", urlsafe_base64_encode(force_bytes(member.pk)))
        world.missing["uidb64"] = urlsafe_base64_encode(force_bytes(int(MISSING_INT)))
        world.add("reset_token", default_token_generator.make_token(member))
        world.missing["reset_token"] = world.ids["reset_token"]
        invitation = user_invite(
            email="zqxiso-invited@la-perla.test",
            role=DistrictRole.CASEWORKER,
            base_url=f"http://{district_a.slug}.localhost",
            workspace_name=district_a.name,
            send_email=False,
        )
        uidb64, token = invitation.url.rstrip("/").split("/")[-2:]
        world.add("invitation_uidb64", uidb64)
        world.missing["invitation_uidb64"] = world.missing["uidb64"]
        world.add("invitation_token", token)
        world.missing["invitation_token"] = token
        world.markers += ["zqxiso-member@", "zqxiso-invited@"]

        token_row, secret = api_token_create(
            account=coordinator, district=district_a, name="Zqxiso panel"
        )
        world.add("api_token", token_row.pk)
        world.markers.append(token_row.prefix)
        coordinator_pk = coordinator.pk
    connection.set_schema_to_public()

    # The forum (public schema): a draft session districts must not see, A's proposal to
    # a convened session and an agreement only A is responsible for.
    draft = session_make(status=ForumSession.Status.DRAFT, place="Zqxiso borrador")
    world.add("forum_draft_session", draft.pk)
    convened = session_make(status=ForumSession.Status.CONVENED)
    world.add("forum_session", convened.pk)
    proposal = agenda_item_propose(
        actor=ForumActor.for_district(district_a, coordinator_pk),
        session=convened,
        title="Propuesta de La Perla",
    )
    world.add("agenda_item", proposal.pk)
    agreement = agreement_make(convened, [district_a])
    world.add("agreement", agreement.pk)
    with schema_context(district_b.schema_name):
        b_coordinator = staff("coordinator", district_b.slug)
        _b_token, b_secret = api_token_create(
            account=b_coordinator, district=district_b, name="B panel"
        )
        # B's own person, whose pages take a person's id in their form or search.
        b_person = person_make(
            actor=b_coordinator,
            given_names="Rosa Elena",
            family_names="Bellavista Soto",
            document_number="BV-100200",
        )
        household_create(actor=b_coordinator, head=b_person)
        world.add("b_person", b_person.public_id, missing=str(b_person.public_id), of_a=False)
    connection.set_schema_to_public()
    world.b_api_secret = b_secret
    world.a_api_secret = secret
    return world


def a_user_exists_nowhere_else(world: WorldA, district_b: District) -> bool:
    """A's integer ids are not B's: the premise of every "A's id on B" attempt."""
    with schema_context(district_b.schema_name):
        return not User.objects.filter(pk=int(world.ids["user"])).exists()


def today_path_values() -> dict[str, str]:
    today = timezone.localdate()
    return {"year": str(today.year), "month": str(today.month)}
