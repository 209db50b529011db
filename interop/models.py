"""What this app keeps: the systems allowed to read the API, their bulk exports, and the
one-time codes patients are sent to download their own record."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from oauth2_provider.models import AbstractApplication

from intake.models import AppointmentRequest


class SystemClient(AbstractApplication):
    """A practice system that reads the FHIR API with OAuth 2 client credentials: the
    toolkit's application (``OAUTH2_PROVIDER_APPLICATION_MODEL``) with the scopes a clinic
    manager granted it and a switch to turn it off."""

    scope = models.TextField(
        help_text="What it may read, SMART style, separated by spaces: system/*.read for "
        "everything, or system/Patient.read system/ServiceRequest.read …"
    )
    is_active = models.BooleanField(
        default=True, help_text="Off: it can get no token, and its tokens stop working."
    )

    class Meta(AbstractApplication.Meta):
        verbose_name = "FHIR client"
        verbose_name_plural = "FHIR clients"

    def __str__(self) -> str:
        return self.name or self.client_id


class ExportLevel(models.TextChoices):
    SYSTEM = "system", "Everything ($export)"
    PATIENT = "patient", "Every patient's record (Patient/$export)"


class ExportStatus(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired (files deleted)"


class ExportJob(models.Model):
    """One bulk export a client asked for: what, its progress, and the files it wrote."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(SystemClient, on_delete=models.PROTECT, related_name="exports")
    level = models.CharField(max_length=10, choices=ExportLevel.choices)
    types = models.JSONField(help_text="The resource types exported.")
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.CharField(max_length=2000)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.ACCEPTED
    )
    progress = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    # One entry per file: {"type": "Patient", "name": "Patient.ndjson", "count": 30}.
    output = models.JSONField(default=list, blank=True)
    # The export's transaction time: it holds nothing changed after this moment.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        verbose_name = "bulk export"

    def __str__(self) -> str:
        return f"Export {self.pk} for {self.client}"


class PatientCopyCode(models.Model):
    """A one-time code e-mailed to a patient so they can download their own record.

    Only a keyed hash of the code is kept. It works once, for a few minutes, and a few wrong
    tries use it up."""

    appointment_request = models.ForeignKey(
        AppointmentRequest, on_delete=models.CASCADE, related_name="copy_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    # The e-mail that carried it, whose copy of the code is blanked once it is worthless.
    notification = models.ForeignKey(
        "notifications.Notification", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["appointment_request", "created_at"])]

    def __str__(self) -> str:
        return f"Copy code for {self.appointment_request_id} ({self.created_at:%Y-%m-%d %H:%M})"
