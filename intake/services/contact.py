"""How a patient may be reached and every attempt to reach them: consent to text messages
(given on the form, withdrawn or given again by a reply to one of our texts), the calls the
front desk owes, and the contact attempts that close them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from intake.calendar import next_business_day
from intake.models import (
    ATTEMPT_NOTE_LIMIT,
    AppointmentRequest,
    AttemptOutcome,
    CallTask,
    ContactAttempt,
    ContactMethod,
    Patient,
    Referral,
    ReferralDestination,
    calls_owed_at,
)
from notifications.sms import e164

# A therapist's onward referral for a red flag to one of these gets a call the next working
# day: did the patient get there, and what now.
FOLLOW_UP_DESTINATIONS = frozenset(
    {ReferralDestination.EMERGENCY_CARE, ReferralDestination.IMAGING}
)
REFERRAL_FOLLOW_UP = "referral_follow_up"
# The front desk sees this line: it names no destination or finding (those are clinical).
REFERRAL_FOLLOW_UP_WHAT = "Check in after the therapist's onward referral (were they seen?)"
# A clock a little ahead of the server's is not "a time still to come".
_CLOCK_SLACK = timedelta(minutes=5)


def patients_sms_consent_changed(*, number: str, subscribed: bool) -> int:
    """Record a STOP (``subscribed`` False) or START reply from ``number`` on every patient
    with that number (``SMS_CONSENT_HANDLER``); returns how many. A START only restores a
    consent the patient gave on the form once: it never opts in a patient who did not."""
    patients = Patient.objects.filter(sms_number=number, sms_consent=not subscribed)
    if subscribed:
        patients = patients.exclude(sms_consent_at__isnull=True)
    return patients.update(sms_consent=subscribed, sms_consent_at=timezone.now())


def sms_contact_fields(*, phone: str, consent: bool, now: datetime) -> dict[str, object]:
    """A new patient's text-message fields: the number in E.164 form, stored with the
    consent (none when the number cannot take texts)."""
    number = e164(phone, country_code=settings.SMS_COUNTRY_CODE) if consent else None
    if number is None:
        return {"sms_consent": False, "sms_consent_at": None, "sms_number": ""}
    return {"sms_consent": True, "sms_consent_at": now, "sms_number": number}


def contact_attempt_record(
    *,
    appointment_request: AppointmentRequest,
    user: User,
    channel: str,
    outcome: str,
    note: str = "",
    made_at: datetime | None = None,
    now: datetime | None = None,
) -> ContactAttempt:
    """Record an attempt to reach the patient about a request (`made_at`: when, now if not
    given). Reaching them closes the calls owed at that time, each saved on its own so the
    audit trail names who closed it and when; a call due later (a referral's follow-up) stays.

    Raises ``ValidationError`` (keyed by field) for an unknown channel or outcome, a note
    over the limit, or a time still to come.
    """
    now = now or timezone.now()
    made_at = made_at or now
    note = note.strip()
    errors = {}
    if channel not in ContactMethod.values:
        errors["channel"] = "Choose how you tried to reach the patient."
    if outcome not in AttemptOutcome.values:
        errors["outcome"] = "Choose what came of the attempt."
    if len(note) > ATTEMPT_NOTE_LIMIT:
        errors["note"] = f"Please keep the note to {ATTEMPT_NOTE_LIMIT} characters."
    if made_at > now + _CLOCK_SLACK:
        errors["made_at"] = "That time is still to come: give when the attempt was made."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        attempt = ContactAttempt.objects.create(
            request=appointment_request,
            made_by=user,
            made_at=made_at,
            recorded_at=now,
            channel=channel,
            outcome=outcome,
            note=note,
        )
        if outcome == AttemptOutcome.REACHED:
            for task in CallTask.objects.select_for_update().filter(
                calls_owed_at(made_at), request=appointment_request, created_at__lte=made_at
            ):
                task.done_at, task.done_by_id = made_at, user.pk
                task.save(update_fields=["done_at", "done_by"])
    return attempt


def call_task_after_referral(*, referral: Referral, now: datetime) -> CallTask | None:
    """The follow-up call owed after a referral to emergency care, or to imaging for a red
    flag: due the next working day (weekends and the clinic's closures skipped); None for any
    other referral. Once per referral."""
    if referral.destination not in FOLLOW_UP_DESTINATIONS:
        return None
    # A therapist who sends a patient to emergency care has judged it an emergency, whatever
    # the pre-screen found: that call is owed in every case.
    if referral.destination != ReferralDestination.EMERGENCY_CARE and not (
        referral.intake.prescreen.get("red_flags")
    ):
        return None
    appointment_request = AppointmentRequest.objects.filter(intake_id=referral.intake_id).first()
    if appointment_request is None:
        return None
    task, _ = CallTask.objects.get_or_create(
        request=appointment_request,
        kind=REFERRAL_FOLLOW_UP,
        dedupe_key=f"referral-{referral.pk}",
        defaults={
            "what": REFERRAL_FOLLOW_UP_WHAT,
            "due_on": next_business_day(now),
            "created_at": now,
        },
    )
    return task
