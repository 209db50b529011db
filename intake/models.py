"""Patients, their intakes and appointment requests, and the clinic's sites and therapists."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from conditions.categories import Category, Triage

TEXT_LIMIT = 1000  # free-text answers and notes


class Location(models.Model):
    """One of the clinic's sites."""

    name = models.CharField(max_length=100, unique=True)
    address = models.CharField(max_length=200)
    phone = models.CharField(max_length=30)
    is_active = models.BooleanField(default=True, help_text="Shown to patients as a choice.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Therapist(models.Model):
    """A staff user who treats patients."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="therapist"
    )
    locations = models.ManyToManyField(Location, related_name="therapists")
    specialties = models.ManyToManyField(
        "conditions.ConditionCategory", blank=True, related_name="therapists"
    )
    accepting_new_patients = models.BooleanField(default=True)
    on_call = models.BooleanField(default=False, help_text="Alerted at once about urgent intakes.")

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    SMS = "sms", "Text message"
    EMAIL = "email", "E-mail"


class Patient(models.Model):
    """Contact details and preferences, as the patient gave them (questionnaire section C)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=30)
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod.choices)
    preferred_language = models.CharField(max_length=50, default="English")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # Staff search by e-mail in any letter case. The start-of-name searches use
            # PostgreSQL-only pattern indexes made in migration 0005_staff_search_indexes.
            models.Index(Upper("email"), name="patient_email_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


def triage_rank() -> models.Case:
    """0 for emergency, 1 for urgent, 2 for routine: the review queue's order (and index)."""
    return models.Case(
        *(
            models.When(triage=level.value, then=models.Value(rank))
            for rank, level in enumerate(sorted(Triage, reverse=True))
        ),
        default=models.Value(len(Triage)),
        output_field=models.IntegerField(),
    )


class Intake(models.Model):
    """One completed questionnaire and the pre-screen computed from it when submitted."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="intakes")
    questionnaire_version = models.CharField(max_length=20)
    answers = models.JSONField(help_text="Answers keyed by linkId, as validated.")
    age_at_submission = models.PositiveSmallIntegerField(validators=[MaxValueValidator(120)])
    prescreen = models.JSONField(help_text="The stored pre-screen result.")
    ruleset_version = models.CharField(max_length=20)
    triage = models.CharField(max_length=10, choices=Triage.choices)
    # Empty when no category has any support (for example, only red flags were reported).
    top_category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    needs_review = models.BooleanField()
    submitted_at = models.DateTimeField(default=timezone.now)
    # The therapist looking at it, and when a therapist's review was first recorded.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_intakes",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["needs_review", "triage", "submitted_at"]),
            models.Index(fields=["top_category", "submitted_at"]),
            models.Index(fields=["submitted_at"]),
            models.Index(fields=["triage", "submitted_at"]),
            # The review queue's order, whole and for what still waits (intake/selectors.py).
            models.Index(
                triage_rank(), models.F("submitted_at"), models.F("id"), name="intake_queue_order"
            ),
            models.Index(
                triage_rank(),
                models.F("submitted_at"),
                models.F("id"),
                name="intake_queue_waiting",
                condition=models.Q(reviewed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Intake {self.pk} ({self.get_triage_display()})"


class TimeOfDay(models.TextChoices):
    WEEKDAY_MORNING = "weekday_morning", "Weekday mornings"
    WEEKDAY_AFTERNOON = "weekday_afternoon", "Weekday afternoons"
    WEEKDAY_EVENING = "weekday_evening", "Weekday evenings"
    SATURDAY = "saturday", "Saturday"


class ReferralSource(models.TextChoices):
    SELF = "self", "I found you myself"
    PHYSICIAN = "physician", "A physician referred me"
    OTHER_CLINICIAN = "other_clinician", "Another clinician referred me"


class Payment(models.TextChoices):
    INSURANCE = "insurance", "Insurance"
    SELF_PAY = "self_pay", "Self-pay"


class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    NO_RESPONSE = "no_response", "No response"
    COMPLETED = "completed", "Completed"


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
    cancel_reason = models.CharField(max_length=200, blank=True)
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
                condition=models.Q(status__in=["new", "contacted", "no_response"]),
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


class Review(models.Model):
    """A therapist's verdict on an intake's pre-screen: kept so agreement can be measured."""

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intake_reviews"
    )
    # What the pre-screen ranked first when the review was made (empty: it ranked nothing).
    prescreen_category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    agrees = models.BooleanField(help_text="Agrees with the pre-screen's top category.")
    category = models.CharField(max_length=20, choices=Category.choices)
    note = models.TextField(max_length=TEXT_LIMIT, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agrees=True) | ~models.Q(note=""),
                name="review_disagreement_has_note",
            )
        ]

    def __str__(self) -> str:
        return f"Review of intake {self.intake_id} by {self.reviewer}"


class ReferralDestination(models.TextChoices):
    PHYSICIAN = "physician", "Physician"
    ORTHOPAEDIC_SURGEON = "orthopaedic_surgeon", "Orthopaedic surgeon"
    IMAGING = "imaging", "Imaging"
    EMERGENCY_CARE = "emergency_care", "Emergency care"


class Referral(models.Model):
    """An outbound referral a therapist writes from an intake, printed as a letter."""

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="referrals")
    destination = models.CharField(max_length=20, choices=ReferralDestination.choices)
    reason = models.TextField(max_length=TEXT_LIMIT)
    impression = models.TextField(
        max_length=TEXT_LIMIT, blank=True, help_text="The therapist's impression, for the letter."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_written"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Referral to {self.get_destination_display().lower()} ({self.intake_id})"
