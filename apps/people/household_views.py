"""A person's household: create it, add and remove members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.people.models import Person
from apps.people.selectors import PersonFilters, person_list
from apps.people.services import household_create, household_member_add, household_member_remove
from apps.people.views import person_or_404
from apps.workspace.confirm import action_confirmed, confirm_page
from apps.workspace.pages import workspace_page


def _remove_confirmation(request: HttpRequest, person: Person, member: Person) -> HttpResponse:
    return confirm_page(
        request,
        section="people",
        title=_("Take %(name)s out of this household?") % {"name": member.full_name},
        consequences=[
            _(
                "They stay in the registry with all their records; only the link to the "
                "household is removed. You can add them again later."
            )
        ],
        confirm_label=_("Take them out of the household"),
        cancel_url=reverse("people:household", args=[person.public_id]),
        hidden={"action": "remove", "member": str(member.public_id)},
    )


@staff_permission_required("people.change_person")
def household(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    actor = request_staff(request)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                household_create(actor=actor, head=person)
            elif action == "add" and person.household is not None:
                member = person_or_404(request.POST.get("member", ""))
                household_member_add(
                    actor=actor,
                    household=person.household,
                    person=member,
                    relationship=request.POST.get("relationship", ""),
                )
            elif action == "remove" and person.household is not None:
                member = person_or_404(request.POST.get("member", ""))
                if member.household_id != person.household_id:
                    raise Http404
                if not action_confirmed(request):
                    return _remove_confirmation(request, person, member)
                household_member_remove(actor=actor, person=member)
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The household of %(name)s was updated.") % {"name": person.full_name},
            )
        return redirect("people:household", public_id=person.public_id)
    query = request.GET.get("q", "").strip()
    members = list(person.household.members.order_by("pk")) if person.household else []
    candidates = (
        [c for c in person_list(filters=PersonFilters(query=query))[:10] if c.household_id is None]
        if query and person.household
        else []
    )
    return workspace_page(
        request,
        "tenant/people/household.html",
        {
            "person": person,
            "members": members,
            "candidates": candidates,
            "query": query,
            "relationships": Person.Relationship.choices,
        },
        section="people",
    )
