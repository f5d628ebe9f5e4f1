"""The platform's reference lists, loaded into every new district (see DOMAIN.md)."""

from __future__ import annotations

from typing import TypeVar

from django.db import transaction

from apps.catalogue.models import CatalogueEntry, DocumentType, Partner, ServiceType

SERVICE_TYPES = [
    ("legal-orientation", "Orientación migratoria y legal", "Migratory and legal orientation"),
    ("documentation", "Documentación y regularización", "Documentation and regularisation"),
    ("health-access", "Acceso a salud (SIS)", "Health access (SIS)"),
    ("education-access", "Acceso a educación", "Education access"),
    ("employment", "Empleo y emprendimiento", "Employment and entrepreneurship"),
    ("shelter", "Vivienda y albergue", "Housing and shelter"),
    ("child-protection", "Protección de la niñez", "Child protection"),
    ("gbv", "Violencia basada en género", "Gender-based violence"),
    ("trafficking", "Trata y tráfico de personas", "Human trafficking and smuggling"),
    ("psychosocial", "Apoyo psicosocial", "Psychosocial support"),
    ("cash-in-kind", "Asistencia en efectivo o en especie", "Cash or in-kind assistance"),
    ("other", "Otro", "Other"),
]

DOCUMENT_TYPES = [
    ("dni", "DNI", "DNI (national identity document)"),
    ("ce", "Carné de Extranjería", "Foreigner's card (Carné de Extranjería)"),
    ("ptp", "PTP", "Temporary Permit of Stay (PTP)"),
    ("cpp", "CPP", "Temporary Permit of Stay card (CPP)"),
    ("asylum-seeker", "Carné de solicitante de refugio (CEPR)", "Asylum-seeker document (CEPR)"),
    ("passport", "Pasaporte", "Passport"),
    ("ve-cedula", "Cédula venezolana", "Venezuelan identity card"),
    ("birth-certificate", "Partida de nacimiento", "Birth certificate"),
    ("tam", "Tarjeta Andina de Migración", "Andean Migration Card"),
    ("none", "Sin documento", "No document"),
]

PARTNERS = [
    ("acnur", "ACNUR", "UNHCR", Partner.Kind.INTERNATIONAL),
    ("oim", "OIM", "IOM", Partner.Kind.INTERNATIONAL),
    ("unicef", "UNICEF", "UNICEF", Partner.Kind.INTERNATIONAL),
    ("hias", "HIAS", "HIAS", Partner.Kind.NGO),
    ("encuentros-sjm", "Encuentros SJM", "Encuentros SJM", Partner.Kind.NGO),
    ("caritas", "Cáritas", "Caritas", Partner.Kind.NGO),
    ("plan-international", "Plan International", "Plan International", Partner.Kind.NGO),
    ("save-the-children", "Save the Children", "Save the Children", Partner.Kind.NGO),
    ("care", "CARE", "CARE", Partner.Kind.NGO),
    (
        "migraciones",
        "Superintendencia Nacional de Migraciones",
        "National Migration Office",
        Partner.Kind.STATE,
    ),
    ("minsa-sis", "MINSA / SIS", "Ministry of Health / SIS", Partner.Kind.STATE),
    ("minedu", "MINEDU", "Ministry of Education", Partner.Kind.STATE),
    (
        "demuna",
        "DEMUNA",
        "Municipal child and adolescent defence office (DEMUNA)",
        Partner.Kind.STATE,
    ),
    ("cem", "Centro Emergencia Mujer (CEM)", "Women's Emergency Centre (CEM)", Partner.Kind.STATE),
    ("defensoria", "Defensoría del Pueblo", "Ombudsman's Office", Partner.Kind.STATE),
]


Entry = TypeVar("Entry", bound=CatalogueEntry)


def _load(model: type[Entry], rows: list[dict[str, object]]) -> None:
    model._default_manager.bulk_create(
        [model(**row, is_builtin=True) for row in rows],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[field for field in rows[0] if field != "code"],
    )


@transaction.atomic
def reference_data_load() -> None:
    """Insert or refresh the built-in entries in the current district schema.

    Idempotent; entries a district added itself are left alone.
    """
    _load(
        ServiceType,
        [
            {"code": code, "name_es": es, "name_en": en, "position": i}
            for i, (code, es, en) in enumerate(SERVICE_TYPES)
        ],
    )
    _load(
        DocumentType,
        [
            {"code": code, "name_es": es, "name_en": en, "position": i}
            for i, (code, es, en) in enumerate(DOCUMENT_TYPES)
        ],
    )
    _load(
        Partner,
        [
            {"code": code, "name_es": es, "name_en": en, "kind": kind, "position": i}
            for i, (code, es, en, kind) in enumerate(PARTNERS)
        ],
    )
