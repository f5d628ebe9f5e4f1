"""The coordinator's team page in a district: accounts, roles, invitations."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.accounts.roles import ROLE_LABELS, DistrictRole
from apps.accounts.services import base_url_for_host, user_active_set, user_invite, user_role_set
from apps.workspace.confirm import action_confirmed, confirm_page
from apps.workspace.pages import workspace_page

ROLE_CHOICES = [(str(role), ROLE_LABELS[role]) for role in DistrictRole]

# What the coordinator is told after each action on an account (plain, naming the account).
_TEAM_DONE = {
    "role": gettext_lazy("The role of %(email)s was changed."),
    "deactivate": gettext_lazy("%(email)s was deactivated and can no longer log in."),
    "reactivate": gettext_lazy("%(email)s was reactivated and can log in again."),
}


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    first_name = forms.CharField(label=gettext_lazy("Given names"), required=False, max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Family names"), required=False, max_length=150)
    # Most invitations are for caseworkers; a coordinator (full rights, two-factor) is a
    # deliberate choice, never the default of a hurried invitation.
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=ROLE_CHOICES, initial=str(DistrictRole.CASEWORKER)
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ROLE_CHOICES)


def _team(request: HttpRequest, form: InviteForm, status: int = 200) -> HttpResponse:
    members = get_user_model().objects.prefetch_related("groups").order_by("-is_active", "username")
    return workspace_page(
        request,
        "tenant/team.html",
        {
            "members": members,
            "form": form,
            "role_choices": ROLE_CHOICES,
            "role_labels": dict(ROLE_CHOICES),
        },
        section="team",
        status=status,
    )


@staff_permission_required("auth.view_user")
def team(request: HttpRequest) -> HttpResponse:
    return _team(request, InviteForm())


@staff_permission_required("auth.add_user")
def team_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = user_invite(
                email=form.cleaned_data["email"],
                role=DistrictRole(form.cleaned_data["role"]),
                base_url=base_url_for_host(request.get_host().split(":")[0]),
                workspace_name=request.tenant.name,  # type: ignore[attr-defined]
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("team")
    return _team(request, form, status=400 if form.errors else 200)


@staff_permission_required("auth.change_user")
def team_member(request: HttpRequest, user_id: int, action: str) -> HttpResponse:
    member = get_user_model().objects.filter(pk=user_id).first()
    if member is None or action not in {"role", "deactivate", "reactivate"}:
        raise Http404
    if action == "deactivate" and not action_confirmed(request):
        # GET, or a POST that skipped the confirmation page: show what will happen.
        return confirm_page(
            request,
            section="team",
            title=_("Deactivate the account %(email)s?") % {"email": member.username},
            consequences=[
                _(
                    "They are logged out at once and can no longer log in. Their records and "
                    "the history of what they did stay; you can reactivate the account later."
                )
            ],
            confirm_label=_("Deactivate the account"),
            cancel_url=reverse("team"),
        )
    if request.method != "POST":
        return redirect("team")
    actor = request_staff(request)
    try:
        if action == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a role."))
            user_role_set(actor=actor, user=member, role=DistrictRole(form.cleaned_data["role"]))
        else:
            user_active_set(actor=actor, user=member, active=action == "reactivate")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _TEAM_DONE[action] % {"email": member.username})
    return redirect("team")
