"""Submitting an intake: validate, pre-screen, and save it with its appointment request, its
red-flag alert if it raised one, and the messages it announces, in one transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.creations import creations_recorded_together
from conditions.prescreen import PrescreenResult, prescreen
from intake import questionnaire
from intake.announcements import notifications_for_new_request
from intake.models import (
    AppointmentRequest,
    Intake,
    Location,
    Patient,
    Therapist,
)
from intake.services.alerts import alert_raise
from intake.services.contact import sms_contact_fields

# The privacy notice patients agree to (intake/templates/intake/privacy.html); a new wording
# is a new version, so each stored consent names the notice it agreed to.
CONSENT_VERSION = "privacy-2026-12"
# No 0/O, 1/I/L: a reference is read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True, kw_only=True)
class PatientDetails:
    first_name: str
    last_name: str
    date_of_birth: date
    email: str
    phone: str
    preferred_contact: str
    preferred_language: str = "en-us"  # a code of settings.LANGUAGES
    # Asked with the phone number: may we text it?
    sms_consent: bool = False


@dataclass(frozen=True, kw_only=True)
class RequestDetails:
    location: Location
    preferred_times: list[str] = field(default_factory=list)
    therapist_preference: Therapist | None = None
    referral_source: str = "self"
    referrer_name: str = ""
    referrer_practice: str = ""
    referrer_email: str = ""
    referrer_may_be_told: bool = False
    payment: str = "self_pay"
    insurance_provider: str = ""
    insurance_member_number: str = ""
    notes: str = ""


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day`."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def new_reference() -> str:
    """A short public code such as ``K7P3-QX9M``. Unique among requests by the database's
    constraint: with 31^8 codes a clash is too rare to look up every time first."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


# Tries of the saving transaction: a second one only after the 1 in 10^11 clash of references.
SAVE_ATTEMPTS = 3


def intake_submit(
    *,
    answers: dict[str, Any],
    patient: PatientDetails,
    request_details: RequestDetails,
    submission_token: UUID,
    knee_notes: str = "",
    consented_at: datetime | None = None,
    now: datetime | None = None,
) -> AppointmentRequest:
    """Validate and pre-screen the answers, then save the patient, the intake and the
    appointment request in one transaction. Submitting the same token again returns the
    request already saved (a double click or a resent final step).

    `knee_notes` is what the patient wrote about their knee: clinical, kept with the intake
    (the request's `notes` are for booking, and the front desk reads them).
    `now` is the time of submission (tests and the demo give one; the site does not).

    Raises ``questionnaire.AnswersInvalid`` when the answers break the questionnaire.
    """
    now = now or timezone.now()
    age = age_on(patient.date_of_birth, timezone.localdate(now))
    validated = questionnaire.validate(answers, age)
    result = prescreen(validated, validated.age)
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        try:
            return _save(
                validated=validated,
                result=result,
                age=age,
                patient=patient,
                request_details=request_details,
                submission_token=submission_token,
                knee_notes=knee_notes,
                consented_at=consented_at or now,
                now=now,
            )
        except IntegrityError:
            # The token's unique constraint: the same token was sent before (a double click,
            # or two requests racing): its request is the answer. Otherwise the reference
            # clashed: try another.
            existing = AppointmentRequest.objects.filter(submission_token=submission_token)
            if (found := existing.first()) is not None:
                return found
            if attempt == SAVE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _save(
    *,
    validated: questionnaire.ValidatedAnswers,
    result: PrescreenResult,
    age: int,
    patient: PatientDetails,
    request_details: RequestDetails,
    submission_token: UUID,
    knee_notes: str,
    consented_at: datetime,
    now: datetime,
) -> AppointmentRequest:
    top = result.top_category
    # The patient's records and messages are new: their audit entries go in one INSERT.
    with transaction.atomic(), creations_recorded_together():
        details = vars(patient) | sms_contact_fields(
            phone=patient.phone, consent=patient.sms_consent, now=now
        )
        patient_row = Patient.objects.create(**details)
        intake = Intake.objects.create(
            patient=patient_row,
            questionnaire_version=questionnaire.VERSION,
            answers=dict(validated),
            age_at_submission=age,
            prescreen=result.as_dict(),
            ruleset_version=result.ruleset,
            triage=result.triage,
            top_category=top or "",
            needs_review=result.needs_review,
            submitted_at=now,
            knee_notes=knee_notes,
        )
        appointment_request = AppointmentRequest.objects.create(
            intake=intake,
            patient=patient_row,
            reference=new_reference(),
            submission_token=submission_token,
            # The request details map one to one onto the model's fields.
            **vars(request_details),
            consent_version=CONSENT_VERSION,
            consented_at=consented_at,
            created_at=now,
        )
        # Recorded with the request (record first, then send): published on commit. A red
        # flag raises the alert first, whose first step tells the on-call therapists.
        alert = alert_raise(intake=intake, now=now)
        notifications_for_new_request(appointment_request=appointment_request, alert=alert)
    return appointment_request
