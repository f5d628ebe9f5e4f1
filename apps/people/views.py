"""Pages of the registry. Each view parses input, checks the permission, calls one
service or selector and renders; every view of a person's record is logged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm, ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.casework.selectors import person_casework
from apps.people.forms import (
    ConsentForm,
    DocumentForm,
    PersonFilterForm,
    PersonForm,
    RegistrationForm,
    SituationForm,
)
from apps.people.models import Consent, MigratoryStatus, Person
from apps.people.selectors import person_get, person_list, person_possible_duplicates
from apps.people.services import (
    consent_record,
    consent_withdraw,
    document_add,
    people_export,
    person_register,
    person_update,
    situation_record,
)
from apps.workspace.confirm import action_confirmed, confirm_page
from apps.workspace.pages import service_errors_to_form, workspace_page
from apps.workspace.versioning import (
    RecordChangedError,
    carry_version,
    edit_conflict,
    loaded_version,
)
from config.downloads import download_token_echo

PAGE_SIZE = 25

# What staff are told after each small form of the record page (shown to them only).
_DETAIL_FORM_DONE = {
    "document_form": gettext_lazy("The document was added to the record of %(name)s."),
    "situation_form": gettext_lazy("The new migratory situation of %(name)s was recorded."),
    "consent_form": gettext_lazy("The consent of %(name)s was recorded."),
}


def _page(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    return workspace_page(request, template, context, section="people", status=status)


def person_or_404(public_id: str) -> Person:
    person = person_get(public_id=public_id)
    if person is None:
        raise Http404
    return person


@staff_permission_required("people.view_person")
def people_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    people = person_list(filters=form.filters())
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request, "tenant/people/list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@staff_permission_required("people.view_person", "people.export_person")
def people_export_view(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    filters = form.filters()
    if form.is_bound and form.errors:
        messages.error(request, _("Correct the filters before downloading the list."))
        return redirect(f"{reverse('people:list')}?{request.GET.urlencode()}")
    try:
        filename, content_type, content = people_export(
            actor=request_staff(request),
            people=person_list(filters=filters),
            file_format=request.GET.get("format", "xlsx"),
            # The search text may be a name or a document number: log only that there was one.
            filters={
                key: ("…" if key == "query" else str(value))
                for key, value in vars(filters).items()
                if value
            },
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('people:list')}?{request.GET.urlencode()}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return download_token_echo(request, response)


@staff_permission_required("people.add_person")
def person_new(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    duplicates: list[Person] = []
    if request.method == "POST" and form.is_valid():
        try:
            person = person_register(
                actor=request_staff(request),
                person=form.person_input(),
                document=form.document_input(),
                situation=MigratoryStatus(form.cleaned_data["situation"])
                if form.cleaned_data["situation"]
                else None,
                situation_since=form.cleaned_data.get("situation_since"),
                consents=form.consent_inputs(),
                confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
            if getattr(error, "code", None) == "possible_duplicate":
                duplicates = person_possible_duplicates(
                    given_names=form.cleaned_data["given_names"],
                    family_names=form.cleaned_data["family_names"],
                    birth_date=form.cleaned_data["birth_date"],
                )
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": person.full_name})
            return redirect("people:detail", public_id=person.public_id)
    status = 400 if form.errors else 200
    return _page(
        request, "tenant/people/register.html", {"form": form, "duplicates": duplicates}, status
    )


@staff_permission_required("people.view_person")
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    access_record(
        user=request.user,
        action=AccessLogEntry.Action.VIEW,
        object_type="person",
        object_id=str(person.public_id),
    )
    can_change = request.user.has_perm("people.change_person")
    casework = person_casework(person) if request.user.has_perm("casework.view_attention") else {}
    return _page(
        request,
        "tenant/people/detail.html",
        {
            **casework,
            "person": person,
            "can_change": can_change,
            "document_form": DocumentForm(prefix="doc"),
            "situation_form": SituationForm(prefix="sit"),
            "consent_form": ConsentForm(prefix="con"),
        },
    )


@staff_permission_required("people.view_person")
def person_print(request: HttpRequest, public_id: str) -> HttpResponse:
    """A printable summary of the person's record. Printing copies personal data onto
    paper, out of the system's reach, so it is logged like an export ("print")."""
    person = person_or_404(public_id)
    access_record(
        user=request.user,
        action=AccessLogEntry.Action.EXPORT,
        object_type="person",
        object_id=str(person.public_id),
        detail={"format": "print"},
    )
    casework = person_casework(person) if request.user.has_perm("casework.view_attention") else {}
    return _page(
        request,
        "tenant/people/print.html",
        {**casework, "person": person, "printed_at": timezone.now()},
    )


