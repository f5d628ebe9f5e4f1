"""Background jobs of the forum: the agreement-deadline reminder to the districts."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import connection
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tenants.utils import get_public_schema_name, schema_context

from apps.accounts.notifications import staff_mail, staff_with_role, workspace_link
from apps.accounts.roles import DistrictRole
from apps.forum.models import Agreement
from apps.forum.selectors import agreements
from tenants.background import district_periodic
from tenants.models import District

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgreementDue:
    text: str
    deadline: date
    overdue: bool


def agreements_due_for(*, district: District, today: date) -> list[AgreementDue]:
    """Agreements the district is responsible for, not done, whose deadline is within
    ``REMINDER_AGREEMENT_DAYS`` or past, leaving out those where the district's own latest
    report says its part is done. Plain data: read in the public schema, used elsewhere."""
    horizon = today + timedelta(days=settings.REMINDER_AGREEMENT_DAYS)
    due = []
    with schema_context(get_public_schema_name()):
        found = (
            agreements(district=district, today=today)
            .filter(deadline__lte=horizon)
            .exclude(status=Agreement.Status.DONE)
        )
        for agreement in found:
            reports = [p for p in agreement.progress.all() if p.district_id == district.pk]
            latest = max(reports, key=lambda p: p.posted_at, default=None)
            if latest is not None and latest.status == Agreement.Status.DONE:
                continue
            assert agreement.deadline is not None  # filtered on it
            due.append(
                AgreementDue(
                    text=agreement.text,
                    deadline=agreement.deadline,
                    overdue=agreement.is_overdue(today),
                )
            )
    return due


@district_periodic(cron="0 13 * * 1")  # Mondays, 08:00 in Lima
def agreement_deadlines_remind(*, day: str) -> int:
    """E-mail the district's coordinators the forum agreements it must act on soon (texts
    are screened for personal data by the forum's services). Return the e-mails sent."""
    district = cast(Any, connection).tenant
    due = agreements_due_for(district=district, today=date.fromisoformat(day))
    if not due:
        return 0
    recipients = staff_with_role(DistrictRole.COORDINATOR).values_list("email", flat=True)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            "- {deadline}{late}: {text}".format(
                deadline=formats.date_format(item.deadline, "SHORT_DATE_FORMAT"),
                late=f" ({_('overdue')})" if item.overdue else "",
                text=" ".join(item.text.split())[:300],
            )
            for item in due
        ]
        subject = ngettext(
            "%(count)d forum agreement is due soon",
            "%(count)d forum agreements are due soon",
            len(due),
        ) % {"count": len(due)}
        body = _(
            "%(district)s is responsible for these agreements of the Forum of Mayors, whose "
            "deadline is near or past:\n\n%(lines)s\n\nPost your progress from the forum "
            "page of the workspace:\n%(link)s\n"
        ) % {
            "district": district.name,
            "lines": "\n".join(lines),
            "link": workspace_link("forum:home"),
        }
        sent = staff_mail(recipients=recipients, subject=subject, body=body)
    logger.info(
        "reminders sent: task=agreement_deadlines schema=%s day=%s emails=%d",
        district.schema_name,
        day,
        sent,
    )
    return sent
