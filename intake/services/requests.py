"""Every move of an appointment request through its statuses, by the patient or the front
desk. Which moves are allowed comes from one table, ``intake.models.LIFECYCLE``.

Each staff move locks the request, checks the move is allowed from its current status and
raises ``ValidationError`` with a message the front desk can act on when it is not.
Cancelling records the patient's notification in the same transaction; booking, moving and
the visit's outcome belong to the ``scheduling`` app, which writes the request's summary here.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

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
            attachments = _request_cancelled(appointment_request, by_patient=True)
            notifications_for_status_change(
                appointment_request=appointment_request, attachments=attachments
            )
    return bool(updated)


def request_locked_for(
    appointment_request: AppointmentRequest, to: RequestStatus
) -> AppointmentRequest:
    """The request locked for update (inside the caller's transaction), once its status is
    known to allow the move to ``to``; else ``ValidationError`` saying why."""
    return _locked(appointment_request, to)


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


def request_record_scheduled(
    *, appointment_request: AppointmentRequest, when: datetime, therapist: Therapist
) -> AppointmentRequest:
    """Write the request's summary of its appointment (status, time, therapist), for the
    booking service (``scheduling``), inside its transaction: scheduling owns the appointment
    and announces it (with the calendar invite); the request keeps the one line the board,
    the status page and the record system's export read. Raises ``ValidationError`` when the
    request can no longer be scheduled."""
    locked = _locked(appointment_request, RequestStatus.SCHEDULED)
    locked.status = RequestStatus.SCHEDULED
    locked.scheduled_at = when
    locked.scheduled_therapist = therapist
    locked.save(update_fields=["status", "scheduled_at", "scheduled_therapist", "updated_at"])
    _copy_back(locked, appointment_request)
    return locked


def request_record_completed(*, appointment_request: AppointmentRequest) -> None:
    """The patient came to the visit booked for the request (recorded by scheduling)."""
    with transaction.atomic():
        locked = _locked(appointment_request, RequestStatus.COMPLETED)
        locked.status = RequestStatus.COMPLETED
        locked.save(update_fields=["status", "updated_at"])
    _copy_back(locked, appointment_request)


def _request_cancelled(
    appointment_request: AppointmentRequest, *, by_patient: bool
) -> list[dict[str, str]]:
    """Tell the app that books appointments (``REQUEST_CANCELLED_HANDLER``, a dotted path) that
    the request is cancelled, inside the cancelling transaction, so the appointment's time is
    freed with it; returns what it wants attached to the patient's message (the calendar's
    cancellation)."""
    handler = getattr(settings, "REQUEST_CANCELLED_HANDLER", "")
    if not handler:
        return []
    attachments: list[dict[str, str]] = import_string(handler)(
        appointment_request=appointment_request, by_patient=by_patient
    )
    return attachments


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
        attachments = _request_cancelled(locked, by_patient=False)
        notifications_for_status_change(appointment_request=locked, attachments=attachments)
    _copy_back(locked, appointment_request)
