"""Contact with a patient about a request: the calls the front desk owes (`CallTask`) and
every attempt to reach the patient (`ContactAttempt`). One concept: an attempt that reaches
the patient closes the calls then owed."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from intake.models.patients import ContactMethod

# A line about the attempt for whoever calls next ("asked to call back after 5pm"). Every
# staff member reads it, the front desk included: nothing clinical goes here.
ATTEMPT_NOTE_LIMIT = 200


class CallTask(models.Model):
    """One call on the board, until someone reaches the patient: what a patient message would
    have told a patient who prefers a phone call, or a follow-up after a therapist's onward
    referral (`what`). A call with a due day is owed from that day on."""

    request = models.ForeignKey(
        "intake.AppointmentRequest", on_delete=models.CASCADE, related_name="call_tasks"
    )
    # What it stands for (a patient message, `intake.announcements.NotificationKind`, or a
    # referral's follow-up), and its dedupe key: one call per message or referral.
    kind = models.CharField(max_length=40)
    dedupe_key = models.CharField(max_length=64, blank=True, default="")
    what = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    due_on = models.DateField(null=True, blank=True, help_text="Empty: owed at once.")
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


def calls_owed_at(moment: datetime) -> models.Q:
    """The call tasks owed at `moment` (a filter): not done, and due by that day."""
    return models.Q(done_at__isnull=True) & (
        models.Q(due_on__isnull=True) | models.Q(due_on__lte=timezone.localdate(moment))
    )


class AttemptOutcome(models.TextChoices):
    REACHED = "reached", "Reached the patient"
    NO_ANSWER = "no_answer", "No answer"
    LEFT_MESSAGE = "left_message", "Left a message"
    WRONG_NUMBER = "wrong_number", "Wrong number or address"


class ContactAttempt(models.Model):
    """One attempt by the front desk (or anyone on the staff) to reach the patient about a
    request: who, when, how, what came of it, and a short non-clinical note."""

    request = models.ForeignKey(
        "intake.AppointmentRequest", on_delete=models.CASCADE, related_name="contact_attempts"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    channel = models.CharField(max_length=10, choices=ContactMethod.choices)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    note = models.CharField(max_length=ATTEMPT_NOTE_LIMIT, blank=True)

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["request", "made_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.get_outcome_display().lower()}"
