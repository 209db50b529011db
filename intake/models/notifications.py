"""The outbox: one message to one recipient, recorded with the event it announces."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from intake.models.requests import AppointmentRequest


class NotificationKind(models.TextChoices):
    NEW_REQUEST_STAFF = "new_request_staff", "New request (staff)"
    URGENT_ALERT = "urgent_alert", "Urgent alert (on call and managers)"
    PATIENT_ACK = "patient_ack", "Acknowledgement (patient)"
    PATIENT_SCHEDULED = "patient_scheduled", "Appointment scheduled (patient)"
    PATIENT_CANCELLED = "patient_cancelled", "Request cancelled (patient)"
    ESCALATION = "escalation", "Escalation: intake not reviewed (managers)"
    DELIVERY_FAILED = "delivery_failed", "Delivery failed (managers)"


class NotificationChannel(models.TextChoices):
    EMAIL = "email", "E-mail"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One message to one recipient, recorded in the transaction of the event it announces
    (the outbox) and delivered afterwards by a Celery task. It never holds clinical detail:
    the message is rendered from the request's reference, triage level and location."""

    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    channel = models.CharField(
        max_length=10, choices=NotificationChannel.choices, default=NotificationChannel.EMAIL
    )
    recipient = models.EmailField(max_length=254)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    request = models.ForeignKey(
        AppointmentRequest, on_delete=models.PROTECT, related_name="notifications"
    )
    # Tells apart messages of one kind that may rightly be sent again to the same person:
    # a re-schedule (the new time and therapist) or the failure of another notification.
    # Empty for the kinds that are sent once per request and recipient.
    dedupe_key = models.CharField(max_length=64, blank=True, default="")
    # For delivery_failed: the notification that could not be delivered.
    about = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="failure_reports"
    )
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "claimed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "recipient", "dedupe_key"],
                name="one_notification_per_request_kind_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.get_status_display()})"
