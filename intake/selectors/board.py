"""The front desk's request board."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import F, QuerySet
from django.utils import timezone

from intake.calendar import business_day_before
from intake.models import AppointmentRequest, RequestStatus

REQUEST_BOARD_ORDER = ("created_at", "pk")


class ClinicalColumns(TypedDict):
    """What clinical staff see on the board besides the request."""

    intake_triage: str


if TYPE_CHECKING:  # a type for the admin's columns; not subscriptable when running
    from django_stubs_ext import WithAnnotations

    RequestWithTriage = WithAnnotations[AppointmentRequest, ClinicalColumns]


def request_board(*, with_triage: bool = False) -> QuerySet[AppointmentRequest]:
    """Appointment requests for the front desk, oldest first. No clinical columns unless
    `with_triage` (for clinical staff): then `intake_triage` too."""
    board = AppointmentRequest.objects.select_related(
        "patient", "location", "scheduled_therapist__user"
    ).order_by(*REQUEST_BOARD_ORDER)
    return board.annotate(intake_triage=F("intake__triage")) if with_triage else board


def request_is_overdue(
    appointment_request: AppointmentRequest, *, now: datetime | None = None
) -> bool:
    """Still new after more than one business day."""
    cutoff = business_day_before(now or timezone.now())
    return (
        appointment_request.status == RequestStatus.NEW and appointment_request.created_at < cutoff
    )
