"""Production settings refuse to start without their secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _import_production(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "DEBUG"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=ROOT,
        env={
            **clean,
            "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
            "DJANGO_READ_DOT_ENV": "false",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"DATABASE_URL": "postgres://u:p@db/x"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short", "DATABASE_URL": "postgres://u:p@db/x"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 50}, "DATABASE_URL"),
        ({"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u:p@db/x", "DEBUG": "true"}, "DEBUG"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(
    env: dict[str, str], complaint: str
) -> None:
    result = _import_production(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr


def test_production_starts_with_its_secrets() -> None:
    result = _import_production({"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u:p@db/x"})
    assert result.returncode == 0, result.stderr
