"""Pages for the data subject's rights (coordinators)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.people.models import DataSubjectRequest
from apps.people.rights import (
    data_request_answer,
    data_request_record,
    person_anonymise,
    person_data,
    person_opposition_record,
    person_opposition_withdraw,
)
from apps.people.views import person_or_404
from apps.workspace.pages import workspace_page

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Right exercised"), choices=DataSubjectRequest.Kind.choices
    )
    received_on = forms.DateField(
        label=gettext_lazy("Received on"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DataRequestAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Answer"),
        choices=[
            (s.value, s.label)
            for s in DataSubjectRequest.Status
            if s != DataSubjectRequest.Status.RECEIVED
        ],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False)


class AnonymiseForm(forms.Form):
    confirm_name = forms.CharField(label=gettext_lazy("Type the person's full name to confirm"))


@staff_permission_required("people.add_datasubjectrequest")
def data_request_new(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data_request_record(actor=request_staff(request), person=person, **form.cleaned_data)
        messages.success(request, _("The request was recorded with its legal deadline."))
        return redirect("people:detail", public_id=person.public_id)
    return workspace_page(
        request,
        "tenant/people/rights_form.html",
        {
            "person": person,
            "form": form,
            "title": _("Record a data subject request"),
        },
        section="people",
        status=400 if form.errors else 200,
    )


@staff_permission_required("people.change_datasubjectrequest")
def data_request_answer_view(request: HttpRequest, public_id: str, request_id: int) -> HttpResponse:
    person = person_or_404(public_id)
    data_request = DataSubjectRequest.objects.filter(person=person, pk=request_id).first()
    if data_request is None:
        raise Http404
    form = DataRequestAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data_request_answer(
                actor=request_staff(request), request=data_request, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            data_request.refresh_from_db(fields=["status"])
            messages.success(
                request,
                _("The %(kind)s request of %(name)s was closed: %(status)s.")
                % {
                    "kind": data_request.get_kind_display().lower(),
                    "name": person.full_name,
                    "status": data_request.get_status_display().lower(),
                },
            )
    return redirect("people:detail", public_id=person.public_id)


@staff_permission_required("people.view_datasubjectrequest")
def person_data_json(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    data = person_data(actor=request_staff(request), person=person)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="datos-{person.public_id}.json"'
    return response


_SECTION_TITLES = {
    "person": gettext_lazy("Person"),
    "documents": gettext_lazy("Identity documents"),
    "migratory_situations": gettext_lazy("Migratory situation history"),
    "consents": gettext_lazy("Consents"),
    "attentions": gettext_lazy("Attentions"),
    "cases": gettext_lazy("Cases"),
    "referrals": gettext_lazy("Referrals"),
    "complaints": gettext_lazy("Discrimination complaints"),
    "economic_inclusion": gettext_lazy("Economic inclusion"),
    "volunteer": gettext_lazy("Volunteering"),
}
_FIELD_LABELS = {
    "id": gettext_lazy("Record number"),
    "given_names": gettext_lazy("Given names"),
    "family_names": gettext_lazy("Family names"),
    "sex": gettext_lazy("Sex"),
    "gender_identity": gettext_lazy("Gender identity"),
    "birth_date": gettext_lazy("Birth date"),
    "estimated_age": gettext_lazy("Estimated age"),
    "nationality": gettext_lazy("Nationality"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail"),
    "address": gettext_lazy("Address"),
    "population_group": gettext_lazy("Population group"),
    "migratory_situation": gettext_lazy("Migratory situation"),
    "has_disability": gettext_lazy("Disability"),
    "is_lgbtiq": gettext_lazy("LGBTIQ+"),
    "is_indigenous": gettext_lazy("Indigenous"),
    "registered_on": gettext_lazy("Registered"),
    "type": gettext_lazy("Type"),
    "number": gettext_lazy("Number"),
    "issued_by": gettext_lazy("Issued by"),
    "issued_on": gettext_lazy("Issue date"),
    "expires_on": gettext_lazy("Expiry date"),
    "verified": gettext_lazy("Verified"),
    "status": gettext_lazy("Status"),
    "since": gettext_lazy("Since"),
    "purpose": gettext_lazy("Purpose"),
    "given_on": gettext_lazy("Given on"),
    "form_version": gettext_lazy("Form version"),
    "method": gettext_lazy("How it was given"),
    "withdrawn_on": gettext_lazy("Withdrawn on"),
    "date": gettext_lazy("Date"),
    "channel": gettext_lazy("Channel"),
    "notes": gettext_lazy("Notes"),
    "services": gettext_lazy("Services"),
    "opened_on": gettext_lazy("Opened on"),
    "plan": gettext_lazy("Support plan"),
    "partner": gettext_lazy("Referred to"),
    "reason": gettext_lazy("Reason"),
    "sent_on": gettext_lazy("Sent"),
}


def _readable(value: object) -> str:
    if value is None or value in ("", []):
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return "; ".join(_readable(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{_FIELD_LABELS.get(k, k)}: {_readable(v)}" for k, v in value.items())
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:]}/{value[5:7]}/{value[:4]}"  # ISO date -> dd/mm/aaaa
    return str(value)


def _readable_sections(data: dict[str, object]) -> list[tuple[str, list[list[tuple[str, str]]]]]:
    sections = []
    for key, content in data.items():
        if content is None:  # another app holds nothing about the person
            continue
        rows = [content] if isinstance(content, dict) else list(content)  # type: ignore[call-overload]
        sections.append(
            (
                str(_SECTION_TITLES.get(key, key)),
                [
                    [(str(_FIELD_LABELS.get(k, k)), _readable(v)) for k, v in row.items()]
                    for row in rows
                ],
            )
        )
    return sections


@staff_permission_required("people.view_datasubjectrequest")
def person_data_summary(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    data = person_data(actor=request_staff(request), person=person)
    return workspace_page(
        request,
        "tenant/people/data_summary.html",
        {
            "person": person,
            "data_sections": _readable_sections(data),
            "today": timezone.localdate(),
        },
        section="people",
    )


@staff_permission_required("people.change_datasubjectrequest")
def person_opposition(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        try:
            person_opposition_withdraw(actor=request_staff(request), person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "The opposition of %(name)s was withdrawn: the record appears in exports "
                    "and referrals again."
                )
                % {"name": person.full_name},
            )
    elif request.method == "POST":
        person_opposition_record(actor=request_staff(request), person=person)
        messages.success(
            request, _("Opposition recorded: the person is left out of exports and referrals.")
        )
    return redirect("people:detail", public_id=person.public_id)


@staff_permission_required("people.change_datasubjectrequest")
def person_anonymise_view(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if " ".join(form.cleaned_data["confirm_name"].split()) != person.full_name:
            form.add_error("confirm_name", _("The name does not match; nothing was changed."))
        else:
            try:
                person_anonymise(actor=request_staff(request), person=person)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The person's identifying data was removed."))
                return redirect("people:detail", public_id=person.public_id)
    return workspace_page(
        request,
        "tenant/people/anonymise.html",
        {
            "person": person,
            "form": form,
        },
        section="people",
        status=400 if form.errors else 200,
    )
