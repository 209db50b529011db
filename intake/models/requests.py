"""Appointment requests: what the front desk works with, and the lifecycle of their statuses."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.models.clinic import Location, Therapist
from intake.models.intakes import TEXT_LIMIT, Intake
from intake.models.patients import Patient

CANCEL_REASON_LIMIT = 200  # the reason the patient is told


class TimeOfDay(models.TextChoices):
    WEEKDAY_MORNING = "weekday_morning", _("Weekday mornings")
    WEEKDAY_AFTERNOON = "weekday_afternoon", _("Weekday afternoons")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    SATURDAY = "saturday", _("Saturday")


class ReferralSource(models.TextChoices):
    SELF = "self", _("I found you myself")
    PHYSICIAN = "physician", _("A physician referred me")
    OTHER_CLINICIAN = "other_clinician", _("Another clinician referred me")


class Payment(models.TextChoices):
    INSURANCE = "insurance", _("Insurance")
    SELF_PAY = "self_pay", _("Self-pay")


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    NO_RESPONSE = "no_response", _("No response")
    COMPLETED = "completed", _("Completed")


@dataclass(frozen=True)
class StatusRule:
    """What a request's status allows: the one table the services, the board and the
    front desk's index are derived from."""

    # The front desk still has to act on it: the board opens on these.
    open: bool
    # The patient may cancel it from their status page.
    patient_cancellable: bool
    # The statuses a staff member may move a request to this one from.
    reached_from: frozenset[RequestStatus]
    # Nobody will see the patient for it any more (cancelled, or the visit took place): it
    # leaves the therapists' waiting list and escalates no review.
    closed: bool = False


_WAITING = frozenset({RequestStatus.NEW, RequestStatus.CONTACTED, RequestStatus.NO_RESPONSE})

LIFECYCLE: dict[RequestStatus, StatusRule] = {
    RequestStatus.NEW: StatusRule(open=True, patient_cancellable=True, reached_from=frozenset()),
    RequestStatus.CONTACTED: StatusRule(
        open=True,
        patient_cancellable=True,
        reached_from=frozenset({RequestStatus.NEW, RequestStatus.NO_RESPONSE}),
    ),
    # Scheduling again moves the appointment.
    RequestStatus.SCHEDULED: StatusRule(
        open=False, patient_cancellable=True, reached_from=_WAITING | {RequestStatus.SCHEDULED}
    ),
    RequestStatus.CANCELLED: StatusRule(
        open=False,
        patient_cancellable=False,
        reached_from=_WAITING | {RequestStatus.SCHEDULED},
        closed=True,
    ),
    RequestStatus.NO_RESPONSE: StatusRule(
        open=True,
        patient_cancellable=False,
        reached_from=frozenset({RequestStatus.NEW, RequestStatus.CONTACTED}),
    ),
    # The front desk records that the patient came to the booked visit (scheduling).
    RequestStatus.COMPLETED: StatusRule(
        open=False,
        patient_cancellable=False,
        reached_from=frozenset({RequestStatus.SCHEDULED}),
        closed=True,
    ),
}
# In the declaration order of RequestStatus, as the partial index was made.
OPEN_STATUSES: tuple[RequestStatus, ...] = tuple(s for s in RequestStatus if LIFECYCLE[s].open)
PATIENT_CANCELLABLE = frozenset(s for s in RequestStatus if LIFECYCLE[s].patient_cancellable)
CLOSED_STATUSES: tuple[RequestStatus, ...] = tuple(s for s in RequestStatus if LIFECYCLE[s].closed)


class AppointmentRequest(models.Model):
    """What the front desk works with: who, where, when, how to pay. No clinical answers."""

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="request")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="requests")
    reference = models.CharField(max_length=12, unique=True, editable=False)
    # One per submission: a double click or a resent final step finds this row again.
    submission_token = models.UUIDField(unique=True, editable=False)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="requests")
    preferred_times = models.JSONField(default=list, help_text="TimeOfDay codes.")
    therapist_preference = models.ForeignKey(
        Therapist,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty means the first available therapist.",
    )
    referral_source = models.CharField(max_length=20, choices=ReferralSource.choices)
    referrer_name = models.CharField(max_length=100, blank=True)
    referrer_practice = models.CharField(max_length=100, blank=True)
    # Where the acknowledgement letter goes, and the patient's consent to send it (the letter
    # says only that they contacted the clinic: intake/announcements.py).
    referrer_email = models.EmailField(blank=True)
    referrer_may_be_told = models.BooleanField(default=False)
    payment = models.CharField(max_length=10, choices=Payment.choices)
    insurance_provider = models.CharField(max_length=100, blank=True)
    insurance_member_number = models.CharField(max_length=50, blank=True)
    notes = models.TextField(max_length=TEXT_LIMIT, blank=True)
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)
    scheduled_therapist = models.ForeignKey(
        Therapist, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    cancel_reason = models.CharField(max_length=CANCEL_REASON_LIMIT, blank=True)
    consent_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["location", "status"]),
            # The front desk's board opens on the open requests, oldest first.
            models.Index(
                fields=["created_at", "id"],
                name="request_board_open",
                condition=models.Q(status__in=[status.value for status in OPEN_STATUSES]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="scheduled")
                | models.Q(scheduled_at__isnull=False, scheduled_therapist__isnull=False),
                name="scheduled_request_has_time_and_therapist",
            )
        ]

    def __str__(self) -> str:
        return self.reference
