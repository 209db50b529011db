"""Intakes: one completed questionnaire and the pre-screen computed from it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from conditions.categories import Category, Triage
from intake.models.patients import Patient

TEXT_LIMIT = 1000  # free-text answers and notes


def triage_rank(field: str = "triage") -> models.Case:
    """0 for emergency, 1 for urgent, 2 for routine: the review queue's order (and index), and
    the request board's (``field="intake__triage"``)."""
    return models.Case(
        *(
            models.When(**{field: level.value}, then=models.Value(rank))
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
    # What the patient wrote about their knee beyond the questions: clinical, so it is kept
    # with the answers (therapists only), apart from the request's note for booking.
    knee_notes = models.TextField(max_length=TEXT_LIMIT, blank=True)
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
            # The review queue's order, whole and for what still waits (intake/selectors/queue.py).
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
