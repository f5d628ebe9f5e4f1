"""The office's work with a person: attentions, cases and referrals. Personal data: it
stays in the district's schema and its changes are recorded by database triggers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.audit.history import tracked
from apps.catalogue.models import Partner, ServiceType
from apps.people.models import Person


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person at the office")
    PHONE = "phone", _("Phone")
    MESSAGING = "messaging", _("WhatsApp or messaging")
    OUTREACH = "outreach", _("Outreach in the community")
    ONLINE = "online", _("Online")


@tracked()
class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class ClosingReason(models.TextChoices):
        RESOLVED = "resolved", _("Needs met")
        REFERRED = "referred", _("Referred and followed by a partner")
        LOST_CONTACT = "lost_contact", _("Contact lost")
        MOVED = "moved", _("Moved out of the district")
        DECLINED = "declined", _("The person declined further support")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("caseworker"),
    )
    opened_on = models.DateField(_("opened on"))
    plan = models.TextField(_("support plan"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    closing_reason = models.CharField(
        _("closing reason"), max_length=16, choices=ClosingReason.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["status", "caseworker"], name="case_queue")]

    def __str__(self) -> str:
        return str(_("Case of %(person)s") % {"person": self.person})


@tracked()
class Attention(models.Model):
    """One contact with a person, giving one or more services."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attentions")
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="attentions"
    )
    occurred_on = models.DateField(_("date"), db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("attended by"),
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    service_types = models.ManyToManyField(
        ServiceType, verbose_name=_("services"), related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("attention")
        verbose_name_plural = _("attentions")
        indexes = [models.Index(fields=["person", "-occurred_on"], name="attention_person")]

    def __str__(self) -> str:
        return f"{self.person} {self.occurred_on:%d/%m/%Y}"


@tracked()
class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    # Protection, GBV...: shown only to the coordinator, the author and the case's caseworker.
    is_sensitive = models.BooleanField(_("sensitive (protection, GBV)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        permissions = [("view_sensitive_casenote", _("Can see every sensitive case note"))]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%d/%m/%Y}"


@tracked()
class FollowUpTask(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    description = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due on"), db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")

    def __str__(self) -> str:
        return self.description


@tracked()
class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        COMPLETED = "completed", _("Completed")
        REVOKED = "revoked", _("Revoked")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    attention = models.ForeignKey(
        Attention, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, verbose_name=_("referred to"))
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("service")
    )
    reason = models.TextField(_("reason"))
    shares_personal_data = models.BooleanField(
        _("shares the person's data with the partner"), default=True
    )
    # Set when a coordinator sent it without the person's referral consent.
    consent_override_reason = models.TextField(_("reason for sending without consent"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        permissions = [
            ("override_referral_consent", _("Can send a referral without the person's consent"))
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="referral_status")]

    def __str__(self) -> str:
        return f"{self.person} → {self.partner}"


class ReferralStatusChange(models.Model):
    """Who moved a referral to which status, and when (the referral's own timeline)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=10, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Referral.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
