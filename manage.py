#!/usr/bin/env python
"""Django's command-line utility for the Callao migrant-services platform."""

import os
import sys
from pathlib import Path


def main() -> None:
    # The configuration package lives in platform/config (imported as `config`);
    # platform/ is a plain folder so the standard library's `platform` stays importable.
    sys.path.insert(1, str(Path(__file__).resolve().parent / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
