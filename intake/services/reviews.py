"""Therapists' services: take an intake, record a review of its pre-screen."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conditions.categories import Category, Triage
from intake.models import TEXT_LIMIT, Intake, Review


def intake_assign(*, intake: Intake, user: User) -> None:
    """Make `user` the therapist looking at the intake."""
    Intake.objects.filter(pk=intake.pk).update(assigned_to=user)
    intake.assigned_to = user


def review_record(
    *,
    intake: Intake,
    reviewer: User,
    agrees: bool,
    category: str = "",
    note: str = "",
    triage: str = "",
) -> Review:
    """Record a therapist's review. Agreeing takes the pre-screen's top category; otherwise
    the therapist names another category and must say why in the note. The intake counts as
    reviewed from its first review. The therapist's own triage level (optional) is kept
    beside the pre-screen's; it changes nothing about the intake's triage, which a review
    never lowers.

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
    if triage and triage not in Triage.values:
        raise ValidationError({"triage": "Choose a triage level."})
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
            prescreen_triage=intake.triage,
            triage=triage,
            created_at=now,
        )
        if Intake.objects.filter(pk=intake.pk, reviewed_at__isnull=True).update(reviewed_at=now):
            intake.reviewed_at = now
    return review
