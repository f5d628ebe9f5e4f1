"""The forum seen from a district's workspace: its calendar, past sessions (read only),
the district's own proposals and its agreements for every staff member; agenda proposals
and progress updates for coordinators only. Draft sessions never show here.

The forum's tables live in the public schema, which every district request can read; the
district acting is always ``request.tenant``, never a value taken from the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.accounts.decorators import coordinator_required, request_staff
from apps.accounts.roles import DistrictRole
from apps.forum import services
from apps.forum.forms import ProgressForm, ProposalForm
from apps.forum.models import Agreement, ForumSession
from apps.forum.selectors import (
    agenda_tree,
    agreements,
    district_proposals,
    forum_calendar,
    forum_past_sessions,
    forum_session_for_districts,
)
from apps.forum.services import ForumActor
from apps.forum.views_agreements import agreement_rows
from apps.workspace.pages import service_errors_to_form, workspace_page
from tenants.models import District


def _district(request: HttpRequest) -> District:
    district = getattr(request, "tenant", None)
    if not isinstance(district, District) or district.pk is None:
        raise PermissionDenied
    return district


def _actor(request: HttpRequest) -> ForumActor:
    return ForumActor.for_district(_district(request), request_staff(request).pk)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return workspace_page(request, template, context, section="forum", status=status)


@login_required
def forum_home(request: HttpRequest) -> HttpResponse:
    """The forum calendar, the district's proposals and the agreements it is responsible
    for, and the sessions already held."""
    district = _district(request)
    is_coordinator = request_staff(request).groups.filter(name=DistrictRole.COORDINATOR).exists()
    return _page(
        request,
        "tenant/forum/home.html",
        {
            "calendar": forum_calendar(),
            "proposals": district_proposals(district=district),
            "past_sessions": forum_past_sessions(),
            "rows": agreement_rows(list(agreements(district=district)), with_forms=False),
            "is_coordinator": is_coordinator,
        },
    )


@login_required
def session_view(request: HttpRequest, session_id: int) -> HttpResponse:
    """A convened or past session, read only: its agenda, agreements and latest minutes."""
    _district(request)
    session = forum_session_for_districts(session_id)
    if session is None:
        raise Http404
    agreements_of_session = list(session.agreements.all())
    return _page(
        request,
        "tenant/forum/session.html",
        {
            "session": session,
            "agenda": agenda_tree(session),
            "rows": agreement_rows(agreements_of_session, with_forms=False),
            "minutes": next(iter(session.minutes.all()), None),
        },
    )


def _open_sessions() -> QuerySet[ForumSession]:
    # The calendar leaves drafts out: a district proposes to the sessions it can see.
    return forum_calendar().filter(status=ForumSession.Status.CONVENED)


@coordinator_required
def agenda_propose(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(
        request.POST or None,
        sessions=_open_sessions(),
        initial={"session": request.GET.get("session")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_propose(actor=_actor(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request, _("Your proposal was sent. The secretariat will decide on it.")
            )
            return redirect("forum:home")
    return _page(request, "tenant/forum/propose.html", {"form": form}, 400 if form.errors else 200)


def _own_agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    """An agreement this district is responsible for; any other is not found (404)."""
    found = agreements(district=_district(request)).filter(pk=agreement_id).first()
    if found is None:
        raise Http404
    return found


@coordinator_required
def agreement_progress(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = _own_agreement(request, agreement_id)
    form = ProgressForm(request.POST or None, initial={"status": agreement.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_progress_post(
                actor=_actor(request), agreement=agreement, **form.cleaned_data
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Your progress update was posted."))
            return redirect("forum:home")
    return _page(
        request,
        "tenant/forum/progress.html",
        {"agreement": agreement, "form": form},
        400 if form.errors else 200,
    )
