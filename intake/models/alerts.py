"""Red-flag alerts: an urgent or emergency intake must be answered by a clinician.

An alert is raised with the intake and goes through one lifecycle: raised, acknowledged (who,
when), patient contacted (with the outcome), closed. Until someone acknowledges it, the
escalation chain (`intake.escalation`) tells more people at each step; `steps_sent` and
`next_step_at` say how far it has gone and when it goes on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from conditions.categories import Triage
from intake.models.intakes import Intake


class AlertStatus(models.TextChoices):
    RAISED = "raised", "Not acknowledged"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CONTACTED = "contacted", "Patient contacted"
    CLOSED = "closed", "Closed"


class ContactOutcome(models.TextChoices):
    EMERGENCY_CARE = "emergency_care", "Sent to emergency care"
    SEE_DOCTOR = "see_doctor", "Advised to see their doctor"
    BOOKED = "booked", "Booked"
    NOT_REACHED = "not_reached", "Could not reach"
    DECLINED = "declined", "Declined"


# The statuses each move starts from. Recording a contact acknowledges a raised alert too (the
# clinician who calls has seen it), and may be recorded again (a second call after "could not
# reach"). Closing needs a recorded contact, so every closed alert says how it ended.
ACKNOWLEDGE_FROM = frozenset({AlertStatus.RAISED})
CONTACT_FROM = frozenset({AlertStatus.RAISED, AlertStatus.ACKNOWLEDGED, AlertStatus.CONTACTED})
CLOSE_FROM = frozenset({AlertStatus.CONTACTED})
OPEN_ALERT_STATUSES = (AlertStatus.RAISED, AlertStatus.ACKNOWLEDGED, AlertStatus.CONTACTED)


class RedFlagAlert(models.Model):
    """The alert about one urgent or emergency intake, and how far it has got."""

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="alert")
    # The intake's triage when it was raised: it picks the escalation chain.
    level = models.CharField(max_length=10, choices=Triage.choices)
    status = models.CharField(
        max_length=12, choices=AlertStatus.choices, default=AlertStatus.RAISED
    )
    raised_at = models.DateTimeField(default=timezone.now)
    # How many steps of the chain have been recorded, and when the next one is due (empty
    # once acknowledged or when no step is left).
    steps_sent = models.PositiveSmallIntegerField(default=0)
    next_step_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts_acknowledged",
    )
    contacted_at = models.DateTimeField(null=True, blank=True)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts_contacted",
    )
    contact_outcome = models.CharField(max_length=20, choices=ContactOutcome.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts_closed",
    )

    class Meta:
        verbose_name = "red-flag alert"
        ordering = ["-raised_at"]
        indexes = [
            # The beat's question every half minute: which raised alerts are due a step.
            models.Index(
                fields=["next_step_at"],
                name="alert_escalation_due",
                condition=models.Q(status="raised"),
            ),
            models.Index(fields=["status", "raised_at"]),
            models.Index(fields=["acknowledged_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="raised")
                | models.Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="alert_past_raised_is_acknowledged",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["contacted", "closed"])
                | (models.Q(contacted_at__isnull=False) & ~models.Q(contact_outcome="")),
                name="alert_contacted_has_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="alert_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Red-flag alert {self.pk}"
