from __future__ import annotations

from django.db.models import QuerySet

from apps.catalogue.models import DocumentType, Partner, ServiceType


def catalogue_summary() -> dict[str, int]:
    """How many active entries each reference list has."""
    return {
        "service_types": ServiceType.objects.filter(is_active=True).count(),
        "document_types": DocumentType.objects.filter(is_active=True).count(),
        "partners": Partner.objects.filter(is_active=True).count(),
    }


def service_type_list() -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(is_active=True)


def document_type_list() -> QuerySet[DocumentType]:
    return DocumentType.objects.filter(is_active=True)


def partner_list() -> QuerySet[Partner]:
    return Partner.objects.filter(is_active=True)
