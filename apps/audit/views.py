from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from apps.accounts.decorators import staff_permission_required
from apps.audit.models import AccessLogEntry
from apps.audit.selectors import (
    AuditFilters,
    access_log_list,
    change_history_list,
    event_usernames,
)
from apps.workspace.pages import workspace_page

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("All")), *AccessLogEntry.Action.choices], required=False
    )
    since = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        return AuditFilters(**{k: v for k, v in self.cleaned_data.items() if v})


@staff_permission_required("audit.view_accesslogentry")
def audit(request: HttpRequest) -> HttpResponse:
    """The coordinator's view of who looked at, exported and changed personal data."""
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    tab = "changes" if request.GET.get("tab") == "changes" else "access"
    rows: QuerySet[Any]
    if tab == "changes":
        rows = change_history_list(filters=filters)
    else:
        rows = access_log_list(filters=filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    usernames = event_usernames(page.object_list) if tab == "changes" else {}
    query = request.GET.copy()
    query.pop("page", None)
    return workspace_page(
        request,
        "tenant/audit/audit.html",
        {
            "form": form,
            "page": page,
            "tab": tab,
            "usernames": usernames,
            "query": query.urlencode(),
        },
        section="audit",
    )
