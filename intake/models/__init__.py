"""Patients, their intakes and appointment requests, the clinic's sites and therapists, and
therapists' reviews and referrals: one module per concept, all importable from here."""

from intake.models.clinic import Location, Therapist
from intake.models.intakes import TEXT_LIMIT, Intake, triage_rank
from intake.models.patients import ContactMethod, Patient
from intake.models.requests import (
    CANCEL_REASON_LIMIT,
    LIFECYCLE,
    OPEN_STATUSES,
    PATIENT_CANCELLABLE,
    AppointmentRequest,
    Payment,
    ReferralSource,
    RequestStatus,
    StatusRule,
    TimeOfDay,
)
from intake.models.reviews import Referral, ReferralDestination, Review

__all__ = [
    "CANCEL_REASON_LIMIT",
    "LIFECYCLE",
    "OPEN_STATUSES",
    "PATIENT_CANCELLABLE",
    "TEXT_LIMIT",
    "AppointmentRequest",
    "ContactMethod",
    "Intake",
    "Location",
    "Patient",
    "Payment",
    "Referral",
    "ReferralDestination",
    "ReferralSource",
    "RequestStatus",
    "Review",
    "StatusRule",
    "Therapist",
    "TimeOfDay",
    "triage_rank",
]
