"""GraphQL: the Forum of Mayors (sessions, agendas, minutes, agreements) and its mutations.

Resolvers stay thin: permission check, one selector or service. Lists come prefetched
(see selectors), and agreement figures are computed once per list, so the number of
queries does not grow with the number of rows."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import graphene
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from apps.accounts.roles import DistrictRole, PlatformRole
from apps.forum import selectors, services
from apps.forum.models import AgendaItem, Agreement, ForumSession, MinutesVersion
from apps.forum.selectors import AgreementProgressFigures
from config.graphql.errors import PublicError
from config.graphql.mutations import FieldError, field_errors, mutation_guard
from config.graphql.pagination import connection_type, page_arguments, paginate
from config.graphql.permissions import (
    on_public_host,
    require_district_role,
    require_forum_reader,
    require_public_role,
)
from tenants.graphql import DistrictType
from tenants.models import District

NOT_FOUND = "Not found."

ForumSessionStatus = graphene.Enum.from_enum(ForumSession.Status, name="ForumSessionStatus")
AgendaItemStatus = graphene.Enum.from_enum(AgendaItem.Status, name="AgendaItemStatus")


class AgreementStatus(graphene.Enum):
    PENDING = Agreement.Status.PENDING.value
    IN_PROGRESS = Agreement.Status.IN_PROGRESS.value
    DONE = Agreement.Status.DONE.value
    OVERDUE = Agreement.OVERDUE


class AgendaItemType(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    planned_minutes = graphene.Int(required=True)
    position = graphene.Int(required=True)
    status = graphene.Field(AgendaItemStatus, required=True)
    decision_note = graphene.String(required=True)
    proposed_by = graphene.Field(DistrictType, description="Null: the secretariat proposed it.")
    children = graphene.List(graphene.NonNull(lambda: AgendaItemType), required=True)

    @staticmethod
    def resolve_children(item: AgendaItem, info: Any) -> list[AgendaItem]:
        return getattr(item, "sub_items", [])


class MinutesVersionType(graphene.ObjectType):
    version = graphene.Int(required=True)
    body = graphene.String(required=True)
    change_note = graphene.String(required=True)
    published_at = graphene.DateTime(required=True)


class AgreementFiguresType(graphene.ObjectType):
    """Target against actual, read from the joint metrics (suppressed counts left out)."""

    indicator = graphene.String(required=True)
    target = graphene.Int(required=True)
    baseline = graphene.Int(required=True)
    actual = graphene.Int(required=True)
    percent = graphene.Int(required=True)
    measured_from = graphene.Date(required=True)
    measured_to = graphene.Date(required=True)
    incomplete = graphene.Boolean(required=True, description="Some small counts were held back.")
    per_month = graphene.Boolean(
        required=True,
        description="People are never added up across months: baseline and actual are "
        "then averages per month.",
    )


class ProgressUpdateType(graphene.ObjectType):
    district = graphene.Field(DistrictType, required=True)
    note = graphene.String(required=True)
    status = graphene.Field(AgreementStatus, required=True)
    posted_at = graphene.DateTime(required=True)


class AgreementType(graphene.ObjectType):
    id = graphene.ID(required=True)
    session_number = graphene.Int(required=True)
    text = graphene.String(required=True)
    responsible_districts = graphene.List(graphene.NonNull(DistrictType), required=True)
    responsible_partners = graphene.List(graphene.NonNull(graphene.String), required=True)
    deadline = graphene.Date()
    status = graphene.Field(AgreementStatus, required=True)
    overdue = graphene.Boolean(required=True)
    indicator = graphene.String(required=True)
    target = graphene.Int()
    baseline_from = graphene.Date()
    baseline_to = graphene.Date()
    figures = graphene.Field(AgreementFiguresType)
    progress = graphene.List(graphene.NonNull(ProgressUpdateType), required=True)

    @staticmethod
    def resolve_session_number(agreement: Agreement, info: Any) -> int:
        return agreement.session.number

    @staticmethod
    def resolve_responsible_districts(agreement: Agreement, info: Any) -> list[District]:
        return list(agreement.responsible_districts.all())

    @staticmethod
    def resolve_status(agreement: Agreement, info: Any) -> str:
        return agreement.shown_status()

    @staticmethod
    def resolve_overdue(agreement: Agreement, info: Any) -> bool:
        return agreement.is_overdue()

    @staticmethod
    def resolve_figures(agreement: Agreement, info: Any) -> AgreementProgressFigures | None:
        return getattr(agreement, "figures", None)

    @staticmethod
    def resolve_progress(agreement: Agreement, info: Any) -> list[Any]:
        return list(agreement.progress.all())


class ForumSessionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    number = graphene.Int(required=True)
    held_on = graphene.Date(required=True)
    starts_at = graphene.Time()
    place = graphene.String(required=True)
    host_district = graphene.Field(DistrictType)
    status = graphene.Field(ForumSessionStatus, required=True)
    agenda_items = graphene.List(
        graphene.NonNull(AgendaItemType), required=True, description="Top-level items, in order."
    )
    agreements = graphene.List(graphene.NonNull(AgreementType), required=True)
    minutes = graphene.List(
        graphene.NonNull(MinutesVersionType), required=True, description="Newest version first."
    )

    @staticmethod
    def resolve_agenda_items(session: ForumSession, info: Any) -> list[AgendaItem]:
        top = []
        for item, children in selectors.agenda_tree(session):
            item.sub_items = children  # type: ignore[attr-defined]
            top.append(item)
        return top

    @staticmethod
    def resolve_agreements(session: ForumSession, info: Any) -> list[Agreement]:
        return _with_figures(list(session.agreements.all()))

    @staticmethod
    def resolve_minutes(session: ForumSession, info: Any) -> list[MinutesVersion]:
        return list(session.minutes.all())


ForumSessionConnection = connection_type(ForumSessionType, "ForumSessionConnection")
AgreementConnection = connection_type(AgreementType, "AgreementConnection")


def _with_figures(agreements: list[Agreement]) -> list[Agreement]:
    """Attach target-against-actual figures, computed once for the whole list."""
    if all(hasattr(agreement, "figures") for agreement in agreements):
        return agreements
    figures = selectors.agreement_progress_figures(agreements)
    for agreement in agreements:
        agreement.figures = figures.get(agreement.pk)  # type: ignore[attr-defined]
    return agreements


def _value(choice: Any) -> Any:
    """Graphene passes enum arguments as enum members; services take their values."""
    return getattr(choice, "value", choice)


def _district(slug: str | None) -> District | None:
    if not slug:
        return None
    district = District.objects.filter(slug=slug).first()
    if district is None:
        raise PublicError(f"Unknown district “{slug}”.")
    return district


class ForumQueries(graphene.ObjectType):
    forum_sessions = graphene.Field(
        ForumSessionConnection,
        required=True,
        status=graphene.Argument(ForumSessionStatus),
        **page_arguments(),
    )
    forum_session = graphene.Field(ForumSessionType, id=graphene.ID(required=True))
    agreements = graphene.Field(
        AgreementConnection,
        required=True,
        status=graphene.Argument(AgreementStatus),
        district=graphene.String(
            description="A district's slug: agreements it is responsible for."
        ),
        overdue=graphene.Boolean(),
        **page_arguments(),
    )

    @staticmethod
    def resolve_forum_sessions(
        root: object,
        info: Any,
        *,
        status: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> dict[str, Any]:
        require_forum_reader(info)
        sessions: QuerySet[ForumSession] = _visible(
            info, selectors.forum_sessions(status=_value(status))
        )
        page = paginate(sessions, first, after)
        _with_figures([a for session in page["nodes"] for a in session.agreements.all()])
        return page

    @staticmethod
    def resolve_forum_session(root: object, info: Any, id: str) -> ForumSession | None:
        require_forum_reader(info)
        session = selectors.forum_session_detail(_int_id(id))
        if session is None or (
            session.status == ForumSession.Status.DRAFT and not on_public_host(info)
        ):
            return None
        return session

    @staticmethod
    def resolve_agreements(
        root: object,
        info: Any,
        *,
        status: str | None = None,
        district: str | None = None,
        overdue: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> dict[str, Any]:
        require_forum_reader(info)
        found = selectors.agreements(
            status=_value(status), district=_district(district), overdue=overdue
        )
        page = paginate(found, first, after)
        page["nodes"] = _with_figures(page["nodes"])
        return page


def _visible(info: Any, sessions: QuerySet[ForumSession]) -> QuerySet[ForumSession]:
    """Districts see a session once the secretariat convenes it, never a draft."""
    if on_public_host(info):
        return sessions
    return sessions.exclude(status=ForumSession.Status.DRAFT)


def _int_id(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PublicError(NOT_FOUND) from None


def _get(model: type[Any], id: str) -> Any:
    found = model.objects.filter(pk=_int_id(id)).first()
    if found is None:
        raise PublicError(NOT_FOUND)
    return found


def _secretariat_actor(info: Any) -> services.ForumActor:
    mutation_guard(info)
    # Platform admins may stand in for the secretariat, as on the portal's pages.
    account = require_public_role(info, PlatformRole.SECRETARIAT, PlatformRole.PLATFORM_ADMIN)
    return services.ForumActor.secretariat(account)


def _coordinator_actor(info: Any) -> services.ForumActor:
    mutation_guard(info)
    user = require_district_role(info, DistrictRole.COORDINATOR)
    return services.ForumActor.for_district(info.context.tenant, user.pk)


# ---------------------------------------------------------------------------- mutations
class ForumSessionInput(graphene.InputObjectType):
    held_on = graphene.Date()
    starts_at = graphene.Time()
    place = graphene.String()
    host_district = graphene.String(description="A district's slug.")
    status = graphene.Argument(ForumSessionStatus)


class ForumSessionPayload(graphene.ObjectType):
    forum_session = graphene.Field(ForumSessionType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class ForumSessionCreate(graphene.Mutation):
    class Arguments:
        held_on = graphene.Date(required=True)
        place = graphene.String(required=True)
        starts_at = graphene.Time()
        host_district = graphene.String(description="A district's slug.")

    Output = ForumSessionPayload

    @staticmethod
    def mutate(
        root: object,
        info: Any,
        *,
        held_on: date,
        place: str,
        starts_at: time | None = None,
        host_district: str | None = None,
    ) -> dict[str, Any]:
        actor = _secretariat_actor(info)
        try:
            session = services.forum_session_create(
                actor=actor,
                held_on=held_on,
                place=place,
                starts_at=starts_at,
                host_district=_district(host_district),
            )
        except ValidationError as error:
            return {"forum_session": None, "errors": field_errors(error)}
        return {"forum_session": session, "errors": []}


class ForumSessionUpdate(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = ForumSessionInput(required=True)

    Output = ForumSessionPayload

    @staticmethod
    def mutate(root: object, info: Any, id: str, input: dict[str, Any]) -> dict[str, Any]:
        actor = _secretariat_actor(info)
        session = _get(ForumSession, id)
        changes = {name: _value(value) for name, value in input.items()}
        if "host_district" in changes:
            changes["host_district"] = _district(changes["host_district"])
        try:
            session = services.forum_session_update(actor=actor, session=session, **changes)
        except ValidationError as error:
            return {"forum_session": session, "errors": field_errors(error)}
        return {"forum_session": session, "errors": []}


class AgendaItemPayload(graphene.ObjectType):
    agenda_item = graphene.Field(AgendaItemType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class AgendaItemPropose(graphene.Mutation):
    """By the secretariat (accepted on the spot) or a district's coordinator (proposed)."""

    class Arguments:
        session_id = graphene.ID(required=True)
        title = graphene.String(required=True)
        description = graphene.String()
        planned_minutes = graphene.Int()
        parent_id = graphene.ID()

    Output = AgendaItemPayload

    @staticmethod
    def mutate(
        root: object,
        info: Any,
        *,
        session_id: str,
        title: str,
        description: str = "",
        planned_minutes: int = 15,
        parent_id: str | None = None,
    ) -> dict[str, Any]:
        actor = _secretariat_actor(info) if on_public_host(info) else _coordinator_actor(info)
        # A district cannot tell a draft (the secretariat's own) from no session at all.
        session = _visible(info, ForumSession.objects.filter(pk=_int_id(session_id))).first()
        if session is None:
            raise PublicError(NOT_FOUND)
        parent = _get(AgendaItem, parent_id) if parent_id else None
        try:
            item = services.agenda_item_propose(
                actor=actor,
                session=session,
                title=title,
                description=description,
                planned_minutes=planned_minutes,
                parent=parent,
            )
        except ValidationError as error:
            return {"agenda_item": None, "errors": field_errors(error)}
        return {"agenda_item": item, "errors": []}


