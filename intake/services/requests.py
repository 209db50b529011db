"""Every move of an appointment request through its statuses, by the patient or the front
desk. Which moves are allowed comes from one table, ``intake.models.LIFECYCLE``.

Each staff move locks the request, checks the move is allowed from its current status and
raises ``ValidationError`` with a message the front desk can act on when it is not.
Scheduling and cancelling record the patient's notification in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from intake.announcements import notifications_for_status_change
from intake.models import (
    CANCEL_REASON_LIMIT,
    LIFECYCLE,
    PATIENT_CANCELLABLE,
    AppointmentRequest,
    RequestStatus,
    Therapist,
)


def request_cancel_by_patient(*, appointment_request: AppointmentRequest) -> bool:
    """Cancel from the patient's status page; False when it can no longer be cancelled.
    The patient's "cancelled" message is recorded in the same transaction."""
    with transaction.atomic():
        updated = AppointmentRequest.objects.filter(
            pk=appointment_request.pk, status__in=PATIENT_CANCELLABLE
        ).update(
            status=RequestStatus.CANCELLED,
            cancel_reason="Cancelled by the patient",
            updated_at=timezone.now(),
        )
        appointment_request.refresh_from_db()
        if updated:
            notifications_for_status_change(appointment_request=appointment_request)
    return bool(updated)


def _locked(appointment_request: AppointmentRequest, to: RequestStatus) -> AppointmentRequest:
    locked = (
        AppointmentRequest.objects.select_for_update()
        .select_related("patient")
        .get(pk=appointment_request.pk)
    )
    if locked.status not in LIFECYCLE[to].reached_from:
        raise ValidationError(
            f"Request {locked.reference} is {locked.get_status_display().lower()}: "
            f"it cannot be marked {to.label.lower()}."
        )
    return locked


def _copy_back(source: AppointmentRequest, target: AppointmentRequest) -> None:
    for field in (
        "status",
        "scheduled_at",
        "scheduled_therapist_id",
        "cancel_reason",
        "updated_at",
    ):
        setattr(target, field, getattr(source, field))


def _move(appointment_request: AppointmentRequest, to: RequestStatus) -> None:
    with transaction.atomic():
        locked = _locked(appointment_request, to)
        locked.status = to
        locked.save(update_fields=["status", "updated_at"])
    _copy_back(locked, appointment_request)


def request_mark_contacted(*, appointment_request: AppointmentRequest) -> None:
    """The front desk reached the patient."""
    _move(appointment_request, RequestStatus.CONTACTED)


def request_mark_no_response(*, appointment_request: AppointmentRequest) -> None:
    """The front desk tried and could not reach the patient."""
    _move(appointment_request, RequestStatus.NO_RESPONSE)


def request_schedule(
    *, appointment_request: AppointmentRequest, when: datetime, therapist: Therapist
) -> None:
    """Book the appointment with a therapist who works at the request's location, at a time
    still to come, and record the patient's notification."""
    errors = {}
    if when <= timezone.now():
        errors["when"] = "Choose a time that is still to come."
    if not therapist.locations.filter(pk=appointment_request.location_id).exists():
        errors["therapist"] = (
            f"{therapist} does not work at {appointment_request.location}: "
            "choose a therapist who does."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(appointment_request, RequestStatus.SCHEDULED)
        locked.status = RequestStatus.SCHEDULED
        locked.scheduled_at = when
        locked.scheduled_therapist = therapist
        locked.save(update_fields=["status", "scheduled_at", "scheduled_therapist", "updated_at"])
        notifications_for_status_change(appointment_request=locked)
    _copy_back(locked, appointment_request)


def request_cancel(*, appointment_request: AppointmentRequest, reason: str) -> None:
    """Cancel with the reason given to the patient, and record the patient's notification."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for cancelling."})
    if len(reason) > CANCEL_REASON_LIMIT:
        raise ValidationError(
            {"reason": f"Please keep the reason to {CANCEL_REASON_LIMIT} characters."}
        )
    with transaction.atomic():
        locked = _locked(appointment_request, RequestStatus.CANCELLED)
        locked.status = RequestStatus.CANCELLED
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "cancel_reason", "updated_at"])
        notifications_for_status_change(appointment_request=locked)
    _copy_back(locked, appointment_request)
