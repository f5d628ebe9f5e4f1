"""People served by the orientation office. Every table here holds personal data: it lives
only in the district's schema, its changes are recorded by database triggers
(django-pghistory event tables), and views of it go to the access log."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from apps.audit.history import tracked
from apps.catalogue.models import DocumentType
from apps.workspace.versioning import Versioned


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class PopulationGroup(models.TextChoices):
    """R4V population groups, used in 5W reporting."""

    IN_DESTINATION = "in_destination", _("In destination")
    IN_TRANSIT = "in_transit", _("In transit")
    PENDULAR = "pendular", _("Pendular")
    RETURNEE = "returnee", _("Returnee")
    HOST_COMMUNITY = "host_community", _("Host community")


class MigratoryStatus(models.TextChoices):
    TEMPORARY = "temporary", _("Temporary status")
    RESIDENT = "resident", _("Resident (including humanitarian and special residence)")
    CPP_PTP = "cpp_ptp", _("CPP or PTP holder")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Recognised refugee")
    IRREGULAR = "irregular", _("Irregular (overstay or irregular entry)")
    RETURNEE = "returnee", _("Peruvian returnee")
    HOST_PERUVIAN = "host_peruvian", _("Host-community Peruvian")


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration and case management")
    REFERRAL_SHARING = "referral_sharing", _("Sharing data with partners when referred")
    SENSITIVE_DATA = "sensitive_data", _("Sensitive data (disability, LGBTIQ+, indigenous)")
    PHOTOS = "photos", _("Photos at events")


class ConsentMethod(models.TextChoices):
    SIGNED = "signed", _("Signed form")
    DIGITAL = "digital", _("Digital signature")


@tracked()
class Household(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    address_reference = models.CharField(_("address reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return str(_("Household %(id)s") % {"id": str(self.public_id)[:8]})


@tracked()
class Person(Versioned):
    class Relationship(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse or partner")
        CHILD = "child", _("Son or daughter")
        PARENT = "parent", _("Father or mother")
        SIBLING = "sibling", _("Brother or sister")
        OTHER_RELATIVE = "other_relative", _("Other relative")
        NOT_RELATED = "not_related", _("Not related")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_names = models.CharField(_("given names"), max_length=120)
    family_names = models.CharField(_("family names"), max_length=120)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    gender_identity = models.CharField(_("gender identity"), max_length=60, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # When the birth date is unknown: the age the person gave, and when.
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    estimated_age_on = models.DateField(null=True, blank=True)
    nationality = CountryField(_("nationality"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address in the district"), max_length=200, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    household_relationship = models.CharField(
        _("relationship in the household"), max_length=16, choices=Relationship.choices, blank=True
    )
    population_group = models.CharField(
        _("population group"), max_length=16, choices=PopulationGroup.choices
    )
    # Sensitive data: only stored while the sensitive-data consent is on record.
    has_disability = models.BooleanField(_("disability"), null=True, blank=True)
    is_lgbtiq = models.BooleanField(_("LGBTIQ+"), null=True, blank=True)
    is_indigenous = models.BooleanField(_("indigenous"), null=True, blank=True)
    # Derived from the dated history (MigratorySituation), kept here for filtering.
    current_situation = models.CharField(
        _("migratory situation"), max_length=16, choices=MigratoryStatus.choices, blank=True
    )
    # Accent- and case-free "given family" and digits-only phone, for search.
    name_key = models.CharField(max_length=241, editable=False)
    phone_key = models.CharField(max_length=40, editable=False, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Opposition (Ley 29733): no longer in exports nor shared in referrals.
    opposed_on = models.DateField(_("opposed on"), null=True, blank=True)
    # Cancellation: identifying data removed; the counts statistics rest on are kept.
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_names", "given_names"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [
            ("export_person", _("Can export lists of people")),
            ("merge_person", _("Can merge two records of the same person")),
        ]
        indexes = [
            # Prefix matches use it; "contains" matches scan name_key, which stays fast at the
            # size of a district's registry (see docs/PERFORMANCE.md). The embedded server
            # has no pg_trgm.
            models.Index(
                fields=["name_key"], name="person_name", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["phone_key"], name="person_phone"),
            models.Index(fields=["family_names", "given_names", "id"], name="person_order"),
            models.Index(fields=["nationality", "current_situation"], name="person_filters"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_date__isnull=False)
                | models.Q(estimated_age__isnull=False),
                name="person_birth_date_or_estimated_age",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()

    def age_on(self, day: date) -> int | None:
        if self.birth_date is not None:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - before_birthday
        if self.estimated_age is not None and self.estimated_age_on is not None:
            return self.estimated_age + (day - self.estimated_age_on).days // 365
        return self.estimated_age


@tracked()
class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, verbose_name=_("document type")
    )
    number = models.CharField(_("number"), max_length=40, blank=True)
    number_key = models.CharField(max_length=40, editable=False, blank=True)
    issuing_body = models.CharField(_("issued by"), max_length=120, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    is_verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "number_key"],
                condition=~models.Q(number_key=""),
                name="document_number_unique_per_type",
            )
        ]
        indexes = [models.Index(fields=["number_key"], name="document_number")]

    def __str__(self) -> str:
        return f"{self.document_type} {self.number}".strip()


@tracked()
class MigratorySituation(models.Model):
    """One dated entry of a person's migratory situation; the latest is the current one."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="situations")
    status = models.CharField(_("situation"), max_length=16, choices=MigratoryStatus.choices)
    since = models.DateField(_("since"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-since", "-created_at"]
        verbose_name = _("migratory situation")
        verbose_name_plural = _("migratory situations")

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.since:%d/%m/%Y})"


@tracked()
class Consent(models.Model):
    """The consent ledger: one purpose, given on a date with a form version, maybe withdrawn."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    form_version = models.CharField(_("form version"), max_length=20)
    method = models.CharField(_("how it was given"), max_length=10, choices=ConsentMethod.choices)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-created_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d/%m/%Y})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


@tracked()
class DataSubjectRequest(models.Model):
    """A request under Ley 29733 (ARCO rights and portability), with its legal deadline."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access")
        RECTIFICATION = "rectification", _("Rectification")
        CANCELLATION = "cancellation", _("Cancellation")
        OPPOSITION = "opposition", _("Opposition")
        PORTABILITY = "portability", _("Portability")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ANSWERED = "answered", _("Answered")
        REJECTED = "rejected", _("Rejected")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="data_requests")
    kind = models.CharField(_("right exercised"), max_length=16, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%d/%m/%Y}"


class PendingImport(models.Model):
    """An uploaded spreadsheet from its preview to the end of its import.

    Confirming queues a background job (``apps.people.tasks.people_import_run``) that checks
    every row again, reporting how many it has checked, then writes them all in one
    transaction; the page of the import shows where it is. The file's content is erased
    when the import ends; the row (its outcome) goes a day later or at the uploader's next
    upload.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Checked, waiting for confirmation")
        QUEUED = "queued", _("Waiting its turn")
        CHECKING = "checking", _("Checking the rows")
        WRITING = "writing", _("Writing the rows")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    total_rows = models.PositiveIntegerField(default=0)
    checked_rows = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    # Why it was not imported: [{"row": 3, "column": "sexo", "message": "..."}].
    problems = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The uploader's language when confirming: the job writes its messages in it.
    language = models.CharField(max_length=10, blank=True)

    IN_PROGRESS = (Status.QUEUED, Status.CHECKING, Status.WRITING)

    def __str__(self) -> str:
        return self.filename

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def percent_checked(self) -> int:
        return round(100 * self.checked_rows / self.total_rows) if self.total_rows else 0
