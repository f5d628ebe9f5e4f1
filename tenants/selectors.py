from __future__ import annotations

from dataclasses import dataclass

from apps.accounts.services import base_url_for_host
from tenants.models import District, Domain


@dataclass(frozen=True)
class DistrictListing:
    name: str
    ubigeo: str
    host: str
    url: str


def district_directory() -> list[DistrictListing]:
    """Active and suspended districts with their primary host, for the public landing."""
    domains = (
        Domain.objects.filter(is_primary=True)
        .exclude(tenant__status=District.Status.ARCHIVED)
        .select_related("tenant")
        .order_by("tenant__name")
    )
    return [
        DistrictListing(d.tenant.name, d.tenant.ubigeo, d.domain, base_url_for_host(d.domain) + "/")
        for d in domains
    ]
