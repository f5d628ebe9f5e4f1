"""Remove an account's two-factor app and recovery codes (lost phone and codes).

Runs in the schema it is given: ``manage.py tenant_command two_factor_reset EMAIL
--schema=d_<slug>`` for a district account, plain ``manage.py two_factor_reset EMAIL`` for
a platform account. A role that requires two-factor sets up a new app at its next login.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.services import normalise_email
from apps.accounts.two_factor import two_factor_reset


class Command(BaseCommand):
    help = "Remove an account's two-factor app and recovery codes (in the current schema)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        email = normalise_email(options["email"])
        user = get_user_model().objects.filter(username=email).first()
        if user is None:
            raise CommandError("No account with that e-mail address in this schema.")
        removed = two_factor_reset(user=user)
        self.stdout.write(f"Two-factor removed ({removed} devices); sessions ended.")
