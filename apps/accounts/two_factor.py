"""Two-factor authentication: an authenticator app (TOTP, django-otp) and ten one-time
recovery codes (django-otp's static device), in the schema of the account's host.

Who must use it: the roles in ``settings.TWO_FACTOR_REQUIRED_ROLES`` (platform admins, the
secretariat, district coordinators); anyone else may switch it on. Once an account has an
app, every login of it asks for a code too. The state of the current session ("which step
is still due") is written into the session at login, so the middleware that holds a session
at that step reads the session only and costs no query on the other requests.
"""

from __future__ import annotations

import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_DIGITS = 10
TOTP_DIGITS = 6
APP_DEVICE_NAME = "app"
RECOVERY_DEVICE_NAME = "recovery"

# The session's step: absent (unknown: worked out on the next request), or one of these.
SESSION_STEP_KEY = "two_factor_step"
STEP_VERIFY = "verify"  # has an app: must enter a code
STEP_SETUP = "setup"  # role requires two-factor and there is no app yet
STEP_DONE = "done"  # nothing due (verified, or two-factor not used by this account)
# The secret of an app being set up (not saved anywhere else until confirmed).
SESSION_SETUP_KEY = "two_factor_setup_key"
# New recovery codes, shown once and then removed.
SESSION_NEW_CODES_KEY = "two_factor_new_codes"

WRONG_CODE_MESSAGE = _("That code is not right. Check the code and try again.")
THROTTLED_MESSAGE = _(
    "Too many wrong codes. Wait %(seconds)d seconds before trying again, so nobody can guess."
)
REQUIRED_MESSAGE = _("Your role requires two-factor authentication: it cannot be turned off.")
NOT_ENABLED_MESSAGE = _("Two-factor authentication is not on for this account.")

UserLike = AbstractBaseUser | AnonymousUser


def two_factor_required(user: UserLike) -> bool:
    """Whether the account's role must use two-factor (platform admins, secretariat,
    coordinators)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return user.groups.filter(name__in=settings.TWO_FACTOR_REQUIRED_ROLES).exists()


def app_device(user: User) -> TOTPDevice | None:
    """The account's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def step_after_password(user: User) -> str:
    """The step a session of ``user`` must pass after the password."""
    if two_factor_enabled(user):
        return STEP_VERIFY
    if settings.TWO_FACTOR_REQUIRED_ROLES and two_factor_required(user):
        return STEP_SETUP
    return STEP_DONE


def session_step(session: SessionBase, user: User) -> str:
    """The session's step, worked out (and remembered) when the session predates it."""
    step = session.get(SESSION_STEP_KEY)
    if step not in (STEP_VERIFY, STEP_SETUP, STEP_DONE):
        step = step_after_password(user)
        session[SESSION_STEP_KEY] = step
    return step


def new_setup_key() -> str:
    """A new random secret (hex, 20 bytes) for an app being set up."""
    return random_hex(20)


def secret_for_people(key: str) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(*, user: User, key: str) -> str:
    """The ``otpauth://`` link the QR code carries (issuer and account label)."""
    issuer = settings.TWO_FACTOR_ISSUER
    secret = b32encode(unhexlify(key)).decode().rstrip("=")
    label = quote(f"{issuer}:{user.get_username()}")
    return (
        f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}"
        f"&digits={TOTP_DIGITS}&period=30&algorithm=SHA1"
    )


def qr_code_svg(uri: str, *, title: str) -> str:
    """An inline SVG QR code of ``uri`` (drawn here: no image service sees the secret)."""
    import segno

    qr = segno.make(uri, error="m")
    return str(qr.svg_inline(scale=5, title=title, border=2, omitsize=True))


def normalise_code(code: str) -> str:
    """A code as typed, without spaces and hyphens (recovery codes are shown grouped)."""
    return "".join(ch for ch in (code or "") if ch not in " -\u00a0\t")


def format_recovery_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def _new_recovery_codes() -> list[str]:
    return [
        str(secrets.randbelow(10**RECOVERY_CODE_DIGITS)).zfill(RECOVERY_CODE_DIGITS)
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the account's recovery codes with ten new ones; returns them (shown once)."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.select_for_update().get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = _new_recovery_codes()
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return [format_recovery_code(code) for code in codes]


def _totp_matches(key: str, code: str) -> int | None:
    """The time step ``code`` belongs to for secret ``key`` (one step either way), else None."""
    if len(code) != TOTP_DIGITS or not code.isdigit():
        return None
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=TOTP_DIGITS, drift=0)
    totp.time = time.time()  # one instant for the check and the step it reports
    if totp.verify(int(code), tolerance=1):
        return int(totp.t())  # t() includes the drift the match found
    return None


def two_factor_enable(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Save the app being set up once it proved it has the secret (``code`` is its current
    code), replacing any earlier app, and issue ten new recovery codes.

    A wrong code saves nothing."""
    step = _totp_matches(key, normalise_code(code))
    if step is None:
        raise ValidationError({"otp_token": [WRONG_CODE_MESSAGE]})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name=APP_DEVICE_NAME,
            key=key,
            confirmed=True,
            digits=TOTP_DIGITS,
            last_t=step,  # the code just typed cannot be used again
            last_used_at=timezone.now(),
        )
        codes = recovery_codes_regenerate(user=user)
    return device, codes


def _throttled_error(device: Device) -> ValidationError | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    seconds = 1
    if info and info.get("locked_until"):
        seconds = max(int((info["locked_until"] - timezone.now()).total_seconds()) + 1, 1)
    return ValidationError({"otp_token": [THROTTLED_MESSAGE % {"seconds": seconds}]})


def two_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts ``code``: the app (6 digits) or a recovery code (10 digits,
    which is used up). Wrong codes slow the next tries down (django-otp's throttling)."""
    code = normalise_code(code)
    if not code.isdigit():
        raise ValidationError({"otp_token": [WRONG_CODE_MESSAGE]})
    model: type[TOTPDevice] | type[StaticDevice]
    if len(code) == TOTP_DIGITS:
        model = TOTPDevice
    elif len(code) == RECOVERY_CODE_DIGITS:
        model = StaticDevice
    else:
        raise ValidationError({"otp_token": [WRONG_CODE_MESSAGE]})
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            error = _throttled_error(device)
            if error is not None:
                raise error
            if device.verify_token(code):
                return device
    raise ValidationError({"otp_token": [WRONG_CODE_MESSAGE]})


def two_factor_disable(*, user: User, code: str) -> None:
    """Turn two-factor off (the app and the recovery codes), after a valid code; refused
    for the roles that require it."""
    if two_factor_required(user):
        raise ValidationError(REQUIRED_MESSAGE)
    if not two_factor_enabled(user):
        raise ValidationError(NOT_ENABLED_MESSAGE)
    two_factor_verify(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def two_factor_reset(*, user: User) -> int:
    """An operator's reset (lost phone and codes): the account's devices go, and so do its
    open sessions, whose step was worked out with them. Returns the devices removed."""
    from django.contrib.sessions.models import Session

    with transaction.atomic():
        apps = TOTPDevice.objects.filter(user=user)
        code_sets = StaticDevice.objects.filter(user=user)
        removed = apps.count() + code_sets.count()
        apps.delete()
        code_sets.delete()
        for session in Session.objects.all().iterator():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                session.delete()
    return removed
