"""The forum secretariat's pages on the platform's host: sessions and their agenda,
participants, minutes and agreements. Thin: parse a form, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.decorators import request_staff, secretariat_required
from apps.forum import services
from apps.forum.forms import (
    AgendaDecisionForm,
    AgendaItemForm,
    AgendaMoveForm,
    AgreementForm,
    AttendanceForm,
    MinutesForm,
    ParticipantForm,
    SessionForm,
    SessionUpdateForm,
)
from apps.forum.models import AgendaItem, ForumSession
from apps.forum.selectors import (
    agenda_item_get,
    agenda_planned_minutes,
    agenda_tree,
    forum_session_detail,
    forum_sessions,
    session_participant_get,
)
from apps.forum.services import ForumActor
from apps.workspace.pages import service_errors_to_form
from config.portal import portal_page


def _actor(request: HttpRequest) -> ForumActor:
    return ForumActor.secretariat(request_staff(request))


def _session(session_id: int) -> ForumSession:
    session = forum_session_detail(session_id)
    if session is None:
        raise Http404
    return session


def _session_url(session: ForumSession | int, anchor: str = "") -> str:
    url = reverse("forum:session", args=[getattr(session, "pk", session)])
    return f"{url}#{anchor}" if anchor else url


View = Callable[..., HttpResponse]


def post_only(back: Callable[..., str]) -> Callable[[View], View]:
    """For the POST targets of a page: a GET (the browser's back or reload after a refused
    form) is sent to ``back(**url_kwargs)``, the page itself, instead of an empty 405."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return redirect(back(**kwargs))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _approved_refusal(request: HttpRequest, session: ForumSession) -> HttpResponse | None:
    """Approved minutes freeze the session, and its page shows no form to put an error
    next to: the refusal is a message on the page."""
    if session.status != ForumSession.Status.MINUTES_APPROVED:
        return None
    messages.error(request, str(services.MINUTES_APPROVED_MESSAGE))
    return redirect(_session_url(session))


