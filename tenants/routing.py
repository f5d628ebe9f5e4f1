"""Host name -> district, cached so routing costs no query once warm.

django-tenants' middleware queries the domain table on every request; here the district
(or its absence) is kept in the cache under the host name and invalidated whenever a
district or a domain is saved or deleted. The cache is the project's default cache:
files under .data/ in development (shared by every local process), memory in tests,
and a cache server in production (see docs/SCALING.md when it lands).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from tenants.models import District, Domain

_CACHE_PREFIX = "district-host:v1:"
# Cached marker for a host with no district, so unknown hosts do not hit the database.
_NO_DISTRICT = "none"


def _cache_key(hostname: str) -> str:
    return _CACHE_PREFIX + hostname.lower()


def district_for_host(hostname: str) -> District | None:
    """The district served on ``hostname``, or None; one query on a cold cache, none warm."""
    hostname = hostname.lower()
    key = _cache_key(hostname)
    cached = cache.get(key)
    if cached == _NO_DISTRICT:
        return None
    if cached is not None:
        return cached
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    district = domain.tenant if domain else None
    cache.set(key, district if district else _NO_DISTRICT, settings.DISTRICT_ROUTING_CACHE_SECONDS)
    return district


def routing_cache_forget_hosts(hostnames: list[str]) -> None:
    """Forget now and again after commit, so a request that read the old row between the
    write and the commit cannot leave a stale entry behind."""
    keys = [_cache_key(host) for host in hostnames]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _forget_district(sender: Any, instance: District, **kwargs: Any) -> None:
    hosts = list(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True))
    routing_cache_forget_hosts(hosts)


def _forget_domain(sender: Any, instance: Domain, **kwargs: Any) -> None:
    routing_cache_forget_hosts([instance.domain])


def _forget_renamed_domain(sender: Any, instance: Domain, **kwargs: Any) -> None:
    """A renamed domain must stop routing under its old name too."""
    if instance.pk is None:
        return
    old = Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True).first()
    if old and old != instance.domain:
        routing_cache_forget_hosts([old])


def connect_cache_invalidation() -> None:
    """Cache invalidation is the one thing done in signals: it must follow every write,
    including the Django admin's."""
    for signal in (post_save, post_delete):
        signal.connect(_forget_district, sender=District, dispatch_uid=f"routing-district-{signal}")
        signal.connect(_forget_domain, sender=Domain, dispatch_uid=f"routing-domain-{signal}")
    pre_save.connect(_forget_renamed_domain, sender=Domain, dispatch_uid="routing-domain-rename")
