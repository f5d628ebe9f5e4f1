"""Helpers every workspace view uses: render inside the workspace layout, and put a
service's refusal next to the fields it names."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.workspace.navigation import WORKSPACE_SECTIONS, visible_sections


def workspace_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, section: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "sections": visible_sections(WORKSPACE_SECTIONS, request.user),
            "active_section": section,
            **context,
        },
        status=status,
    )


def service_errors_to_form(form: BaseForm, error: ValidationError) -> None:
    """Messages keyed by a field of the form go next to it; the rest on top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
