"""Forms of the platform console. They only parse: the services validate, and their
messages (the same the ``onboard_district`` command prints) go next to the fields."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tenants.models import District
from tenants.validators import SLUG_MAX_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CONFIRM_NAME_MESSAGE = _("Type the district's name exactly as shown, “%(name)s”, to confirm.")


def _text(label: StrOrPromise, **attrs: Any) -> forms.CharField:
    # Not required for Django: an empty value reaches the service, which refuses it with
    # the same message the command gives. ``required`` still tells browsers and readers.
    return forms.CharField(
        label=label, required=False, widget=forms.TextInput(attrs={"required": True, **attrs})
    )


class DistrictOnboardForm(forms.Form):
    name = _text(_("District name"), maxlength=120, autocomplete="off")
    slug = _text(
        _("Web address (slug)"), maxlength=SLUG_MAX_LENGTH, autocomplete="off", spellcheck="false"
    )
    ubigeo = _text(_("Ubigeo (INEI)"), maxlength=6, inputmode="numeric", autocomplete="off")
    coordinator_email = forms.CharField(
        label=_("Coordinator's e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"required": True, "autocomplete": "off"}),
        help_text=_(
            "The first coordinator receives a one-time link to choose a password; they then "
            "invite the rest of the team."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("As the municipality writes it, e.g. “La Perla”.")
        self.fields["slug"].help_text = _(
            "Lowercase letters, digits and hyphens, e.g. “la-perla”: the workspace will be at "
            "la-perla.%(domain)s."
        ) % {"domain": settings.PLATFORM_DOMAIN}
        self.fields["ubigeo"].help_text = _("Six digits, e.g. 070104 (La Perla, Callao).")


def _comparable(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()


class TypedNameConfirmForm(forms.Form):
    """The admin types the district's name: a slip of the finger on the wrong row of a
    list cannot suspend or archive a district."""

    confirm_name = forms.CharField(
        label=_("Type the district's name to confirm"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "required": True}),
    )

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district = district

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data.get("confirm_name", "")
        if _comparable(typed) != _comparable(self.district.name):
            raise ValidationError(CONFIRM_NAME_MESSAGE % {"name": self.district.name})
        return typed


class DomainAddForm(forms.Form):
    host = forms.CharField(
        label=_("New address"),
        required=False,
        widget=forms.TextInput(
            attrs={"required": True, "autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_(
            "A host name whose DNS already points to the platform, e.g. "
            "migrantes.munilaperla.gob.pe."
        ),
    )
    primary = forms.BooleanField(
        label=_("Make it the primary address (used in links and invitations)"), required=False
    )


class InvitationResendForm(forms.Form):
    email = forms.CharField(widget=forms.HiddenInput)
