"""Guards of the public complaint form against automated submissions: a honeypot field
people never see, and a minimum time between showing the form and sending it, read from a
signed timestamp (so it cannot be forged without the secret key). Rate limits per client
address are in the view."""

from __future__ import annotations

import time

from django.core import signing
from django.utils.translation import gettext_lazy

# Filling the form in takes a person more than this; a script, less.
MIN_FILL_SECONDS = 5
# After this the form must be reloaded (a day: a person may write slowly).
MAX_FILL_SECONDS = 24 * 60 * 60
_SALT = "complaints.public-report.started"

HONEYPOT_MESSAGE = gettext_lazy(
    "The complaint was not sent: the form looks automated. If you are a person, reload the "
    "page and try again, or come to the office."
)
TOO_FAST_MESSAGE = gettext_lazy(
    "The form was sent too quickly to have been filled in by a person. Check your complaint "
    "and send it again."
)
EXPIRED_MESSAGE = gettext_lazy(
    "This form had expired or was altered. Check your complaint and send it again."
)


def form_started_token(at: float | None = None) -> str:
    """A signed timestamp of when the form was shown (``at``: tests and a re-shown form)."""
    return signing.dumps(int(time.time() if at is None else at), salt=_SALT)


def fill_time_problem(token: str, now: float | None = None) -> str | None:
    """None when the form was shown long enough ago; else the message to give."""
    now = time.time() if now is None else now
    try:
        started = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return str(EXPIRED_MESSAGE)
    if not isinstance(started, int) or now - started > MAX_FILL_SECONDS:
        return str(EXPIRED_MESSAGE)
    if now - started < MIN_FILL_SECONDS:
        return str(TOO_FAST_MESSAGE)
    return None
