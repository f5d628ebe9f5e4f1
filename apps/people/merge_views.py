"""The coordinator merges two records of the same person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.people.selectors import PersonFilters, person_get, person_list, person_possible_duplicates
from apps.people.services import person_merge
from apps.workspace.pages import workspace_page


@staff_permission_required("people.merge_person")
def person_merge_view(request: HttpRequest, public_id: str) -> HttpResponse:
    keep = person_get(public_id=public_id)
    if keep is None:
        raise Http404
    if request.method == "POST":
        duplicate = person_get(public_id=request.POST.get("duplicate", ""))
        if duplicate is None:
            messages.error(request, _("Choose the record to merge into this one."))
        else:
            try:
                person_merge(actor=request_staff(request), keep=keep, duplicate=duplicate)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The two records were merged into this one."))
                return redirect("people:detail", public_id=keep.public_id)
    query = request.GET.get("q", "").strip()
    candidates = (
        list(person_list(filters=PersonFilters(query=query))[:10])
        if query
        else (
            person_possible_duplicates(
                given_names=keep.given_names,
                family_names=keep.family_names,
                birth_date=keep.birth_date,
            )
            if keep.birth_date
            else []
        )
    )
    candidates = [c for c in candidates if c.pk != keep.pk]
    return workspace_page(
        request,
        "tenant/people/merge.html",
        {
            "person": keep,
            "candidates": candidates,
            "query": query,
        },
        section="people",
    )