class AgendaItemDecide(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True)
        status = graphene.Argument(AgendaItemStatus, required=True)
        note = graphene.String()

    Output = AgendaItemPayload

    @staticmethod
    def mutate(root: object, info: Any, id: str, status: str, note: str = "") -> dict[str, Any]:
        actor = _secretariat_actor(info)
        item = _get(AgendaItem, id)
        try:
            item = services.agenda_item_decide(
                actor=actor, item=item, status=_value(status), note=note
            )
        except ValidationError as error:
            return {"agenda_item": item, "errors": field_errors(error)}
        return {"agenda_item": item, "errors": []}


class AgreementPayload(graphene.ObjectType):
    agreement = graphene.Field(AgreementType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class AgreementCreate(graphene.Mutation):
    class Arguments:
        session_id = graphene.ID(required=True)
        text = graphene.String(required=True)
        responsible_districts = graphene.List(graphene.NonNull(graphene.String))
        responsible_partners = graphene.List(graphene.NonNull(graphene.String))
        deadline = graphene.Date()
        indicator = graphene.String()
        target = graphene.Int()
        baseline_from = graphene.Date()
        baseline_to = graphene.Date()

    Output = AgreementPayload

    @staticmethod
    def mutate(
        root: object,
        info: Any,
        *,
        session_id: str,
        text: str,
        responsible_districts: list[str] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        actor = _secretariat_actor(info)
        session = _get(ForumSession, session_id)
        districts = [d for d in (_district(slug) for slug in responsible_districts or []) if d]
        if fields.get("target") is not None and fields["target"] < 0:
            return {
                "agreement": None,
                "errors": [{"field": "target", "messages": ["The target cannot be negative."]}],
            }
        try:
            agreement = services.agreement_create(
                actor=actor,
                session=session,
                text=text,
                responsible_districts=districts,
                indicator=fields.pop("indicator", None) or "",
                **fields,
            )
        except ValidationError as error:
            return {"agreement": None, "errors": field_errors(error)}
        return {"agreement": _with_figures([agreement])[0], "errors": []}


class AgreementProgressPost(graphene.Mutation):
    """A responsible district's coordinator reports progress, from its own workspace."""

    class Arguments:
        agreement_id = graphene.ID(required=True)
        note = graphene.String(required=True)
        status = graphene.Argument(AgreementStatus, required=True)

    Output = AgreementPayload

    @staticmethod
    def mutate(
        root: object, info: Any, agreement_id: str, note: str, status: str
    ) -> dict[str, Any]:
        actor = _coordinator_actor(info)
        # Only the district's own agreements, as on its workspace page: another's answers
        # like an id that does not exist.
        agreement = (
            selectors.agreements(district=actor.district).filter(pk=_int_id(agreement_id)).first()
        )
        if agreement is None:
            raise PublicError(NOT_FOUND)
        status = _value(status)
        if status == Agreement.OVERDUE:
            return {
                "agreement": agreement,
                "errors": [
                    {"field": "status", "messages": ["“Overdue” is computed, not reported."]}
                ],
            }
        try:
            services.agreement_progress_post(
                actor=actor, agreement=agreement, note=note, status=status
            )
        except ValidationError as error:
            return {"agreement": agreement, "errors": field_errors(error)}
        agreement = selectors.agreements_with_related().get(pk=agreement.pk)
        return {"agreement": _with_figures([agreement])[0], "errors": []}


class MinutesPayload(graphene.ObjectType):
    minutes = graphene.Field(MinutesVersionType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class MinutesPublish(graphene.Mutation):
    """A new version of a session's minutes (earlier versions are kept)."""

    class Arguments:
        session_id = graphene.ID(required=True)
        body = graphene.String(required=True)
        change_note = graphene.String()

    Output = MinutesPayload

    @staticmethod
    def mutate(
        root: object, info: Any, session_id: str, body: str, change_note: str = ""
    ) -> dict[str, Any]:
        actor = _secretariat_actor(info)
        session = _get(ForumSession, session_id)
        try:
            minutes = services.minutes_publish(
                actor=actor, session=session, body=body, change_note=change_note
            )
        except ValidationError as error:
            return {"minutes": None, "errors": field_errors(error)}
        return {"minutes": minutes, "errors": []}


class ForumMutations(graphene.ObjectType):
    forum_session_create = ForumSessionCreate.Field()
    forum_session_update = ForumSessionUpdate.Field()
    agenda_item_propose = AgendaItemPropose.Field()
    agenda_item_decide = AgendaItemDecide.Field()
    agreement_create = AgreementCreate.Field()
    agreement_progress_post = AgreementProgressPost.Field()
    minutes_publish = MinutesPublish.Field()
