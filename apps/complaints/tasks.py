"""Background jobs of complaints: the stage-deadline reminder."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.notifications import staff_mail, staff_with_role, workspace_link
from apps.accounts.roles import DistrictRole
from apps.complaints.selectors import complaints_overdue
from tenants.background import district_periodic

logger = logging.getLogger(__name__)


@district_periodic(cron="0 12 * * 1-5")  # working days, 07:00 in Lima
def complaints_overdue_remind(*, day: str) -> int:
    """Tell the complaints officers (the coordinators when the district has none) how many
    complaints stayed in their stage past the deadline table's limit. Return the e-mails
    sent."""
    count = complaints_overdue(date.fromisoformat(day)).count()
    if not count:
        return 0
    recipients = list(
        staff_with_role(DistrictRole.COMPLAINTS_OFFICER).values_list("email", flat=True)
    ) or list(staff_with_role(DistrictRole.COORDINATOR).values_list("email", flat=True))
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "%(count)d complaint is past its stage deadline",
            "%(count)d complaints are past their stage deadline",
            count,
        ) % {"count": count}
        body = _(
            "%(count)d complaint(s) stayed in their stage longer than the ordinance's "
            "deadlines allow. See them in the list of complaints:\n%(link)s\n"
        ) % {"count": count, "link": workspace_link("complaints:index") + "?overdue=on"}
        sent = staff_mail(recipients=recipients, subject=subject, body=body)
    logger.info(
        "reminders sent: task=complaints_overdue schema=%s day=%s emails=%d",
        connection.schema_name,  # type: ignore[attr-defined]
        day,
        sent,
    )
    return sent
