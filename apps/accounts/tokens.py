"""One-time invitation links that expire.

Like a password-reset token, the link's hash covers the user's password and last login,
so it stops working as soon as the invitation is accepted; it also has its own lifetime
(``INVITATION_TIMEOUT``, seven days by default) instead of the reset link's hour.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "apps.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in secrets
        ):
            return False
        return (self._num_seconds(self._now()) - timestamp) <= settings.INVITATION_TIMEOUT

    def issue_time(self) -> int:
        """Now, in the seconds a token carries."""
        return self._num_seconds(self._now())

    def make_token_issued_at(self, user: User, issued_at: int) -> str:
        """The token issued at ``issued_at``: the invitation e-mail, sent by a background
        job, carries the very link the inviter was shown, while the job stores only the
        time (a link is a secret; the job table is not the place for it)."""
        return self._make_token_with_timestamp(user, issued_at, self.secret)


invitation_token_generator = InvitationTokenGenerator()
