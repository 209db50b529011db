"""Calls the front desk owes a patient who asked to be phoned rather than written to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class CallTask(models.Model):
    """One call on the board: what a patient message would have told a patient who prefers a
    phone call (`what`), until the front desk marks it done."""

    request = models.ForeignKey(
        "intake.AppointmentRequest", on_delete=models.CASCADE, related_name="call_tasks"
    )
    # The patient message it stands for (`intake.announcements.NotificationKind`), and its
    # dedupe key: one call per message, however often the event is announced.
    kind = models.CharField(max_length=40)
    dedupe_key = models.CharField(max_length=64, blank=True, default="")
    what = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "dedupe_key"], name="one_call_task_per_message"
            )
        ]
        indexes = [models.Index(fields=["request", "done_at"])]

    def __str__(self) -> str:
        return f"Call the patient: {self.what}"
