"""Booking, moving and cancelling: refused with the reason when the time does not suit, and
never two appointments over one therapist's time."""

from __future__ import annotations

import threading
from datetime import timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from intake.models import RequestStatus
from intake.services.requests import request_cancel, request_cancel_by_patient
from notifications.models import Notification
from scheduling.models import Appointment, AppointmentStatus, Closure, TimeOff
from scheduling.selectors import initial_assessment
from scheduling.services import (
    SlotTaken,
    appointment_book,
    appointment_move,
    appointment_record_outcome,
)
from tests.scheduling.conftest import at, next_monday, routine_request

pytestmark = pytest.mark.django_db


def _book(request, therapist, starts_at):  # type: ignore[no-untyped-def]
    return appointment_book(
        appointment_request=request,
        therapist=therapist,
        starts_at=starts_at,
        appointment_type=initial_assessment(),
        by_patient=False,
    )


def _invite(notification: Notification) -> icalendar.Event:
    (attachment,) = notification.attachments
    calendar = icalendar.Calendar.from_ical(attachment["content"])
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_booking_writes_the_request_summary_and_an_invite(site, therapist) -> None:
    request = routine_request(site)
    monday_nine = at(next_monday(), 9)
    appointment = _book(request, therapist, monday_nine)
    request.refresh_from_db()
    assert request.status == RequestStatus.SCHEDULED
    assert request.scheduled_at == monday_nine
    assert request.scheduled_therapist == therapist
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=45)
    message = Notification.objects.get(kind="appointment_booked")
    assert message.recipient == "runner0@example.com"
    calendar, event = _invite(message)
    assert calendar["method"] == "REQUEST"
    assert str(event["uid"]).startswith(str(appointment.uid))
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == monday_nine
    assert str(event["attendee"]) == "mailto:runner0@example.com"
    assert event["attendee"].params["partstat"] == "ACCEPTED"


def test_three_in_the_morning_is_refused_with_the_reason(site, therapist) -> None:
    request = routine_request(site)
    with pytest.raises(ValidationError, match="outside Theo Therapist's working hours"):
        _book(request, therapist, at(next_monday(), 3))
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW
    assert not Appointment.objects.exists()


def test_a_time_over_another_appointment_is_refused(site, therapist) -> None:
    _book(routine_request(site, 1), therapist, at(next_monday(), 9))
    with pytest.raises(SlotTaken, match="already has an appointment"):
        _book(routine_request(site, 2), therapist, at(next_monday(), 9, 30))


def test_a_closure_and_time_off_are_refused(site, therapist) -> None:
    monday = next_monday()
    Closure.objects.create(day=monday, name="Holiday")
    TimeOff.objects.create(
        therapist=therapist,
        starts_at=at(monday + timedelta(days=1), 8),
        ends_at=at(monday + timedelta(days=1), 12),
    )
    request = routine_request(site)
    with pytest.raises(ValidationError, match="closed"):
        _book(request, therapist, at(monday, 9))
    with pytest.raises(ValidationError, match="is off"):
        _book(request, therapist, at(monday + timedelta(days=1), 9))


def test_moving_raises_the_sequence_and_frees_the_old_time(site, therapist) -> None:
    request = routine_request(site)
    appointment = _book(request, therapist, at(next_monday(), 9))
    moved = appointment_move(
        appointment=appointment, therapist=therapist, starts_at=at(next_monday(), 14)
    )
    assert moved.sequence == 1
    _, event = _invite(Notification.objects.get(kind="appointment_moved"))
    assert event["sequence"] == 1
    assert str(event["uid"]).startswith(str(appointment.uid))
    _book(routine_request(site, 2), therapist, at(next_monday(), 9))  # the old time is free
    request.refresh_from_db()
    assert request.scheduled_at == at(next_monday(), 14)


def test_cancelling_the_request_cancels_the_appointment_with_a_calendar_cancel(
    site, therapist
) -> None:
    request = routine_request(site)
    appointment = _book(request, therapist, at(next_monday(), 9))
    request_cancel(appointment_request=request, reason="The patient moved away")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    calendar, event = _invite(Notification.objects.get(kind="patient_cancelled"))
    assert calendar["method"] == "CANCEL"
    assert event["sequence"] == 1
    _book(routine_request(site, 2), therapist, at(next_monday(), 9))  # free again


def test_a_patient_cancelling_late_is_a_late_cancellation(site, therapist, settings) -> None:
    settings.SCHEDULING_LATE_CANCEL_HOURS = 24 * 14  # every appointment is "soon"
    request = routine_request(site)
    appointment = _book(request, therapist, at(next_monday(), 9))
    assert request_cancel_by_patient(appointment_request=request)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.LATE_CANCEL


def test_attended_completes_the_request(site, therapist) -> None:
    request = routine_request(site)
    appointment = _book(request, therapist, at(next_monday(), 9))
    with pytest.raises(ValidationError, match="not started"):
        appointment_record_outcome(appointment=appointment, outcome=AppointmentStatus.ATTENDED)
    appointment_record_outcome(
        appointment=appointment,
        outcome=AppointmentStatus.ATTENDED,
        now=appointment.ends_at + timedelta(minutes=5),
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED


def test_a_double_click_books_once(site, therapist) -> None:
    request = routine_request(site)
    first = _book(request, therapist, at(next_monday(), 9))
    assert _book(request, therapist, at(next_monday(), 9)) == first
    assert Appointment.objects.count() == 1
    assert Notification.objects.filter(kind="appointment_booked").count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_bookings_of_one_slot_make_one_appointment(site, therapist) -> None:
    assert connection.vendor == "postgresql"
    requests = [routine_request(site, n) for n in range(10)]
    starts_at = at(next_monday(), 10)
    barrier = threading.Barrier(10)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(request) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            try:
                _book(request, therapist, starts_at)
                result = "booked"
            except SlotTaken as error:
                result = f"taken: {error.messages[0]}"
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1
    taken = [o for o in outcomes if o.startswith("taken")]
    assert len(taken) == 9
    assert all("just taken" in o or "already has an appointment" in o for o in taken)
    assert Appointment.objects.filter(starts_at=starts_at).count() == 1
    assert Notification.objects.filter(kind="appointment_booked").count() == 1
