"""Therapists' reviews of the pre-screen, and the referrals they write."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from conditions.categories import Category
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
