"""The confirmation step every destructive action of the workspace goes through.

A destructive action (deactivate an account, withdraw a consent, take a volunteer off the
roster...) is a POST that carries ``confirmed=1``, and only the confirmation page sends it:
the page states the consequences, so a stray click on a list, a replayed form or a POST from
an old page never changes anything by itself. No JavaScript ``confirm()``: the page works
with the keyboard, a screen reader and without scripts.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from apps.workspace.pages import workspace_page

CONFIRM_FIELD = "confirmed"


def action_confirmed(request: HttpRequest) -> bool:
    """Whether this request is the POST of a confirmation page."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def confirm_page(
    request: HttpRequest,
    *,
    section: str,
    title: str,
    consequences: list[str],
    confirm_label: str,
    cancel_url: str,
    hidden: dict[str, str] | None = None,
) -> HttpResponse:
    """Render the confirmation step: what will happen, one button that does it, and a way
    back. It posts to the URL it was shown at, with ``hidden`` fields kept."""
    return workspace_page(
        request,
        "components/confirm.html",
        {
            "confirm_title": title,
            "consequences": consequences,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "hidden": sorted((hidden or {}).items()),
            "confirm_field": CONFIRM_FIELD,
        },
        section=section,
    )
