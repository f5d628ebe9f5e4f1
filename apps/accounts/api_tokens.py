"""Bearer tokens for machine clients: create (the secret is shown once), revoke, and
authenticate a request's ``Authorization: Bearer`` header."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.accounts.models import ApiToken
from tenants.models import District

TOKEN_PREFIX = "cm_"  # noqa: S105 - a marker, not a secret
NAME_REQUIRED_MESSAGE = gettext_lazy("Name the client the token is for.")
ALREADY_REVOKED_MESSAGE = gettext_lazy("This token is already revoked.")
MAX_DAYS = 366
DAYS_MESSAGE = gettext_lazy("A token lasts from 1 to 366 days.")
# last_used_at is refreshed at most this often (not a write on every request).
LAST_USED_PRECISION = timedelta(minutes=5)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _district_key(district: District | None) -> District | None:
    """The public stand-in (unsaved) means the platform host: no district."""
    return district if district is not None and district.pk else None


def api_token_create(
    *, account: User, district: District | None, name: str, days: int = 90
) -> tuple[ApiToken, str]:
    """A new token for ``account`` on ``district``'s host; returns it and its secret."""
    errors = {}
    if not name.strip():
        errors["name"] = [NAME_REQUIRED_MESSAGE]
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = [DAYS_MESSAGE]
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name.strip(),
            prefix=secret[:10],
            key_hash=_hash(secret),
            district=_district_key(district),
            account_id=account.pk,
            expires_at=timezone.now() + timedelta(days=days),
        )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError(ALREADY_REVOKED_MESSAGE)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_tokens_of_host(district: District | None) -> QuerySet[ApiToken]:
    """The tokens valid on this host (a district's, or the platform's)."""
    key = _district_key(district)
    return ApiToken.objects.filter(district=key) if key else ApiToken.objects.filter(district=None)


def api_token_authenticate(secret: str, district: District | None) -> User | None:
    """The active account a valid, unrevoked, unexpired token of this host acts as."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        api_tokens_of_host(district)
        .filter(key_hash=_hash(secret), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    # The account lives in the schema the request is in (search_path set by routing).
    account = User.objects.filter(pk=token.account_id, is_active=True).first()
    if account is None:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return account
