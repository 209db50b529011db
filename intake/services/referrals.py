"""Outbound referrals a therapist writes from an intake (printed as a letter)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from intake.models import TEXT_LIMIT, Intake, Referral, ReferralDestination


def referral_create(
    *,
    intake: Intake,
    destination: str,
    reason: str,
    created_by: User,
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
