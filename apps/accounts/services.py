"""Writes on accounts: invitations and their acceptance. They act on the users of the
schema the connection is in (a district's, or the platform's)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.roles import ROLE_LABELS, DistrictRole, PlatformRole
from apps.accounts.tokens import invitation_token_generator

ACCOUNT_ALREADY_ACTIVE_MESSAGE = gettext_lazy("An account with this e-mail address already exists.")


@dataclass(frozen=True)
class Invitation:
    email: str
    role: str
    url: str


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def base_url_for_host(host: str) -> str:
    """``scheme://host[:port]`` for links written into e-mails and printed by commands."""
    port = f":{settings.PLATFORM_URL_PORT}" if settings.PLATFORM_URL_PORT else ""
    return f"{settings.PLATFORM_URL_SCHEME}://{host}{port}"


def invitation_url(*, user: User, base_url: str, issued_at: int | None = None) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = (
        invitation_token_generator.make_token(user)
        if issued_at is None
        else invitation_token_generator.make_token_issued_at(user, issued_at)
    )
    path = reverse("accounts:invitation_accept", kwargs={"uidb64": uidb64, "token": token})
    return base_url + path


def user_invite(
    *,
    email: str,
    role: DistrictRole | PlatformRole,
    base_url: str,
    workspace_name: str,
    first_name: str = "",
    last_name: str = "",
    send_email: bool = True,
) -> Invitation:
    """Create (or re-invite) an account without a password and e-mail a one-time link.

    Re-inviting someone who has not accepted yet issues a new link; someone who already
    set a password is refused.
    """
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            {"email": _("Enter a valid e-mail address, e.g. ana@example.org.")}
        ) from error
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.filter(username=email).first()
        if user is not None and user.has_usable_password():
            raise ValidationError({"email": ACCOUNT_ALREADY_ACTIVE_MESSAGE})
        if user is None:
            user = user_model(
                username=email, email=email, first_name=first_name, last_name=last_name
            )
            user.set_unusable_password()
            user.full_clean()
            user.save()
        user.groups.set([Group.objects.get(name=str(role))])
        issued_at = invitation_token_generator.issue_time()
        url = invitation_url(user=user, base_url=base_url, issued_at=issued_at)
        if send_email:
            from apps.accounts.tasks import invitation_email_send

            # A background job, queued with this transaction: it rebuilds the same link
            # from the time it was issued (the link itself is never stored in the queue).
            invitation_email_send.enqueue(
                user_id=user.pk,
                role=str(role),
                base_url=base_url,
                workspace_name=workspace_name,
                issued_at=issued_at,
            )
    return Invitation(email=email, role=str(role), url=url)


def invitation_mail(
    *, email: str, url: str, role: DistrictRole | PlatformRole, workspace_name: str
) -> None:
    """Send the invitation e-mail (from the background job ``invitation_email_send``)."""
    days = settings.INVITATION_TIMEOUT // (24 * 60 * 60)
    subject = _("Invitation to %(workspace)s") % {"workspace": workspace_name}
    body = _(
        "You have been invited to %(workspace)s as %(role)s.\n\n"
        "Open this link to choose your password (it works once and expires in %(days)d days):\n"
        "%(url)s\n"
    ) % {"workspace": workspace_name, "role": ROLE_LABELS[role], "days": days, "url": url}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def invitation_accept(*, user: User, password: str) -> User:
    """Set the invited user's first password; the link stops working at once."""
    if not user.is_active or user.has_usable_password():
        raise ValidationError(_("This invitation is no longer valid."))
    validate_password(password, user=user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def user_create_with_password(
    *, email: str, password: str, role: DistrictRole | PlatformRole, is_superuser: bool = False
) -> User:
    """Create an account that can log in at once (demo accounts, first platform admin)."""
    email = normalise_email(email)
    validate_email(email)
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model(
            username=email, email=email, is_superuser=is_superuser, is_staff=is_superuser
        )
        validate_password(password, user=user)
        user.set_password(password)
        user.full_clean()
        user.save()
        user.groups.set([Group.objects.get(name=str(role))])
    return user


SELF_DEACTIVATE_MESSAGE = gettext_lazy("You cannot deactivate your own account.")


def user_role_set(*, actor: User, user: User, role: DistrictRole | PlatformRole) -> User:
    """Give the account exactly one role."""
    with transaction.atomic():
        user.groups.set([Group.objects.get(name=str(role))])
    return user


def user_active_set(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (the account can no longer log in; its records stay) or reactivate."""
    if not active and user.pk == actor.pk:
        raise ValidationError(SELF_DEACTIVATE_MESSAGE)
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            # End the account's open sessions in this schema at once.
            from django.contrib.sessions.models import Session

            for session in Session.objects.all().iterator():
                if session.get_decoded().get("_auth_user_id") == str(user.pk):
                    session.delete()
    return user
