"""Outbound referrals a therapist writes from an intake: printed (or e-mailed, faxed) as a
letter, then tracked until the result is back (draft → sent → acknowledged → seen →
result received), with a due date after which the author is reminded."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from intake.calendar import add_business_days
from intake.models import (
    REFERRAL_MOVES,
    TEXT_LIMIT,
    Intake,
    Referral,
    ReferralContact,
    ReferralDestination,
    ReferralStatus,
    SentVia,
)
from intake.services.contact import call_task_after_referral

# Business days from sending to the result being back, by destination: emergency care
# sees the patient the same day, imaging within the week, specialists take longer.
DUE_BUSINESS_DAYS = {
    ReferralDestination.EMERGENCY_CARE: 1,
    ReferralDestination.IMAGING: 5,
    ReferralDestination.PHYSICIAN: 10,
    ReferralDestination.ORTHOPAEDIC_SURGEON: 15,
}


def referral_due_on(destination: str) -> date:
    """The due date of a referral to `destination` sent now."""
    days = DUE_BUSINESS_DAYS[ReferralDestination(destination)]
    return add_business_days(timezone.now(), days).date()


def referral_create(
    *,
    intake: Intake,
    destination: str,
    reason: str,
    created_by: User,
    impression: str = "",
    contact: ReferralContact | None = None,
    now: datetime | None = None,
) -> Referral:
    """Write an outbound referral (a draft until it is sent) for the intake's patient,
    addressed to `contact` from the directory when given. A red-flag referral to emergency
    care or imaging puts a follow-up call for the next working day on the front desk's board.

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
    if contact is not None and not contact.is_active:
        errors["contact"] = "That addressee is no longer in the directory."
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        referral = Referral.objects.create(
            intake=intake,
            destination=destination,
            reason=reason,
            impression=impression,
            created_by=created_by,
            contact=contact,
            created_at=now,
        )
        call_task_after_referral(referral=referral, now=now)
    return referral


def referral_advance(*, referral: Referral, to: str, via: str = "") -> Referral:
    """Move the referral on (REFERRAL_MOVES says which moves are allowed). Sending says how
    it went and sets the due date from the destination.

    Raises ``ValidationError`` for a move the table does not allow, or sending without how.
    """
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if to not in REFERRAL_MOVES.get(locked.status, frozenset()):
            raise ValidationError(
                f"A referral that is {locked.get_status_display().lower()} cannot become "
                f"{ReferralStatus(to).label.lower() if to in ReferralStatus.values else to}."
            )
        now = timezone.now()
        locked.status, locked.status_changed_at = to, now
        if to == ReferralStatus.SENT:
            if via not in SentVia.values:
                raise ValidationError({"via": "Say how the referral was sent."})
            locked.sent_via, locked.sent_at = via, now
            locked.due_on = referral_due_on(locked.destination)
        locked.save()
    return locked
