"""Patients, their intakes and appointment requests, the clinic's sites and therapists,
therapists' reviews and referrals, and red-flag alerts: one module per concept, all
importable from here."""

from intake.models.alerts import (
    ACKNOWLEDGE_FROM,
    CLOSE_FROM,
    CONTACT_FROM,
    OPEN_ALERT_STATUSES,
    AlertStatus,
    ContactOutcome,
    RedFlagAlert,
)
from intake.models.calls import CallTask
from intake.models.clinic import Location, Therapist
from intake.models.intakes import TEXT_LIMIT, Intake, triage_rank
from intake.models.patients import ContactMethod, Patient
from intake.models.requests import (
    CANCEL_REASON_LIMIT,
    CLOSED_STATUSES,
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
from intake.models.reviews import (
    REFERRAL_MOVES,
    Referral,
    ReferralContact,
    ReferralDestination,
    ReferralStatus,
    Review,
    SentVia,
)

__all__ = [
    "ACKNOWLEDGE_FROM",
    "CANCEL_REASON_LIMIT",
    "CLOSED_STATUSES",
    "CLOSE_FROM",
    "CONTACT_FROM",
    "LIFECYCLE",
    "OPEN_ALERT_STATUSES",
    "OPEN_STATUSES",
    "PATIENT_CANCELLABLE",
    "REFERRAL_MOVES",
    "TEXT_LIMIT",
    "AlertStatus",
    "AppointmentRequest",
    "CallTask",
    "ContactMethod",
    "ContactOutcome",
    "Intake",
    "Location",
    "Patient",
    "Payment",
    "RedFlagAlert",
    "Referral",
    "ReferralContact",
    "ReferralDestination",
    "ReferralSource",
    "ReferralStatus",
    "RequestStatus",
    "Review",
    "SentVia",
    "StatusRule",
    "Therapist",
    "TimeOfDay",
    "triage_rank",
]
