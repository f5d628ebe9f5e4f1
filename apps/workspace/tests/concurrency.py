"""The two-staff scenario every edit form is tested with (``apps.workspace.versioning``):
both open the form, the first saves, the second's save is refused and changes nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.test import Client

from apps.workspace.versioning import VERSION_FIELD

CHANGED_TEXT = "Someone else changed this record while you were editing"


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """What a browser would post for the form as shown (its initial values, hidden fields
    included), formatted by each field's own widget."""
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if isinstance(widget, forms.SelectMultiple | forms.CheckboxSelectMultiple):
            data[bound.html_name] = [str(item) for item in value or []]
            continue
        shown = widget.format_value(value) if value is not None else ""
        if isinstance(shown, list):
            shown = shown[0] if shown else ""
        data[bound.html_name] = "" if shown is None else shown
    return data


def open_form(client: Client, url: str) -> dict[str, Any]:
    """GET the edit page; the data its form would post unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    data = form_data(response.context["form"])
    assert data[VERSION_FIELD], "the edit form carries the record's version"
    return data


def two_staff_edit(
    first: Client,
    second: Client,
    url: str,
    first_changes: dict[str, Any],
    second_changes: dict[str, Any],
) -> HttpResponse:
    """Both load ``url``; the first saves ``first_changes`` (accepted), then the second
    saves ``second_changes`` from the page they loaded before: refused with the message.
    Returns the second's answer, for the caller's checks of the record."""
    first_data, second_data = open_form(first, url), open_form(second, url)
    saved = first.post(url, {**first_data, **first_changes})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    refused = second.post(url, {**second_data, **second_changes})
    assert refused.status_code == 409, refused.content.decode()[:2000]
    page = refused.content.decode()
    assert CHANGED_TEXT in page
    assert "Your changes were not saved" in page
    # The form shown again holds the record's current version, so a reviewed save can go.
    shown = form_data(refused.context["form"])
    assert int(shown[VERSION_FIELD]) > int(second_data[VERSION_FIELD])
    return refused  # type: ignore[return-value]