def _person_edit_form(data: QueryDict | None, person: Person) -> PersonForm:
    """The edit form, with the version it is loaded with and, when the person has open
    rectification requests, the choice of the one this edit answers."""
    form = PersonForm(data, instance=person)
    carry_version(form, person)
    open_rectifications = person.data_requests.filter(kind="rectification", status="received")
    if open_rectifications.exists():
        form.fields["rectification"] = ModelChoiceField(
            label=_("Answers the rectification request"),
            queryset=open_rectifications,
            required=False,
        )
    return form


@staff_permission_required("people.change_person")
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    person = person_or_404(public_id)
    form = _person_edit_form(request.POST or None, person)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            person_update(
                actor=request_staff(request),
                person=person,
                values=form.person_input(),
                rectification=form.cleaned_data.get("rectification"),
                expected_version=loaded_version(form),
            )
        except RecordChangedError as changed:
            # The form was bound to ``person``: read the record again for its current values.
            person = person_or_404(public_id)
            form, conflict = edit_conflict(form, _person_edit_form(None, person), changed)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(
                request, _("The changes to %(name)s were saved.") % {"name": person.full_name}
            )
            return redirect("people:detail", public_id=person.public_id)
    status = 409 if conflict is not None else 400 if form.errors else 200
    return _page(
        request,
        "tenant/people/edit.html",
        {"form": form, "person": person, "edit_conflict": conflict},
        status,
    )


def _detail_form_post(
    request: HttpRequest,
    public_id: str,
    form: BaseForm,
    form_name: str,
    save: Callable[[Any, Person, User], object],
) -> HttpResponse:
    """Handle one of the small forms of the record page; on error show the page again
    with that form open and its messages next to its fields."""
    person = person_or_404(public_id)
    if request.method != "POST":
        return redirect("people:detail", public_id=person.public_id)
    if form.is_valid():
        try:
            save(form, person, request_staff(request))
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _DETAIL_FORM_DONE[form_name] % {"name": person.full_name})
            return redirect("people:detail", public_id=person.public_id)
    context = {
        "person": person,
        "can_change": True,
        "document_form": DocumentForm(prefix="doc"),
        "situation_form": SituationForm(prefix="sit"),
        "consent_form": ConsentForm(prefix="con"),
        form_name: form,
    }
    return _page(request, "tenant/people/detail.html", context, status=400)


@staff_permission_required("people.add_identitydocument")
def person_document_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail_form_post(
        request,
        public_id,
        DocumentForm(request.POST or None, prefix="doc"),
        "document_form",
        lambda form, person, actor: document_add(
            actor=actor, person=person, document=form.document_input()
        ),
    )


@staff_permission_required("people.add_migratorysituation")
def person_situation_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail_form_post(
        request,
        public_id,
        SituationForm(request.POST or None, prefix="sit"),
        "situation_form",
        lambda form, person, actor: situation_record(
            actor=actor, person=person, **form.cleaned_data
        ),
    )


@staff_permission_required("people.add_consent")
def person_consent_add(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail_form_post(
        request,
        public_id,
        ConsentForm(request.POST or None, prefix="con"),
        "consent_form",
        lambda form, person, actor: consent_record(
            actor=actor, person=person, consent=form.consent_input()
        ),
    )


@staff_permission_required("people.change_consent")
def person_consent_withdraw(request: HttpRequest, public_id: str, consent_id: int) -> HttpResponse:
    person = person_or_404(public_id)
    consent = Consent.objects.filter(person=person, pk=consent_id).first()
    if consent is None:
        raise Http404
    if consent.withdrawn_on is None and not action_confirmed(request):
        return confirm_page(
            request,
            section="people",
            title=_("Withdraw the consent of %(name)s for “%(purpose)s”?")
            % {"name": person.full_name, "purpose": consent.get_purpose_display()},
            consequences=[
                _(
                    "From today the office may no longer use the person's data for this "
                    "purpose. The consent stays in the record as withdrawn; a new consent "
                    "must be recorded if the person gives it again."
                )
            ],
            confirm_label=_("Withdraw the consent"),
            cancel_url=reverse("people:detail", args=[person.public_id]),
        )
    if request.method == "POST":
        try:
            consent_withdraw(actor=request_staff(request), consent=consent)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The consent of %(name)s for “%(purpose)s” was withdrawn.")
                % {"name": person.full_name, "purpose": consent.get_purpose_display()},
            )
    return redirect("people:detail", public_id=person.public_id)
