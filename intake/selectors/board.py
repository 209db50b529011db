"""The front desk's request board: whom to call first."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import F, QuerySet
from django.utils import timezone

from intake.calendar import business_day_before
from intake.models import AppointmentRequest, RequestStatus, triage_rank

# Emergency, then urgent, then routine; oldest first within: whom to call first.
REQUEST_BOARD_ORDER = (triage_rank("intake__triage").asc(), "created_at", "pk")


class BoardColumns(TypedDict):
    """What the board reads from each request's intake: its triage level and nothing else
    (a level is what scheduling needs; no answer, category or red flag)."""

    intake_triage: str
    triage_rank: int


if TYPE_CHECKING:  # a type for the admin's columns; not subscriptable when running
    from django_stubs_ext import WithAnnotations

    RequestWithTriage = WithAnnotations[AppointmentRequest, BoardColumns]


def request_board() -> QuerySet[AppointmentRequest]:
    """Appointment requests for the front desk, emergency first, then urgent, then oldest,
    each with its intake's triage level (`intake_triage`) and nothing else of the intake."""
    return (
        AppointmentRequest.objects.select_related(
            "patient", "location", "scheduled_therapist__user"
        )
        .annotate(intake_triage=F("intake__triage"), triage_rank=triage_rank("intake__triage"))
        .order_by(*REQUEST_BOARD_ORDER)
    )


def request_is_overdue(
    appointment_request: AppointmentRequest, *, now: datetime | None = None
) -> bool:
    """Still new after more than one business day."""
    cutoff = business_day_before(now or timezone.now())
    return (
        appointment_request.status == RequestStatus.NEW and appointment_request.created_at < cutoff
    )
