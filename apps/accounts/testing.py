"""Helpers for tests and benchmarks that log a client in without the login form."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.two_factor import APP_DEVICE_NAME, SESSION_STEP_KEY, STEP_DONE


def force_login_past_two_factor(client: Client, user: User) -> None:
    """``client.force_login(user)`` with the two-factor step passed too (an app is created
    for the account when it has none). Call it inside the account's schema."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STEP_KEY] = STEP_DONE
    session.save()
