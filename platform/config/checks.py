"""System checks of the deployment itself (registered by ``tenants.apps``).

Rate limits (GraphQL, login, password reset, the public complaint form), login lockouts
and the host-to-district routing entries live in the default cache. With a cache of one
process (local memory) every web process counts on its own: N processes allow N times the
limit, and a district suspended by one process is still served by the others. With no
cache at all (dummy) nothing is counted. Production (``REQUIRE_SHARED_CACHE``) therefore
refuses both; the file cache is shared by the processes of one machine only, which is
fine for the one-server install (infra/compose.yaml) and worth a deployment warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": "keeps its entries in each process",
    "django.core.cache.backends.dummy.DummyCache": "keeps nothing",
}
ONE_MACHINE_CACHES = {"django.core.cache.backends.filebased.FileBasedCache"}
SHARED_CACHE_HINT = (
    "Set CACHE_URL to a cache every web process shares, e.g. CACHE_URL=redis://host:6379/1 "
    "(docs/OPERATIONS.md, 'Cache'); on a single server the default file cache also works."
)


def _default_backend() -> str:
    return str(settings.CACHES.get("default", {}).get("BACKEND", ""))


@checks.register(checks.Tags.caches)
def shared_cache_required(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Error in production when rate limits and lockouts would be counted per process."""
    backend = _default_backend()
    if not settings.REQUIRE_SHARED_CACHE or backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Error(
            f"The default cache ({backend}) {PER_PROCESS_CACHES[backend]}: rate limits, "
            "login lockouts and district routing would not be shared by the web processes.",
            hint=SHARED_CACHE_HINT,
            id="config.E001",
        )
    ]


@checks.register(checks.Tags.caches, deploy=True)
def one_machine_cache(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """A deployment warning: the file cache is not shared between machines."""
    if not settings.REQUIRE_SHARED_CACHE or _default_backend() not in ONE_MACHINE_CACHES:
        return []
    return [
        checks.Warning(
            "The default cache is the file cache: rate limits and lockouts are shared by "
            "the processes of this machine only. Fine with one server; with several web "
            "servers each would count on its own.",
            hint=SHARED_CACHE_HINT,
            id="config.W002",
        )
    ]
