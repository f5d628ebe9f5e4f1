"""A district's host names: add one, make one primary, remove one that is not primary.

Routing follows at once: saving or deleting a ``Domain`` forgets the host in the routing
cache (signals in ``tenants/routing.py``). The primary host is the one the landing page
links to and invitation links are written with.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from tenants.models import District, Domain
from tenants.services.onboarding import HOST_TAKEN_MESSAGE
from tenants.validators import validate_district_slug

logger = logging.getLogger(__name__)

HOST_MAX_LENGTH = 253
# Labels of letters, digits and inner hyphens, at least two of them (no bare "intranet").
HOST_PATTERN = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)

HOST_FORMAT_MESSAGE = _(
    "Type only the host name, e.g. migrantes.munilaperla.gob.pe: letters without accents, "
    "digits, hyphens and dots; no “http://”, no path, no port."
)
HOST_PLATFORM_MESSAGE = _("%(host)s is the platform's own address; it cannot route to a district.")
HOST_NESTED_MESSAGE = _(
    "Under %(platform)s use a single label before it, e.g. la-perla-2.%(platform)s."
)
HOST_ALREADY_HERE_MESSAGE = _("This district already has the address %(host)s.")
PRIMARY_REMOVE_MESSAGE = _(
    "%(host)s is the primary address and cannot be removed; make another address primary first."
)
ALREADY_PRIMARY_MESSAGE = _("%(host)s is already the primary address.")


def host_normalise(host: str) -> str:
    return (host or "").strip().lower().rstrip(".")


def _validate_host(*, district: District, host: str) -> None:
    if len(host) > HOST_MAX_LENGTH or not HOST_PATTERN.match(host):
        raise ValidationError({"host": [HOST_FORMAT_MESSAGE]})
    if host in settings.PUBLIC_HOSTS or host == settings.PLATFORM_DOMAIN:
        raise ValidationError({"host": [HOST_PLATFORM_MESSAGE % {"host": host}]})
    suffix = "." + settings.PLATFORM_DOMAIN
    if host.endswith(suffix):
        # A name under the platform's domain takes a slug's place: the same rules apply
        # (reserved names stay reserved), and one level only (the wildcard certificate).
        label = host.removesuffix(suffix)
        if "." in label:
            raise ValidationError(
                {"host": [HOST_NESTED_MESSAGE % {"platform": settings.PLATFORM_DOMAIN}]}
            )
        try:
            validate_district_slug(label)
        except ValidationError as error:
            raise ValidationError({"host": error.messages}) from error
    holder = Domain.objects.filter(domain=host).select_related("tenant").first()
    if holder is not None:
        message = (
            HOST_ALREADY_HERE_MESSAGE if holder.tenant_id == district.pk else HOST_TAKEN_MESSAGE
        )
        raise ValidationError({"host": [message % {"host": host}]})


def domain_add(*, district: District, host: str, primary: bool = False) -> Domain:
    """Route one more host name to the district (DNS and certificate are set up outside)."""
    host = host_normalise(host)
    _validate_host(district=district, host=host)
    try:
        with transaction.atomic():
            domain = Domain(domain=host, tenant=district, is_primary=primary)
            domain.save()
    except IntegrityError as error:
        # Another request added the same host between the check and the insert.
        raise ValidationError({"host": [HOST_TAKEN_MESSAGE % {"host": host}]}) from error
    logger.info("domain added: schema=%s host=%s", district.schema_name, host)
    return domain


def domain_primary_set(*, domain: Domain) -> Domain:
    """Make ``domain`` the district's primary host; the previous one stays as an alias."""
    with transaction.atomic():
        locked = Domain.objects.select_for_update().get(pk=domain.pk)
        if locked.is_primary:
            raise ValidationError(ALREADY_PRIMARY_MESSAGE % {"host": locked.domain})
        locked.is_primary = True
        locked.save()  # DomainMixin.save() takes the flag off the district's other hosts
    logger.info("domain made primary: host=%s", locked.domain)
    return locked


def domain_remove(*, domain: Domain) -> None:
    """Stop routing a host name to the district. The primary host cannot be removed."""
    with transaction.atomic():
        locked = Domain.objects.select_for_update().get(pk=domain.pk)
        if locked.is_primary:
            raise ValidationError(PRIMARY_REMOVE_MESSAGE % {"host": locked.domain})
        locked.delete()
    logger.info("domain removed: host=%s", domain.domain)
