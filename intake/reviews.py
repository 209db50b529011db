"""Services for therapists: take an intake, record a review of its pre-screen, refer out."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conditions.categories import Category
from intake.models import TEXT_LIMIT, Intake, Referral, ReferralDestination, Review


def intake_assign(*, intake: Intake, user: AbstractBaseUser) -> None:
    """Make `user` the therapist looking at the intake."""
    Intake.objects.filter(pk=intake.pk).update(assigned_to=user)
    intake.assigned_to = user


def review_record(
    *,
    intake: Intake,
    reviewer: AbstractBaseUser,
    agrees: bool,
    category: str = "",
    note: str = "",
) -> Review:
    """Record a therapist's review. Agreeing takes the pre-screen's top category; otherwise
    the therapist names another category and must say why in the note. The intake counts as
    reviewed from its first review.

    Raises ``ValidationError`` (keyed by field) when the review is incomplete.
    """
    note = note.strip()
    if agrees:
        if not intake.top_category:
            raise ValidationError(
                {"agrees": "The pre-screen ranked no category: choose one and add a note."}
            )
        category = intake.top_category
    else:
        errors = {}
        if category not in Category.values:
            errors["category"] = "Choose the category you think fits."
        elif category == intake.top_category:
            errors["category"] = (
                "That is the pre-screen's category: choose “agree” or a different category."
            )
        if not note:
            errors["note"] = "Say why you chose a different category."
        if errors:
            raise ValidationError(errors)
    if len(note) > TEXT_LIMIT:
        raise ValidationError({"note": f"Please keep the note to {TEXT_LIMIT:,} characters."})

    now = timezone.now()
    with transaction.atomic():
        review = Review.objects.create(
            intake=intake,
            reviewer=reviewer,
            prescreen_category=intake.top_category,
            agrees=agrees,
            category=category,
            note=note,
            created_at=now,
        )
        if Intake.objects.filter(pk=intake.pk, reviewed_at__isnull=True).update(reviewed_at=now):
            intake.reviewed_at = now
    return review


def referral_create(
    *,
    intake: Intake,
    destination: str,
    reason: str,
    created_by: AbstractBaseUser,
    impression: str = "",
) -> Referral:
    """Write an outbound referral for the intake's patient; the letter is printed from it.

    Raises ``ValidationError`` (keyed by field) for an unknown destination or no reason.
    """
    reason, impression = reason.strip(), impression.strip()
    errors = {}
    if destination not in ReferralDestination.values:
        errors["destination"] = "Choose who the patient is referred to."
    if not reason:
        errors["reason"] = "Give the reason for the referral."
    for field, text in (("reason", reason), ("impression", impression)):
        if len(text) > TEXT_LIMIT:
            errors[field] = f"Please keep this to {TEXT_LIMIT:,} characters."
    if errors:
        raise ValidationError(errors)
    return Referral.objects.create(
        intake=intake,
        destination=destination,
        reason=reason,
        impression=impression,
        created_by=created_by,
    )
