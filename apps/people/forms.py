from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from apps.catalogue.models import DocumentType, ServiceType
from apps.people.models import (
    ConsentMethod,
    ConsentPurpose,
    MigratoryStatus,
    Person,
    PopulationGroup,
)
from apps.people.selectors import PersonFilters
from apps.people.services import ConsentInput, DocumentInput, PersonInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNKNOWN_YES_NO = [("", _("Not recorded")), ("true", _("Yes")), ("false", _("No"))]


class SensitiveChoiceField(forms.NullBooleanField):
    widget = forms.Select(choices=UNKNOWN_YES_NO)


class PersonForm(forms.ModelForm):
    """The person's own details (create and edit)."""

    has_disability = SensitiveChoiceField(label=_("Disability"), required=False)
    is_lgbtiq = SensitiveChoiceField(label=_("LGBTIQ+"), required=False)
    is_indigenous = SensitiveChoiceField(label=_("Indigenous"), required=False)

    class Meta:
        model = Person
        fields = [
            "given_names",
            "family_names",
            "sex",
            "birth_date",
            "estimated_age",
            "nationality",
            "population_group",
            "phone",
            "email",
            "address",
            "gender_identity",
            "has_disability",
            "is_lgbtiq",
            "is_indigenous",
        ]
        widgets = {"birth_date": DATE_WIDGET}
        help_texts = {
            "estimated_age": _("Only when the birth date is unknown."),
            "gender_identity": _("Sensitive: only with the sensitive-data consent."),
        }

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            given_names=data["given_names"],
            family_names=data["family_names"],
            sex=data["sex"],
            nationality=str(data["nationality"]),
            population_group=data["population_group"],
            birth_date=data.get("birth_date"),
            estimated_age=data.get("estimated_age"),
            gender_identity=data.get("gender_identity", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            address=data.get("address", ""),
            has_disability=data.get("has_disability"),
            is_lgbtiq=data.get("is_lgbtiq"),
            is_indigenous=data.get("is_indigenous"),
        )

    def _post_clean(self) -> None:
        # The service validates the model (with the consent rules); the form checks fields only.
        pass


class DocumentForm(forms.Form):
    document_type = forms.ModelChoiceField(
        label=_("Identity document"), queryset=DocumentType.objects.filter(is_active=True)
    )
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    document_issuing_body = forms.CharField(label=_("Issued by"), max_length=120, required=False)
    document_expires_on = forms.DateField(
        label=_("Expiry date"), required=False, widget=DATE_WIDGET
    )
    document_verified = forms.BooleanField(label=_("Seen and verified"), required=False)

    def document_input(self) -> DocumentInput:
        data = self.cleaned_data
        return DocumentInput(
            document_type=data["document_type"],
            number=data.get("document_number", ""),
            issuing_body=data.get("document_issuing_body", ""),
            expires_on=data.get("document_expires_on"),
            is_verified=data.get("document_verified", False),
        )


class RegistrationForm(PersonForm, DocumentForm):
    """A new person: details, first document, migratory situation and consents."""

    situation = forms.ChoiceField(
        label=_("Migratory situation"),
        choices=[("", "—"), *MigratoryStatus.choices],
        required=False,
    )
    situation_since = forms.DateField(label=_("Since"), required=False, widget=DATE_WIDGET)
    consents = forms.MultipleChoiceField(
        label=_("Consents given"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_form_version = forms.CharField(
        label=_("Consent form version"), max_length=20, required=False, initial="2025-1"
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"), choices=ConsentMethod.choices, required=False
    )
    confirm_not_duplicate = forms.BooleanField(label=_("It is a different person"), required=False)

    class Meta(PersonForm.Meta):
        pass

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consents") and not data.get("consent_form_version"):
            self.add_error("consent_form_version", _("Enter the version of the signed form."))
        return data

    def consent_inputs(self) -> list[ConsentInput]:
        data = self.cleaned_data
        return [
            ConsentInput(
                purpose=ConsentPurpose(purpose),
                given_on=timezone.localdate(),
                form_version=data["consent_form_version"],
                method=ConsentMethod(data.get("consent_method") or ConsentMethod.SIGNED),
            )
            for purpose in data.get("consents", [])
        ]


def _nationality_choices() -> list[tuple[str, str]]:
    """Countries in the active language, evaluated per request."""
    return [("", str(_("All"))), *((code, str(name)) for code, name in countries)]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, document or phone"), required=False)
    nationality = forms.ChoiceField(
        label=_("Nationality"), choices=_nationality_choices, required=False
    )
    situation = forms.ChoiceField(
        label=_("Migratory situation"),
        choices=[("", _("All")), *MigratoryStatus.choices],
        required=False,
    )
    population_group = forms.ChoiceField(
        label=_("Population group"),
        choices=[("", _("All")), *PopulationGroup.choices],
        required=False,
    )
    service_type = forms.ChoiceField(label=_("Service received"), required=False, choices=())
    caseworker = forms.ChoiceField(label=_("Attended or followed by"), required=False, choices=())
    registered_from = forms.DateField(
        label=_("Registered from"), required=False, widget=DATE_WIDGET
    )
    registered_to = forms.DateField(label=_("to"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["service_type"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            *((s.code, s.name) for s in ServiceType.objects.filter(is_active=True)),
        ]
        staff = get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
        self.fields["caseworker"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            *((str(u.pk), u.username) for u in staff.order_by("username")),
        ]

    def filters(self) -> PersonFilters:
        """The filters that are valid; a field with an error is left out (its message shows)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return PersonFilters(
            service_type=data.get("service_type", ""),
            caseworker=int(data["caseworker"]) if data.get("caseworker") else None,
            query=data.get("q", ""),
            nationality=data.get("nationality", ""),
            situation=data.get("situation", ""),
            population_group=data.get("population_group", ""),
            registered_from=data.get("registered_from"),
            registered_to=data.get("registered_to"),
        )


class SituationForm(forms.Form):
    status = forms.ChoiceField(label=_("Migratory situation"), choices=MigratoryStatus.choices)
    since = forms.DateField(label=_("Since"), widget=DATE_WIDGET)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DATE_WIDGET)
    form_version = forms.CharField(label=_("Form version"), max_length=20)
    method = forms.ChoiceField(label=_("How it was given"), choices=ConsentMethod.choices)

    def consent_input(self) -> ConsentInput:
        data = self.cleaned_data
        return ConsentInput(
            purpose=ConsentPurpose(data["purpose"]),
            given_on=data["given_on"],
            form_version=data["form_version"],
            method=ConsentMethod(data["method"]),
        )
