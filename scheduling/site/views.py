"""The patient books, moves or cancels their visit from the signed status link. Offered only
for routine intakes at a site that allows online booking: urgent and emergency intakes get
the clinic's call instead."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from conditions.categories import Triage
from intake.announcements import appointment_time_text
from intake.models import (
    OPEN_STATUSES,
    PATIENT_CANCELLABLE,
    AppointmentRequest,
    RequestStatus,
    Therapist,
)
from intake.services.requests import request_cancel_by_patient
from intake.status_links import STATUS_LINK_MAX_AGE, request_for_status_token
from scheduling.models import Appointment
from scheduling.selectors import (
    PATIENT_DAYS,
    booked_appointment,
    initial_assessment,
    patient_slots,
    self_booking_allowed,
)
from scheduling.services import (
    SlotTaken,
    appointment_book,
    appointment_move,
    is_late_cancellation,
)
from scheduling.slots import Slot

# The kinds of visit as seeded (migration 0002), in the patient's language on the booking
# page while a manager has not renamed them.
SEEDED_KINDS = (gettext_noop("Initial assessment"), gettext_noop("Follow-up"))


def _found(request: HttpRequest, token: str) -> AppointmentRequest | HttpResponse:
    found = request_for_status_token(token)
    if found is None:
        return render(
            request,
            "intake/status_invalid.html",
            {"link_days": STATUS_LINK_MAX_AGE.days},
            status=404,
        )
    return found


def may_book_online(appointment_request: AppointmentRequest) -> bool:
    """Routine intakes at a site that allows it; never urgent or emergency ones."""
    return appointment_request.intake.triage == Triage.ROUTINE and self_booking_allowed(
        appointment_request.location_id
    )


def _by_day(slots: list[Slot]) -> list[tuple[date, list[Slot]]]:
    days: dict[date, list[Slot]] = defaultdict(list)
    for slot in slots:
        days[timezone.localtime(slot.starts_at).date()].append(slot)
    return sorted(days.items())


def _page(
    request: HttpRequest,
    token: str,
    appointment_request: AppointmentRequest,
    appointment: Appointment | None,
    *,
    status: int = 200,
) -> HttpResponse:
    slots = patient_slots(appointment_request=appointment_request, exclude=appointment)
    if appointment is not None:
        slots = [s for s in slots if s.starts_at != appointment.starts_at]
    return render(
        request,
        "scheduling/site/book.html",
        {
            "appointment_request": appointment_request,
            "appointment": appointment,
            "token": token,
            "days": _by_day(slots),
            "window_days": PATIENT_DAYS,
            "kind": initial_assessment(),
            "late_cancel_hours": settings.SCHEDULING_LATE_CANCEL_HOURS,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def book(request: HttpRequest, token: str) -> HttpResponse:
    found = _found(request, token)
    if isinstance(found, HttpResponse):
        return found
    appointment = booked_appointment(found)
    waiting = found.status in OPEN_STATUSES
    routine = found.intake.triage == Triage.ROUTINE
    if appointment is None and waiting and routine and not self_booking_allowed(found.location_id):
        return render(
            request,
            "scheduling/site/not_online.html",
            {"appointment_request": found, "token": token},
        )
    if not may_book_online(found) or (appointment is None and not waiting):
        # Nothing to book here: the status page says what happens next.
        return redirect("intake:status", token=token)
    if request.method == "POST":
        return _book_posted(request, token, found, appointment)
    return _page(request, token, found, appointment)


def _book_posted(
    request: HttpRequest,
    token: str,
    appointment_request: AppointmentRequest,
    appointment: Appointment | None,
) -> HttpResponse:
    try:
        starts_at = parse_datetime(request.POST.get("starts_at", "")[:40])
    except ValueError:
        starts_at = None
    # The therapist is the first one free at that time now, among those the patient is
    # offered: a time taken meanwhile shows the next free ones.
    slot = next(
        (
            s
            for s in patient_slots(appointment_request=appointment_request, exclude=appointment)
            if starts_at is not None and s.starts_at == starts_at
        ),
        None,
    )
    try:
        if slot is None:
            raise SlotTaken()
        therapist = Therapist.objects.select_related("user").get(pk=slot.therapist_id)
        if appointment is not None:
            appointment_move(appointment=appointment, therapist=therapist, starts_at=slot.starts_at)
            done = gettext("Your visit has moved to {time}.")
        else:
            appointment_book(
                appointment_request=appointment_request,
                therapist=therapist,
                starts_at=slot.starts_at,
                appointment_type=initial_assessment(),
                by_patient=True,
            )
            done = gettext("Your visit is booked for {time}.")
    except ValidationError as error:
        # The services' reasons are the staff's; the patient is told what to do next.
        messages.error(
            request,
            gettext("Sorry, that time was just taken. Please choose another.")
            if isinstance(error, SlotTaken)
            else gettext("Sorry, we could not book that time. Please choose another, or call us."),
        )
        return _page(
            request, token, appointment_request, booked_appointment(appointment_request), status=409
        )
    messages.success(
        request,
        done.format(time=appointment_time_text(slot.starts_at))
        + " "
        + gettext("We have e-mailed you the details with a calendar invite."),
    )
    return redirect("intake:status", token=token)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The late-cancellation window first (GET), then cancel the visit and the request."""
    found = _found(request, token)
    if isinstance(found, HttpResponse):
        return found
    appointment = booked_appointment(found)
    if appointment is None or found.status not in PATIENT_CANCELLABLE:
        return redirect("intake:status", token=token)
    if request.method == "POST":
        if request_cancel_by_patient(appointment_request=found):
            messages.success(request, gettext("Your visit is cancelled. We will not contact you."))
        else:
            messages.info(request, gettext("This visit can no longer be cancelled online."))
        return redirect("intake:status", token=token)
    now: datetime = timezone.now()
    return render(
        request,
        "scheduling/site/cancel.html",
        {
            "appointment_request": found,
            "appointment": appointment,
            "token": token,
            "late": is_late_cancellation(appointment, now),
            "late_cancel_hours": settings.SCHEDULING_LATE_CANCEL_HOURS,
            "statuses": RequestStatus,
        },
    )
