"""Sentry wiring: on only when SENTRY_DSN is set; nothing personal leaves the server."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentry_sdk.types import Event, Hint


def sentry_init(*, dsn: str, environment: str, release: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=_strip_request_data,
        traces_sample_rate=0.0,
    )


def _strip_request_data(event: Event, hint: Hint) -> Event:
    """Keep only the method and path of a request; drop cookies, headers, query and body."""
    request = event.get("request")
    if request:
        event["request"] = {
            "method": request.get("method"),
            "url": str(request.get("url", "")).split("?")[0],
        }
    event.pop("user", None)
    return event
