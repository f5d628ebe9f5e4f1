from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CatalogueEntry(models.Model):
    """An entry of a reference list, named in Spanish and English, kept by a stable code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    is_active = models.BooleanField(_("active"), default=True)
    # Entries of the platform's reference data; a district adds its own with False.
    is_builtin = models.BooleanField(default=False, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name_es"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "es").startswith("en") else self.name_es


class ServiceType(CatalogueEntry):
    """What an attention of the orientation office provides (legal orientation, health...)."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("service type")
        verbose_name_plural = _("service types")


class DocumentType(CatalogueEntry):
    """An identity document a person may hold (DNI, CE, PTP, CPP, passport...)."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class Partner(CatalogueEntry):
    """An organisation people are referred to: a GTRM partner or a state service."""

    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International organisation")
        NGO = "ngo", _("Civil society organisation")
        STATE = "state", _("State service")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
