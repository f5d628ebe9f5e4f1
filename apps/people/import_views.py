"""Import pages: upload, preview (every row error, nothing written), confirm (all or nothing)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.accounts.decorators import request_staff, staff_permission_required
from apps.people.imports import import_commit, import_preview, template_xlsx
from apps.people.models import PendingImport
from apps.workspace.pages import workspace_page

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Use an XLSX or CSV file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


def _page(request: HttpRequest, context: dict[str, object], status: int = 200) -> HttpResponse:
    return workspace_page(
        request, "tenant/people/import.html", context, section="people", status=status
    )


@staff_permission_required("people.add_person", "casework.add_attention")
def import_start(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        preview = import_preview(filename=upload.name, content=content)
        actor = request_staff(request)
        # Uploaded files hold personal data: keep one per person, for a day at most.
        stale = timezone.now() - timedelta(days=1)
        PendingImport.objects.filter(Q(uploaded_by=actor) | Q(created_at__lt=stale)).delete()
        pending = (
            PendingImport.objects.create(uploaded_by=actor, filename=upload.name, content=content)
            if preview.ok
            else None
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
    preview = import_preview(filename=pending.filename, content=bytes(pending.content))
    if not preview.ok:  # the registry changed since the preview (e.g. a document was registered)
        return _page(request, {"form": UploadForm(), "preview": preview}, status=400)
    count = import_commit(actor=actor, preview=preview)
    pending.delete()
    messages.success(
        request,
        ngettext("%(count)d person was imported.", "%(count)d people were imported.", count)
        % {"count": count},
    )
    return redirect("people:list")


@staff_permission_required("people.add_person")
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="plantilla-personas.xlsx"'
    return response
