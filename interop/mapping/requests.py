"""What was asked for: a `ServiceRequest` for each appointment request and each outbound
referral, and an `Appointment` for each booked visit.

An appointment request's ServiceRequest is what the front desk sees (no answers, no triage);
a referral's carries its reason, which is clinical. The seam for work in progress:
`appointment_resource` (booking), the one function to change when that record grows.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from intake.models import (
    AppointmentRequest,
    Referral,
    ReferralSource,
    ReferralStatus,
    RequestStatus,
)
from interop.codes import (
    PATIENT_REFERRAL,
    PHYSIOTHERAPY,
    PREFERRED_TIME,
    REFERRAL_DESTINATION,
    REFERRAL_STATUS,
    REQUEST_STATUS,
)
from interop.identifiers import extension_url, identifier_system, reference, resource_id
from interop.mapping import Resource
from interop.mapping.elements import instant, meta, resource
from interop.mapping.people import ORGANIZATION, practitioner_reference

# ServiceRequest.status for each of our statuses: the request stays active while the front
# desk works on it and while its visit is booked; "revoked" is FHIR's word for cancelled.
SERVICE_REQUEST_STATUS: dict[str, str] = {
    RequestStatus.NEW: "active",
    RequestStatus.CONTACTED: "active",
    RequestStatus.SCHEDULED: "active",
    RequestStatus.NO_RESPONSE: "active",
    RequestStatus.COMPLETED: "completed",
    RequestStatus.CANCELLED: "revoked",
}
# Appointment.status of a request that has (or had) a visit booked.
APPOINTMENT_STATUS: dict[str, str] = {
    RequestStatus.SCHEDULED: "booked",
    RequestStatus.COMPLETED: "fulfilled",
    RequestStatus.CANCELLED: "cancelled",
}


def request_resource_id(appointment_request: AppointmentRequest) -> str:
    return resource_id("request", appointment_request.pk)


def appointment_request_resource(appointment_request: AppointmentRequest) -> Resource:
    """The patient's request for physical therapy, tracked by the front desk."""
    patient = reference("Patient", resource_id("patient", appointment_request.patient_id))
    status_extensions = [
        {
            "url": extension_url("request-status"),
            "valueCoding": REQUEST_STATUS.code(appointment_request.status).coding(),
        }
    ]
    if appointment_request.cancel_reason:
        status_extensions.append(
            {
                "url": extension_url("status-reason"),
                "valueString": appointment_request.cancel_reason,
            }
        )
    therapist_id = appointment_request.therapist_preference_id
    return resource(
        "ServiceRequest",
        request_resource_id(appointment_request),
        meta=meta(appointment_request.updated_at),
        extension=status_extensions,
        identifier=[
            {"system": identifier_system("request"), "value": appointment_request.reference}
        ],
        status=SERVICE_REQUEST_STATUS[appointment_request.status],
        intent="order",
        code=PHYSIOTHERAPY.concept("Physical therapy"),
        subject=patient,
        occurrenceTiming=_preferred_times(appointment_request.preferred_times),
        authoredOn=instant(appointment_request.created_at),
        requester=_requester(appointment_request, patient),
        performer=[
            reference("PractitionerRole", resource_id("therapist", therapist_id))
            if therapist_id
            else ORGANIZATION
        ],
        locationReference=[
            reference("Location", resource_id("location", appointment_request.location_id))
        ],
        supportingInfo=[
            reference("QuestionnaireResponse", resource_id("intake", appointment_request.intake_id))
        ],
        note=[{"text": appointment_request.notes}] if appointment_request.notes else None,
    )


def _requester(appointment_request: AppointmentRequest, patient: dict[str, str]) -> dict[str, str]:
    """The patient asks; a referring clinician they name is known only by name."""
    if appointment_request.referral_source == ReferralSource.SELF:
        return patient
    named = ", ".join(
        part
        for part in (appointment_request.referrer_name, appointment_request.referrer_practice)
        if part
    )
    return {"display": named} if named else patient


def _preferred_times(codes: list[str]) -> dict[str, object] | None:
    known = [code for code in codes if PREFERRED_TIME.has(code)]
    if not known:
        return None
    codings = [PREFERRED_TIME.code(code).coding() for code in known]
    return {
        "code": {
            "coding": codings,
            "text": "Preferred: " + ", ".join(coding["display"] for coding in codings),
        }
    }


