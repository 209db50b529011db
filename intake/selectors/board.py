"""The front desk's request board: whom to call first."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils import timezone

from intake.calendar import business_day_before
from intake.models import (
    OPEN_STATUSES,
    AppointmentRequest,
    CallTask,
    ContactAttempt,
    RequestStatus,
    calls_owed_at,
    triage_rank,
)
from notifications.models import Notification

# Emergency, then urgent, then routine; oldest first within: whom to call first.
REQUEST_BOARD_ORDER = (triage_rank("intake__triage").asc(), "created_at", "pk")
# Requests nobody has to act on any more are a record: oldest first. (Sorting by the intake's
# level joins every row; over years of closed requests that costs what the desk never uses.)
REQUEST_HISTORY_ORDER = ("created_at", "pk")


def request_board_order(status: str, *, searching: bool = False) -> tuple[object, ...]:
    """The board's order for its status filter ("open", a status, or "all"): whom to call
    first while the front desk still has to act, and among the few rows a search finds;
    oldest first otherwise."""
    acting = searching or status == "open" or status in OPEN_STATUSES
    return REQUEST_BOARD_ORDER if acting else REQUEST_HISTORY_ORDER


class BoardColumns(TypedDict):
    """What the board reads from each request's intake: its triage level and nothing else
    (a level is what scheduling needs; no answer, category or red flag)."""

    intake_triage: str
    triage_rank: int
    call_owed: bool


if TYPE_CHECKING:  # a type for the admin's columns; not subscriptable when running
    from django_stubs_ext import WithAnnotations

    RequestWithTriage = WithAnnotations[AppointmentRequest, BoardColumns]


def request_board(*, now: datetime | None = None) -> QuerySet[AppointmentRequest]:
    """Appointment requests for the front desk, emergency first, then urgent, then oldest,
    each with its intake's triage level (`intake_triage`) and nothing else of the intake, and
    whether it is overdue (`overdue`: the business-day cutoff, closures included, is worked
    out once for the page rather than per row)."""
    now = now or timezone.now()
    cutoff = business_day_before(now)
    return (
        AppointmentRequest.objects.select_related(
            "patient", "location", "scheduled_therapist__user"
        )
        .annotate(
            intake_triage=F("intake__triage"),
            triage_rank=triage_rank("intake__triage"),
            # A patient who prefers a phone call is owed one for each message, and a red-flag
            # referral one the next working day (not before: it shows from the day it is due).
            call_owed=Exists(CallTask.objects.filter(calls_owed_at(now), request=OuterRef("pk"))),
            overdue=ExpressionWrapper(
                Q(status=RequestStatus.NEW, created_at__lt=cutoff), output_field=BooleanField()
            ),
        )
        .order_by(*REQUEST_BOARD_ORDER)
    )


def request_is_overdue(
    appointment_request: AppointmentRequest, *, now: datetime | None = None
) -> bool:
    """Still new after more than one business day."""
    annotated = getattr(appointment_request, "overdue", None)
    if annotated is not None and now is None:
        return bool(annotated)
    cutoff = business_day_before(now or timezone.now())
    return (
        appointment_request.status == RequestStatus.NEW and appointment_request.created_at < cutoff
    )


def request_patient_messages(appointment_request: AppointmentRequest) -> list[Notification]:
    """The messages the patient was sent (or is being sent) about a request, by e-mail or
    text, oldest first: what the front desk checks when a patient says nothing came."""
    patient = appointment_request.patient
    to_patient = Q(recipient__iexact=patient.email)
    if patient.sms_number:
        to_patient |= Q(recipient=patient.sms_number)
    return list(
        Notification.objects.filter(to_patient, topic=appointment_request.reference).order_by(
            "created_at", "pk"
        )
    )


def request_call_tasks(appointment_request: AppointmentRequest) -> list[CallTask]:
    return list(appointment_request.call_tasks.select_related("done_by"))


def request_contact_attempts(appointment_request: AppointmentRequest) -> list[ContactAttempt]:
    """Every attempt to reach the patient about a request, latest first."""
    return list(appointment_request.contact_attempts.select_related("made_by"))
