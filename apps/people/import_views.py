"""Import pages: upload, preview (every row error, nothing written), confirm (queues the
import in the background), and the import's page, which shows its progress."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.people.imports import import_preview, import_queue, template_xlsx
from apps.people.models import PendingImport
from apps.workspace.pages import workspace_page


class UploadForm(forms.Form):
    # An empty file is refused by FileField itself; the name fits PendingImport.filename.
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        max_length=PendingImport._meta.get_field("filename").max_length,
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Use an XLSX or CSV file."))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s.")
                % {"max": filesizeformat(settings.UPLOAD_MAX_BYTES)}
            )
        return upload


def _page(request: HttpRequest, context: dict[str, object], status: int = 200) -> HttpResponse:
    return workspace_page(
        request, "tenant/people/import.html", context, section="people", status=status
    )


@staff_permission_required("people.add_person", "casework.add_attention")
def import_start(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actor = request_staff(request)
        running = PendingImport.objects.filter(
            uploaded_by=actor, status__in=PendingImport.IN_PROGRESS
        ).first()
        if running is not None:  # its rows are not in the registry yet: a preview would miss them
            messages.info(request, _("Your previous import has not finished yet."))
            return redirect("people:import_status", public_id=running.public_id)
        upload = form.cleaned_data["file"]
        content = upload.read()
        preview = import_preview(filename=upload.name, content=content)
        pending = None
        if preview.ok:  # a refused file writes nothing (the previous preview stays)
            # Uploaded files hold personal data: keep one per person, for a day at most.
            stale = timezone.now() - timedelta(days=1)
            PendingImport.objects.filter(Q(uploaded_by=actor) | Q(created_at__lt=stale)).delete()
            pending = PendingImport.objects.create(
                uploaded_by=actor, filename=upload.name, content=content
            )
        return _page(
            request,
            {"form": UploadForm(), "preview": preview, "pending": pending},
            200 if preview.ok else 400,
        )
    return _page(request, {"form": form}, 400 if form.errors else 200)


@staff_permission_required("people.add_person", "casework.add_attention")
def import_confirm(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = request_staff(request)
    pending = PendingImport.objects.filter(public_id=public_id, uploaded_by=actor).first()
    if pending is None:
        raise Http404
    if request.method != "POST":
        return redirect("people:import")
    import_queue(pending=pending)
    return redirect("people:import_status", public_id=pending.public_id)


# Seconds between two automatic reloads of an import's page while it runs.
IMPORT_REFRESH_SECONDS = 2


@staff_permission_required("people.add_person", "casework.add_attention")
def import_status(request: HttpRequest, public_id: str) -> HttpResponse:
    """Where the import is: waiting, checking (rows so far), writing, done or not done."""
    actor = request_staff(request)
    pending = PendingImport.objects.filter(public_id=public_id, uploaded_by=actor).first()
    if pending is None:
        raise Http404
    if pending.status == PendingImport.Status.PREVIEWED:
        return redirect("people:import")
    done_message = ngettext(
        "%(count)d person was imported.", "%(count)d people were imported.", pending.imported_count
    ) % {"count": pending.imported_count}
    return workspace_page(
        request,
        "tenant/people/import_status.html",
        {
            "pending": pending,
            "refresh_seconds": IMPORT_REFRESH_SECONDS if pending.in_progress else None,
            "done_message": done_message,
        },
        section="people",
    )


@staff_permission_required("people.add_person")
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="plantilla-personas.xlsx"'
    return response