# --- Referrals ------------------------------------------------------------------------------


# ServiceRequest.status of a referral: a draft until it is sent, active while the clinic
# waits for the result, completed when the result is back. The tracking status itself (sent,
# acknowledged, patient seen) rides in the "referral-status" extension, with the due date.
REFERRAL_SERVICE_REQUEST_STATUS: dict[str, str] = {
    ReferralStatus.DRAFT: "draft",
    ReferralStatus.SENT: "active",
    ReferralStatus.ACKNOWLEDGED: "active",
    ReferralStatus.SEEN: "active",
    ReferralStatus.RESULT_RECEIVED: "completed",
}


def _referral_tracking(referral: Referral) -> list[dict[str, object]]:
    tracking: list[dict[str, object]] = [
        {
            "url": extension_url("referral-status"),
            "valueCoding": REFERRAL_STATUS.code(referral.status).coding(),
        }
    ]
    if referral.due_on is not None:
        tracking.append(
            {"url": extension_url("referral-due"), "valueDate": referral.due_on.isoformat()}
        )
    return tracking


def referral_resource(referral: Referral) -> Resource:
    """A therapist's outbound referral. Reads ``referral.intake`` (select it)."""
    intake = referral.intake
    return resource(
        "ServiceRequest",
        resource_id("referral", referral.pk),
        meta=meta(referral.updated_at),
        extension=_referral_tracking(referral),
        identifier=[{"system": identifier_system("referral"), "value": str(referral.pk)}],
        status=REFERRAL_SERVICE_REQUEST_STATUS[referral.status],
        intent="order",
        code=PATIENT_REFERRAL.concept(),
        subject=reference("Patient", resource_id("patient", intake.patient_id)),
        authoredOn=instant(referral.created_at),
        requester=practitioner_reference(referral.created_by),
        performerType=REFERRAL_DESTINATION.code(referral.destination).concept(),
        reasonCode=[{"text": referral.reason}],
        supportingInfo=[
            reference("QuestionnaireResponse", resource_id("intake", intake.pk)),
            reference("RiskAssessment", resource_id("prescreen", intake.pk)),
        ],
        note=[{"text": referral.impression}] if referral.impression else None,
    )


# --- Appointments ---------------------------------------------------------------------------


def has_appointment(appointment_request: AppointmentRequest) -> bool:
    return (
        appointment_request.scheduled_at is not None
        and appointment_request.status in APPOINTMENT_STATUS
    )


def appointment_resource(appointment_request: AppointmentRequest) -> Resource:
    """The visit booked for a request. Today a request holds one booked time and therapist;
    the visit's length is not recorded, so its end is the start plus
    ``FHIR_APPOINTMENT_MINUTES`` (FHIR requires both for a booked appointment). When
    booking records visits of their own, map each of them here instead (new ids, say
    ``booking-<pk>``; these stay ``request-<pk>``)."""
    start = appointment_request.scheduled_at
    assert start is not None, "only requests with a booked time have an appointment"
    end = start + timedelta(minutes=settings.FHIR_APPOINTMENT_MINUTES)
    participants = [
        {
            "actor": reference("Patient", resource_id("patient", appointment_request.patient_id)),
            "status": "accepted",
        }
    ]
    therapist = appointment_request.scheduled_therapist
    if therapist is not None:
        participants.append({"actor": practitioner_reference(therapist.user), "status": "accepted"})
    participants.append(
        {
            "actor": reference(
                "Location", resource_id("location", appointment_request.location_id)
            ),
            "status": "accepted",
        }
    )
    cancelled = appointment_request.status == RequestStatus.CANCELLED
    return resource(
        "Appointment",
        request_resource_id(appointment_request),
        meta=meta(appointment_request.updated_at),
        status=APPOINTMENT_STATUS[appointment_request.status],
        cancelationReason=(
            {"text": appointment_request.cancel_reason}
            if cancelled and appointment_request.cancel_reason
            else None
        ),
        serviceType=[PHYSIOTHERAPY.concept("Physical therapy")],
        start=instant(start),
        end=instant(end),
        minutesDuration=settings.FHIR_APPOINTMENT_MINUTES,
        basedOn=[reference("ServiceRequest", request_resource_id(appointment_request))],
        participant=participants,
    )
