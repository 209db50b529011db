"""The patient books from the signed status link: routine intakes only, at sites that allow
it, in the times of day they chose; a time taken meanwhile shows the next free ones."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.models import AppointmentRequest, RequestStatus
from intake.status_links import status_token
from notifications.models import Notification
from scheduling.models import Appointment, AppointmentStatus, SiteBooking
from scheduling.selectors import initial_assessment, patient_slots
from scheduling.services import appointment_book
from tests.intake.staff import therapist_at, urgent_request
from tests.scheduling.conftest import routine_request, works

pytestmark = pytest.mark.django_db


def booking_url(request: AppointmentRequest) -> str:
    return reverse("scheduling:book", args=[status_token(request)])


def status_url(request: AppointmentRequest) -> str:
    return reverse("intake:status", args=[status_token(request)])


def test_a_routine_intake_is_offered_morning_times_earliest_first(site, therapist) -> None:
    request = routine_request(site)  # preferred: weekday mornings
    html = Client().get(booking_url(request)).content.decode()
    assert "Choose a time for your first visit" in html
    assert "None of these suit me, please call me" in html
    slots = patient_slots(appointment_request=request)
    assert slots
    assert slots == sorted(slots)
    assert all(timezone.localtime(s.starts_at).time() < time(12) for s in slots)
    assert all(timezone.localtime(s.starts_at).weekday() < 5 for s in slots)
    assert all(s.starts_at - timezone.now() < timedelta(days=15) for s in slots)
    first = timezone.localtime(slots[0].starts_at)
    assert first.strftime("%-I:%M %p") in html


def test_booking_a_time_shows_it_on_the_status_page(site, therapist) -> None:
    request = routine_request(site)
    client = Client()
    slot = patient_slots(appointment_request=request)[0]
    response = client.post(booking_url(request), {"starts_at": slot.starts_at.isoformat()})
    assert response.status_code == 302
    assert response["Location"].startswith("/status/")
    html = client.get(response["Location"]).content.decode()
    assert "Your visit is booked" in html
    assert "Move or cancel my visit" in html
    appointment = Appointment.objects.get()
    assert appointment.booked_by_patient
    assert appointment.starts_at == slot.starts_at
    assert Notification.objects.filter(kind="appointment_booked").count() == 1


def test_a_time_taken_meanwhile_shows_the_next_free_ones(site, therapist) -> None:
    mine, theirs = routine_request(site, 1), routine_request(site, 2)
    slot = patient_slots(appointment_request=mine)[0]
    appointment_book(
        appointment_request=theirs,
        therapist=therapist,
        starts_at=slot.starts_at,
        appointment_type=initial_assessment(),
        by_patient=True,
    )
    response = Client().post(booking_url(mine), {"starts_at": slot.starts_at.isoformat()})
    html = response.content.decode()
    assert response.status_code == 409
    assert "that time was just taken" in html
    assert slot.starts_at.isoformat() not in html
    assert patient_slots(appointment_request=mine)[0].starts_at.isoformat() in html
    mine.refresh_from_db()
    assert mine.status == RequestStatus.NEW


def test_urgent_intakes_are_not_offered_self_booking(site, therapist) -> None:
    request = urgent_request(location=site)
    client = Client()
    response = client.get(booking_url(request))
    assert response.status_code == 302
    assert "Choose a time" not in client.get(response["Location"]).content.decode()
    slot_start = (timezone.now() + timedelta(days=3)).isoformat()
    client.post(booking_url(request), {"starts_at": slot_start})
    assert not Appointment.objects.exists()


def test_a_site_can_turn_self_booking_off(site, therapist) -> None:
    SiteBooking.objects.create(location=site, self_booking=False)
    request = routine_request(site)
    html = Client().get(booking_url(request)).content.decode()
    assert "We will call you to book" in html
    assert "Choose a time for your first visit" not in html


def test_the_patient_moves_the_visit_from_the_status_link(site, therapist) -> None:
    request = routine_request(site)
    client = Client()
    first, later = patient_slots(appointment_request=request)[:2]
    client.post(booking_url(request), {"starts_at": first.starts_at.isoformat()})
    html = client.get(booking_url(request)).content.decode()
    assert "Move to another time" in html
    moved = client.post(booking_url(request), {"starts_at": later.starts_at.isoformat()})
    assert moved.status_code == 302, [
        m for m in moved.content.decode().splitlines() if "alert-" in m
    ]
    appointment = Appointment.objects.get()
    assert appointment.starts_at == later.starts_at
    assert appointment.sequence == 1
    assert Notification.objects.filter(kind="appointment_moved").count() == 1


def test_cancelling_shows_the_late_window_first(site, therapist, settings) -> None:
    settings.SCHEDULING_LATE_CANCEL_HOURS = 24 * 30
    request = routine_request(site)
    client = Client()
    slot = patient_slots(appointment_request=request)[0]
    client.post(booking_url(request), {"starts_at": slot.starts_at.isoformat()})
    cancel = reverse("scheduling:cancel", args=[status_token(request)])
    html = client.get(cancel).content.decode()
    assert f"Please cancel at least {24 * 30} hours before your visit." in html
    assert "this counts as a late cancellation" in html
    client.post(cancel)
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert Appointment.objects.get().status == AppointmentStatus.LATE_CANCEL


def test_slots_go_to_therapists_who_treat_the_top_category(site, therapist) -> None:
    request = routine_request(site)
    specialist = therapist_at(site)
    works(specialist, site, starts=8, ends=12)
    specialist.specialties.set(
        specialist.specialties.model.objects.filter(code=request.intake.top_category)
    )
    assert request.intake.top_category
    assert {s.therapist_id for s in patient_slots(appointment_request=request)} == {specialist.pk}