@secretariat_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Sessions by date, and the form that creates one."""
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.forum_session_create(actor=_actor(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The session was created. Now build its agenda."))
            return redirect("forum:session", session_id=session.pk)
    page = Paginator(forum_sessions(), 25).get_page(request.GET.get("page"))
    return portal_page(
        request,
        "public/forum/sessions.html",
        {"page": page, "form": form},
        section="sessions",
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------- session page
class _Row:
    """An object of the session page with the small form acting on it."""

    def __init__(self, obj: Any, form: Form | None, children: list[_Row] | None = None) -> None:
        self.obj = obj
        self.form = form
        self.children = children or []


def _agenda_rows(
    session: ForumSession,
    tree: list[tuple[AgendaItem, list[AgendaItem]]],
    bound: dict[str, Form],
) -> list[_Row]:
    """Each item with its decision form, or None when no decision is open on it."""

    def row(item: Any, children: list[Any]) -> _Row:
        prefix = f"item-{item.pk}"
        form: Form | None = bound.get(prefix)
        if form is None:
            decision = AgendaDecisionForm(prefix=prefix, item=item, session=session)
            form = decision if decision.decisions else None
        return _Row(item, form, [row(child, []) for child in children])

    return [row(item, children) for item, children in tree]


def _participant_rows(session: ForumSession, bound: dict[str, Form]) -> list[_Row]:
    rows = []
    for participant in session.participants.all():
        prefix = f"participant-{participant.pk}"
        choice = "" if participant.attended is None else ("yes" if participant.attended else "no")
        form = bound.get(prefix) or AttendanceForm(prefix=prefix, initial={"attended": choice})
        rows.append(_Row(participant, form))
    return rows


def _detail_page(
    request: HttpRequest, session: ForumSession, bound: dict[str, Form] | None = None
) -> HttpResponse:
    """The agenda builder; ``bound`` holds a refused form (by prefix) to show with its errors."""
    bound = bound or {}
    tree = agenda_tree(session)
    context = {
        "session": session,
        # Approved minutes: the page is a record, with no form on it.
        "frozen": session.status == ForumSession.Status.MINUTES_APPROVED,
        "agenda": _agenda_rows(session, tree, bound),
        "planned_minutes": agenda_planned_minutes(tree),
        "participants": _participant_rows(session, bound),
        "minutes_versions": list(session.minutes.all()),
        "agreements": list(session.agreements.all()),
        "update_form": bound.get("update")
        or SessionUpdateForm.for_session(session, prefix="update"),
        "agenda_form": bound.get("agenda") or AgendaItemForm(session=session, prefix="agenda"),
        "participant_form": bound.get("participant") or ParticipantForm(prefix="participant"),
        "minutes_form": bound.get("publish") or MinutesForm(prefix="publish"),
        "agreement_form": bound.get("agreement") or AgreementForm(prefix="agreement"),
    }
    return portal_page(
        request,
        "public/forum/session_detail.html",
        context,
        section="sessions",
        status=400 if bound else 200,
    )


@secretariat_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    return _detail_page(request, _session(session_id))


SESSION_ACTIONS: dict[str, tuple[Promise, str]] = {
    # action: (success message, anchor of the page section)
    "update": (gettext_lazy("The session was updated."), "details"),
    "agenda": (gettext_lazy("The item was added to the agenda."), "agenda"),
    "participant": (gettext_lazy("The participant was added."), "participants"),
    "publish": (gettext_lazy("A new version of the minutes was published."), "minutes"),
    "agreement": (gettext_lazy("The agreement was recorded."), "agreements"),
}


def _session_form(action: str, request: HttpRequest, session: ForumSession) -> Form:
    data = request.POST
    if action == "update":
        return SessionUpdateForm(data, prefix=action)
    if action == "agenda":
        return AgendaItemForm(data, session=session, prefix=action)
    forms: dict[str, type[Form]] = {
        "participant": ParticipantForm,
        "publish": MinutesForm,
        "agreement": AgreementForm,
    }
    return forms[action](data, prefix=action)


def _session_service(
    action: str, actor: ForumActor, session: ForumSession, data: dict[str, Any]
) -> None:
    if action == "update":
        services.forum_session_update(actor=actor, session=session, **data)
    elif action == "agenda":
        services.agenda_item_propose(actor=actor, session=session, **data)
    elif action == "participant":
        services.session_participant_add(actor=actor, session=session, **data)
    elif action == "publish":
        services.minutes_publish(actor=actor, session=session, **data)
    else:
        services.agreement_create(actor=actor, session=session, **data)


def _back_to_section(session_id: int, action: str) -> str:
    if action not in SESSION_ACTIONS:
        raise Http404
    return _session_url(session_id, SESSION_ACTIONS[action][1])


@secretariat_required
@post_only(_back_to_section)
def session_action(request: HttpRequest, session_id: int, action: str) -> HttpResponse:
    """POST targets of the session page, one per form on it."""
    if action not in SESSION_ACTIONS:
        raise Http404
    session = _session(session_id)
    if refused := _approved_refusal(request, session):
        return refused
    form = _session_form(action, request, session)
    if form.is_valid():
        try:
            _session_service(action, _actor(request), session, form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            message, anchor = SESSION_ACTIONS[action]
            messages.success(request, str(message))
            return redirect(_session_url(session, anchor))
    return _detail_page(request, session, {action: form})


def _back_to_item(session_id: int, item_id: int, action: str) -> str:
    return _session_url(session_id, f"item-{item_id}")


@secretariat_required
@post_only(_back_to_item)
def agenda_item_action(
    request: HttpRequest, session_id: int, item_id: int, action: str
) -> HttpResponse:
    """Decide on an agenda item (accept, defer, discussed) or move it up or down."""
    item = agenda_item_get(session_id=session_id, item_id=item_id)
    if item is None or action not in {"decide", "move"}:
        raise Http404
    session = _session(session_id)
    if refused := _approved_refusal(request, session):
        return refused
    actor = _actor(request)
    prefix = f"item-{item.pk}"
    if action == "move":
        move = AgendaMoveForm(request.POST)
        if move.is_valid():
            services.agenda_item_move(actor=actor, item=item, offset=move.offset)
            messages.success(request, _("The agenda order was changed."))
        return redirect(_session_url(session, prefix))
    form = AgendaDecisionForm(request.POST, prefix=prefix, item=item, session=session)
    if form.stale:
        # Someone else decided first: say so on the page rather than decide over them.
        messages.error(
            request, str(services.AGENDA_STALE_MESSAGE % {"current": item.get_status_display()})
        )
        return redirect(_session_url(session, prefix))
    if form.is_valid():
        try:
            services.agenda_item_decide(
                actor=actor,
                item=item,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_status=form.cleaned_data["current"] or None,
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The decision on the item was recorded."))
            return redirect(_session_url(session, prefix))
    if not form.decisions:
        # No decision is open on the item any more, so the page shows no form for it.
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
        return redirect(_session_url(session, prefix))
    return _detail_page(request, session, {prefix: form})


def _back_to_participants(session_id: int, participant_id: int) -> str:
    return _session_url(session_id, "participants")


@secretariat_required
@post_only(_back_to_participants)
def participant_attendance(
    request: HttpRequest, session_id: int, participant_id: int
) -> HttpResponse:
    participant = session_participant_get(session_id=session_id, participant_id=participant_id)
    if participant is None:
        raise Http404
    session = _session(session_id)
    if refused := _approved_refusal(request, session):
        return refused
    prefix = f"participant-{participant.pk}"
    form = AttendanceForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            services.session_participant_attendance_set(
                actor=_actor(request), participant=participant, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("The attendance was recorded."))
            return redirect(_session_url(session, "participants"))
    return _detail_page(request, session, {prefix: form})


@secretariat_required
def minutes(request: HttpRequest, session_id: int, version: int | None = None) -> HttpResponse:
    """One version of the minutes (the latest by default), laid out to be printed."""
    session = _session(session_id)
    versions = list(session.minutes.all())
    shown = next((m for m in versions if version is None or m.version == version), None)
    if shown is None:
        raise Http404
    return portal_page(
        request,
        "public/forum/minutes.html",
        {
            "session": session,
            "shown": shown,
            "versions": versions,
            "agenda": agenda_tree(session),
        },
        section="sessions",
    )
