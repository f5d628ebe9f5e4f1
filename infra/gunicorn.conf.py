"""gunicorn settings for the container image (`gunicorn -c infra/gunicorn.conf.py`).

Every value can be changed from the environment without rebuilding the image. Sizing: each
worker thread holds its own database connection (CONN_MAX_AGE), so a web pod opens up to
WEB_CONCURRENCY x GUNICORN_THREADS connections; keep the sum over pods and workers under
PostgreSQL's max_connections (docs/OPERATIONS.md).
"""

import os

from gunicorn.glogging import Logger

wsgi_app = "config.wsgi:application"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"

# A fixed default: os.cpu_count() in a container reports the node's CPUs, not the pod's.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Past this, a stuck request's worker is killed and replaced (long work belongs in tasks).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (a rolling update), requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Workers are recycled now and then, which also releases the per-connection catalogue cache
# PostgreSQL builds up as a connection visits many district schemas.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Read-only root filesystem: heartbeats in memory, no control socket under $HOME.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a tmpfs in every container runtime
control_socket_disable = True

# Only the ingress (or the local TLS proxy) reaches the pods; it sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")

# Logs to stdout and stderr. The access log has the path without its query string (search
# boxes put names there) and the host (a district's slug, not a person).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = "%(m)s %(U)s %(s)s %(b)s %(L)ss host=%({host}i)s"

PROBE_PATHS = frozenset({"/healthz", "/healthz/", "/readyz", "/readyz/"})


class ProbeQuietLogger(Logger):
    """The access log without the orchestrator's probes (one every few seconds per pod)."""

    def access(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        if environ.get("PATH_INFO") in PROBE_PATHS:
            return
        super().access(resp, req, environ, request_time)


logger_class = ProbeQuietLogger
