"""``manage.py check --deploy`` passes with the production settings, and production
refuses a cache that rate limits and lockouts cannot share (config/checks.py)."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks
from django.test import override_settings

from config.checks import one_machine_cache, shared_cache_required

ROOT = Path(__file__).resolve().parent.parent
# Only what production reads: nothing of the developer's environment or .env may help.
PRODUCTION_ENV_NAMES = {
    "SECRET_KEY",
    "DATABASE_URL",
    "DEBUG",
    "CACHE_URL",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "CSP_REPORT_ONLY",
}


def _check(*args: str, cache_url: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV_NAMES}
    alphabet = string.ascii_letters + string.digits + string.punctuation.replace("$", "")
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_READ_DOT_ENV": "false",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
            # check does not connect: a database that does not exist proves it.
            "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:9/does_not_exist",
            "DEBUG": "false",
            "CACHE_URL": cache_url,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_check_deploy_finds_no_issue_with_the_production_settings() -> None:
    result = _check("--deploy", "--fail-level", "WARNING", cache_url="redis://cache:6379/1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize("cache_url", ["locmemcache://", "dummycache://"])
def test_production_refuses_a_cache_of_one_process(cache_url: str) -> None:
    result = _check(cache_url=cache_url)
    assert result.returncode != 0
    assert "config.E001" in result.stderr
    assert "CACHE_URL=redis://" in result.stderr


def test_check_deploy_warns_about_the_file_cache_with_several_servers() -> None:
    result = _check("--deploy", "--fail-level", "WARNING", cache_url="")
    assert result.returncode != 0
    assert "config.W002" in result.stderr + result.stdout
    # Without --deploy (every management command, e.g. the release step) it is fine.
    assert _check(cache_url="").returncode == 0


def test_rate_limit_library_checks_run() -> None:
    """django-ratelimit is installed as an app, so its own cache checks run (two of them
    are silenced, with the reason, in favour of config.checks)."""
    assert "django_ratelimit" in settings.INSTALLED_APPS
    assert set(settings.SILENCED_SYSTEM_CHECKS) >= {"django_ratelimit.W001"}
    ids = {message.id for message in checks.run_checks(tags=[checks.Tags.caches])}
    assert not {i for i in ids if i and i.startswith("django_ratelimit.")} - set(
        settings.SILENCED_SYSTEM_CHECKS
    )


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
FILES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}


@pytest.mark.parametrize(
    ("caches", "required", "errors", "warnings"),
    [
        (LOCMEM, True, ["config.E001"], []),
        (FILES, True, [], ["config.W002"]),
        (REDIS, True, [], []),
        # Development and tests run in one process: nothing to say there.
        (LOCMEM, False, [], []),
        (FILES, False, [], []),
    ],
)
def test_shared_cache_checks(
    caches: dict[str, dict[str, str]], required: bool, errors: list[str], warnings: list[str]
) -> None:
    with override_settings(CACHES=caches, REQUIRE_SHARED_CACHE=required):
        assert [m.id for m in shared_cache_required()] == errors
        assert [m.id for m in one_machine_cache()] == warnings
        for message in shared_cache_required():
            assert message.level == checks.ERROR
            assert "CACHE_URL" in (message.hint or "")
