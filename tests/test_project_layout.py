"""The project's structure keeps its promises: stdlib `platform` intact, apps in one list."""

from __future__ import annotations

import importlib
import subprocess
import sys
import sysconfig
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_stdlib_platform_module_is_not_shadowed() -> None:
    import platform

    assert platform.system()  # e.g. "Linux"
    assert Path(platform.__file__).parent == Path(sysconfig.get_paths()["stdlib"])
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_stdlib_platform_works_from_the_project_root_in_a_new_interpreter() -> None:
    # The repository root on sys.path (as `python manage.py` has it) must not shadow it.
    code = "import platform, config; print(platform.system())"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def _project_apps() -> set[str]:
    return {f"apps.{path.parent.name}" for path in (ROOT / "apps").glob("*/apps.py")}


def test_every_project_app_is_in_exactly_one_of_shared_and_tenant_apps() -> None:
    project_apps = _project_apps() | {"tenants"}
    assert project_apps, "no apps found"
    for app in sorted(project_apps):
        in_shared = app in settings.SHARED_APPS
        in_tenant = app in settings.TENANT_APPS
        assert in_shared != in_tenant, f"{app}: shared={in_shared} tenant={in_tenant}"


def test_only_contrib_apps_are_in_both_lists() -> None:
    """Accounts, their sessions, and what belongs to an account (failed-login counts,
    two-factor devices) exist in every schema; no project app is in both lists."""
    both = set(settings.SHARED_APPS) & set(settings.TENANT_APPS)
    assert both == {
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "axes",
        "django_otp",
        "django_otp.plugins.otp_totp",
        "django_otp.plugins.otp_static",
    }


def test_every_listed_app_is_installed_and_importable() -> None:
    for app in [*settings.SHARED_APPS, *settings.TENANT_APPS]:
        assert app in settings.INSTALLED_APPS
        importlib.import_module(app)
