"""The outbox: one message to one recipient, recorded in the transaction of the event it
announces and delivered afterwards by a Celery task."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from notifications import kinds


class NotificationChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "Text message"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One message to one recipient. What it says is fixed when it is recorded: the subject,
    the template and the small context the template needs, so delivery reads nothing else.
    The announcing app keeps clinical detail out of all three."""

    # The announcing app's vocabulary (`notifications.kinds`).
    kind = models.CharField(max_length=40, choices=kinds.choices)
    channel = models.CharField(
        max_length=10, choices=NotificationChannel.choices, default=NotificationChannel.EMAIL
    )
    recipient = models.CharField(max_length=254)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    # What the message is about, as the announcing app names it (a request's reference):
    # shown to staff, part of the Message-ID, and the scope of the once-only rule.
    topic = models.CharField(max_length=64)
    # Tells apart messages of one kind about one topic that may rightly be sent again to the
    # same person (a re-scheduled appointment, the failure of another notification). Empty
    # for the kinds that are sent once per topic and recipient.
    dedupe_key = models.CharField(max_length=64, blank=True, default="")
    # For a failure report: the notification that could not be delivered.
    about = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="failure_reports"
    )
    # A text message's e-mail address to fall back on when it fails for good (the copy
    # records ``replaces``); empty for e-mail and for texts with nowhere else to go.
    fallback_recipient = models.CharField(max_length=254, blank=True, default="")
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replacements"
    )
    subject = models.CharField(max_length=200)
    # Rendered by the worker: `<template>.txt` and `<template>.html` with `context` for an
    # e-mail, `<template>.sms.txt` for a text message.
    template = models.CharField(max_length=100)
    context = models.JSONField(default=dict, blank=True)
    # The language it is rendered in (a code of settings.LANGUAGES: the patient's); empty for
    # the site's own (staff messages).
    language = models.CharField(max_length=16, blank=True, default="")
    # Files sent with the message, fixed when it is recorded (a calendar invite): a list of
    # {"filename", "content" (text), "mimetype"}.
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The Message-ID of an e-mail; the provider's id of a text message.
    message_id = models.CharField(max_length=200, blank=True)
    # A text message's last delivery receipt from the provider (delivered, undelivered...).
    receipt = models.CharField(max_length=20, blank=True, default="")
    receipt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        # The table the model had when it lived in intake: moved with its rows.
        db_table = "intake_notification"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            # Delivery receipts name the provider's id.
            models.Index(fields=["message_id"], name="notification_message_id"),
            models.Index(fields=["status", "claimed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "kind", "recipient", "dedupe_key"],
                name="one_notification_per_topic_kind_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.get_status_display()})"


class Outage(models.Model):
    """A stretch of time in which the mail server took no message: opened by the first
    transient failure after a success, closed by the next success. Managers are told once
    per outage (``reported_at``), over the fallback relay when there is one, and the staff
    pages show it while it lasts."""

    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    failures = models.PositiveIntegerField(default=0)
    reported_at = models.DateTimeField(null=True, blank=True)
    # Which mailer carried the report ("fallback" or "default"), for the admin.
    reported_via = models.CharField(max_length=20, blank=True)
    # Always "email" (the one channel): the unique constraint below allows one open outage.
    channel = models.CharField(
        max_length=10, choices=NotificationChannel.choices, default=NotificationChannel.EMAIL
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_outage_per_channel",
            )
        ]

    def __str__(self) -> str:
        return f"Mail outage since {self.started_at:%Y-%m-%d %H:%M}"


class SmsConsent(models.Model):
    """Whether a phone number takes our text messages, as its owner last said: STOP (and the
    other opt-out words) in a reply stops them, START takes them again. Checked just before
    each text is sent, whatever was recorded when it was queued."""

    number = models.CharField(max_length=20, unique=True)  # E.164
    subscribed = models.BooleanField(default=True)
    # The word of the reply that set it ("STOP", "START"), or how else it was set.
    keyword = models.CharField(max_length=20, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "text message consent"

    def __str__(self) -> str:
        return f"{self.number}: {'subscribed' if self.subscribed else 'stopped'}"
