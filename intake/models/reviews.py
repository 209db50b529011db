"""Therapists' reviews of the pre-screen, and the referrals they write."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from conditions.categories import Category, Triage
from intake.models.intakes import TEXT_LIMIT, Intake


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
    # The therapist's own triage level beside the pre-screen's at the time, so triage
    # agreement can be measured (empty on reviews recorded before it was asked).
    prescreen_triage = models.CharField(max_length=10, choices=Triage.choices, blank=True)
    triage = models.CharField(max_length=10, choices=Triage.choices, blank=True)
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
    ORTHOPAEDIC_SURGEON = "orthopaedic_surgeon", "Orthopedic surgeon"
    IMAGING = "imaging", "Imaging"
    EMERGENCY_CARE = "emergency_care", "Emergency care"


class ReferralContact(models.Model):
    """The directory of referral destinations: a clinician or a service the clinic refers
    to, with how to reach them (the letter's addressee)."""

    kind = models.CharField(max_length=20, choices=ReferralDestination.choices)
    name = models.CharField(max_length=120, help_text="The clinician or the service.")
    practice = models.CharField(max_length=120, blank=True)
    address = models.TextField(max_length=400, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    fax = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.practice}" if self.practice else self.name


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    SEEN = "seen", "Patient seen"
    RESULT_RECEIVED = "result_received", "Result received"


class SentVia(models.TextChoices):
    PRINTED = "printed", "Printed"
    EMAILED = "emailed", "E-mailed"
    FAXED = "faxed", "Faxed"


# Which moves a referral may make: forward only, a step may be skipped (a result can arrive
# without an acknowledgement). The one table the service and the pages read.
REFERRAL_MOVES: dict[str, frozenset[str]] = {
    ReferralStatus.DRAFT: frozenset({ReferralStatus.SENT}),
    ReferralStatus.SENT: frozenset(
        {ReferralStatus.ACKNOWLEDGED, ReferralStatus.SEEN, ReferralStatus.RESULT_RECEIVED}
    ),
    ReferralStatus.ACKNOWLEDGED: frozenset({ReferralStatus.SEEN, ReferralStatus.RESULT_RECEIVED}),
    ReferralStatus.SEEN: frozenset({ReferralStatus.RESULT_RECEIVED}),
    ReferralStatus.RESULT_RECEIVED: frozenset(),
}


class Referral(models.Model):
    """An outbound referral a therapist writes from an intake, printed as a letter, and
    tracked until its result arrives."""

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
    contact = models.ForeignKey(
        ReferralContact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        help_text="The addressee, from the directory.",
    )
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    sent_via = models.CharField(max_length=10, choices=SentVia.choices, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(
        null=True, blank=True, help_text="When the result should be back; overdue after."
    )
    reminded_on = models.DateField(null=True, blank=True)
    # When anything last changed: the record system asks for what changed since it last
    # looked (FHIR's _lastUpdated), a move along the tracking included.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_on"], name="referral_open_due")]

    def __str__(self) -> str:
        return f"Referral to {self.get_destination_display().lower()} ({self.intake_id})"
