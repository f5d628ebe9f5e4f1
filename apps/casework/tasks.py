"""Background jobs of casework: the follow-ups-due reminder."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.notifications import reachable_staff, staff_mail, workspace_link
from apps.casework.selectors import follow_ups_due_counts
from tenants.background import district_periodic

logger = logging.getLogger(__name__)


@district_periodic(cron="0 12 * * 1-5")  # working days, 07:00 in Lima
def follow_ups_due_remind(*, day: str) -> int:
    """Tell each account how many of its follow-up tasks are due (``day`` or earlier) and
    not done; the list is in their work queue. Return the e-mails sent."""
    counts = follow_ups_due_counts(today=date.fromisoformat(day))
    assignees = reachable_staff().filter(pk__in=list(counts))
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        link = workspace_link("home")
        for user in assignees:
            count = counts[user.pk]
            subject = ngettext(
                "%(count)d follow-up task is due", "%(count)d follow-up tasks are due", count
            ) % {"count": count}
            body = _(
                "You have %(count)d follow-up task(s) due today or overdue. They are listed "
                "in your work queue:\n%(link)s\n"
            ) % {"count": count, "link": link}
            sent += staff_mail(recipients=[user.email], subject=subject, body=body)
    logger.info(
        "reminders sent: task=follow_ups_due schema=%s day=%s emails=%d",
        connection.schema_name,  # type: ignore[attr-defined]
        day,
        sent,
    )
    return sent
