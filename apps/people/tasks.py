"""Background jobs of the registry: confirmed imports, and the expiring-documents reminder."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.accounts.notifications import (
    reachable_staff,
    staff_mail,
    staff_with_role,
    workspace_link,
)
from apps.accounts.roles import DistrictRole
from apps.people.imports import import_run
from apps.people.models import IdentityDocument, PendingImport
from tenants.background import district_periodic, schema_task

logger = logging.getLogger(__name__)

IMPORT_STOPPED_MESSAGE = gettext_lazy(
    "The import stopped unexpectedly and nothing was written. It is tried again "
    "automatically in a few minutes; if it keeps failing, upload the file again."
)


# One run of a file at a time, whatever happens to the queue (a retry, a second worker).
@schema_task(lock="people-import:{schema_name}:{import_id}")
def people_import_run(*, import_id: str) -> int:
    """Run a confirmed import; return how many people were written."""
    pending = (
        PendingImport.objects.select_related("uploaded_by")
        .filter(public_id=import_id)
        .exclude(status__in=[PendingImport.Status.PREVIEWED, PendingImport.Status.DONE])
        .first()
    )
    # Gone (a newer upload replaced it), or ended by an earlier attempt (the content is
    # erased when an import ends; only an unexpected stop keeps it for the retry).
    if pending is None or not pending.content:
        return 0
    with translation.override(pending.language or settings.LANGUAGE_CODE):
        try:
            finished = import_run(pending=pending)
        except Exception:
            PendingImport.objects.filter(pk=pending.pk).update(
                status=PendingImport.Status.FAILED,
                problems=[{"row": 0, "column": "", "message": str(IMPORT_STOPPED_MESSAGE)}],
            )
            raise  # the worker retries (tenants.background.DEFAULT_RETRY)
    logger.info(
        "import finished: schema=%s status=%s people=%d",
        connection.schema_name,  # type: ignore[attr-defined]
        finished.status,
        finished.imported_count,
    )
    return finished.imported_count


@district_periodic(cron="0 12 * * 1")  # Mondays, 07:00 in Lima
def documents_expiring_remind(*, day: str) -> int:
    """Tell whoever registered each person how many of their people's identity documents
    expire within ``REMINDER_DOCUMENT_EXPIRY_DAYS``; documents of people whose registering
    account is gone are counted for the coordinators. Return the e-mails sent."""
    today = date.fromisoformat(day)
    days = settings.REMINDER_DOCUMENT_EXPIRY_DAYS
    expiring = IdentityDocument.objects.filter(
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=days),
        person__anonymised_on__isnull=True,
    )
    by_registrar = Counter(expiring.values_list("person__registered_by", flat=True))
    registrars = dict(
        reachable_staff()
        .filter(pk__in=[pk for pk in by_registrar if pk])
        .values_list("pk", "email")
    )
    counts: Counter[str] = Counter()
    unassigned = 0
    for pk, count in by_registrar.items():
        if pk in registrars:
            counts[registrars[pk]] += count
        else:
            unassigned += count
    if unassigned:
        for coordinator in staff_with_role(DistrictRole.COORDINATOR):
            counts[coordinator.email] += unassigned
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        link = workspace_link("people:list")
        for email, count in sorted(counts.items()):
            subject = ngettext(
                "%(count)d identity document expires soon",
                "%(count)d identity documents expire soon",
                count,
            ) % {"count": count}
            body = _(
                "%(count)d identity document(s) of people in your care expire in the next "
                "%(days)d days. Remind them to renew in time; you can check their records "
                "in the registry:\n%(link)s\n"
            ) % {"count": count, "days": days, "link": link}
            sent += staff_mail(recipients=[email], subject=subject, body=body)
    logger.info(
        "reminders sent: task=documents_expiring schema=%s day=%s emails=%d",
        connection.schema_name,  # type: ignore[attr-defined]
        day,
        sent,
    )
    return sent
