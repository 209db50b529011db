"""The front desk works the request board: contact, schedule, cancel, no response."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.announcements import NotificationKind
from intake.calendar import business_day_before
from intake.models import (
    AppointmentRequest,
    RequestStatus,
    Therapist,
)
from intake.services.requests import request_cancel
from notifications.models import Notification
from scheduling.announcements import AppointmentMessage
from scheduling.selectors import initial_assessment
from scheduling.services import appointment_book
from staff.roles import FRONT_DESK
from tests.factories import LocationFactory
from tests.intake.staff import client_for, routine_request, therapist_at
from tests.scheduling.conftest import at, next_monday, open_site, works

pytestmark = pytest.mark.django_db

BOARD = reverse("admin:intake_appointmentrequest_changelist")


@pytest.fixture
def client() -> Client:
    return client_for(FRONT_DESK)


@pytest.fixture
def request_() -> AppointmentRequest:
    return routine_request(email="pat@example.com")


@pytest.fixture
def therapist(request_: AppointmentRequest) -> Therapist:
    open_site(request_.location)
    therapist = therapist_at(request_.location)
    works(therapist, request_.location)
    return therapist


def act(client: Client, action: str, request: AppointmentRequest) -> str:
    response = client.post(
        f"{BOARD}?status=all", {"action": action, "_selected_action": [request.pk]}, follow=True
    )
    request.refresh_from_db()
    return response.content.decode()


def patient_messages(request: AppointmentRequest, kind: str) -> int:
    return Notification.objects.filter(
        topic=request.reference, kind=kind, recipient="pat@example.com"
    ).count()


def schedule_form(
    client: Client, request: AppointmentRequest, when: datetime, therapist: Therapist
) -> str:
    """Pick a time on the calendar the schedule link leads to (a free slot's button posts
    the therapist and the start)."""
    page = client.get(reverse("admin:intake_appointmentrequest_schedule", args=[request.pk]))
    assert page.status_code == 302
    response = client.post(
        page["Location"],
        {"starts_at": when.isoformat(), "therapist": therapist.pk},
        follow=True,
    )
    request.refresh_from_db()
    return response.content.decode()


def test_mark_contacted(client: Client, request_: AppointmentRequest) -> None:
    html = act(client, "mark_contacted", request_)
    assert request_.status == RequestStatus.CONTACTED
    assert "1 request(s) marked contacted." in html


def test_mark_no_response(client: Client, request_: AppointmentRequest) -> None:
    act(client, "mark_no_response", request_)
    assert request_.status == RequestStatus.NO_RESPONSE


def test_scheduling_books_the_therapist_and_records_the_patients_message(
    client: Client,
    request_: AppointmentRequest,
    therapist: Therapist,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    when = at(next_monday(), 9, 30)
    with django_capture_on_commit_callbacks() as callbacks:
        html = schedule_form(client, request_, when, therapist)
    assert request_.status == RequestStatus.SCHEDULED
    assert (request_.scheduled_at, request_.scheduled_therapist) == (when, therapist)
    assert patient_messages(request_, AppointmentMessage.BOOKED) == 1
    assert callbacks, "the message is published once the booking commits"
    assert "the patient will be told" in html


def test_scheduling_in_the_past_is_refused_with_a_clear_message(
    client: Client, request_: AppointmentRequest, therapist: Therapist
) -> None:
    html = schedule_form(client, request_, timezone.now() - timedelta(hours=1), therapist)
    assert "Choose a time that is still to come." in html
    assert request_.status == RequestStatus.NEW
    assert patient_messages(request_, AppointmentMessage.BOOKED) == 0


def test_three_in_the_morning_is_refused_saying_why(
    client: Client, request_: AppointmentRequest, therapist: Therapist
) -> None:
    html = schedule_form(client, request_, at(next_monday(), 3), therapist)
    assert f"is outside {therapist}&#x27;s working hours at this site." in html
    assert request_.status == RequestStatus.NEW
    assert patient_messages(request_, AppointmentMessage.BOOKED) == 0


def test_a_time_over_another_appointment_is_refused_saying_why(
    client: Client, request_: AppointmentRequest, therapist: Therapist
) -> None:
    other = routine_request(email="other@example.com", location=request_.location)
    schedule_form(client, other, at(next_monday(), 9), therapist)
    html = schedule_form(client, request_, at(next_monday(), 9, 15), therapist)
    assert f"{therapist} already has an appointment at" in html
    assert request_.status == RequestStatus.NEW


def test_a_therapist_from_another_site_cannot_be_booked(request_: AppointmentRequest) -> None:
    elsewhere_site = LocationFactory(name="Elsewhere")
    open_site(elsewhere_site)
    elsewhere = therapist_at(elsewhere_site)
    works(elsewhere, elsewhere_site)
    with pytest.raises(ValidationError, match="does not work at"):
        appointment_book(
            appointment_request=request_,
            therapist=elsewhere,
            starts_at=at(next_monday(), 9),
            appointment_type=initial_assessment(),
            by_patient=False,
        )
    request_.refresh_from_db()
    assert request_.status == RequestStatus.NEW


def test_the_schedule_calendar_offers_only_therapists_of_the_site(
    client: Client, request_: AppointmentRequest, therapist: Therapist
) -> None:
    elsewhere = therapist_at(LocationFactory(name="Elsewhere"))
    html = client.get(
        reverse("admin:intake_appointmentrequest_schedule", args=[request_.pk]), follow=True
    ).content.decode()
    assert str(therapist) in html
    assert str(elsewhere) not in html


def test_a_cancelled_request_cannot_be_scheduled(
    client: Client, request_: AppointmentRequest, therapist: Therapist
) -> None:
    request_cancel(appointment_request=request_, reason="Booked elsewhere")
    html = schedule_form(client, request_, at(next_monday(), 10), therapist)
    assert f"Request {request_.reference} is cancelled: it cannot be marked scheduled." in html
    assert request_.status == RequestStatus.CANCELLED


def test_cancelling_needs_a_reason(client: Client, request_: AppointmentRequest) -> None:
    response = client.post(
        reverse("admin:intake_appointmentrequest_cancel", args=[request_.pk]), {"reason": " "}
    )
    request_.refresh_from_db()
    assert response.status_code == 200
    assert request_.status == RequestStatus.NEW


def test_cancelling_keeps_the_reason_and_records_the_patients_message(
    client: Client, request_: AppointmentRequest
) -> None:
    client.post(
        reverse("admin:intake_appointmentrequest_cancel", args=[request_.pk]),
        {"reason": "The patient booked elsewhere"},
    )
    request_.refresh_from_db()
    assert request_.status == RequestStatus.CANCELLED
    assert request_.cancel_reason == "The patient booked elsewhere"
    assert patient_messages(request_, NotificationKind.PATIENT_CANCELLED) == 1


def test_an_action_on_a_request_that_cannot_move_says_why(
    client: Client, request_: AppointmentRequest
) -> None:
    request_cancel(appointment_request=request_, reason="Booked elsewhere")
    html = act(client, "mark_contacted", request_)
    assert "is cancelled: it cannot be marked contacted." in html
    assert request_.status == RequestStatus.CANCELLED


def test_schedule_action_asks_for_one_request_at_a_time(client: Client) -> None:
    location = LocationFactory()
    requests = [routine_request(location) for _ in range(2)]
    response = client.post(
        BOARD,
        {"action": "schedule", "_selected_action": [r.pk for r in requests]},
        follow=True,
    )
    assert "Select exactly one request for this." in response.content.decode()


def test_new_requests_older_than_a_business_day_are_highlighted(client: Client) -> None:
    old, fresh = routine_request(last_name="Oldham"), routine_request(last_name="Newman")
    AppointmentRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=5)
    )
    html = client.get(BOARD).content.decode()
    rows = {name: html[html.index(name) :].split("</tr>")[0] for name in ("Oldham", "Newman")}
    assert "Over 1 business day" in rows["Oldham"]
    assert "Over 1 business day" not in rows["Newman"]
    assert fresh.status == RequestStatus.NEW


CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    ("now", "cutoff"),
    [
        (datetime(2026, 11, 24, 10, 0), datetime(2026, 11, 23, 10, 0)),  # Tue -> Mon
        (datetime(2026, 11, 23, 10, 0), datetime(2026, 11, 20, 10, 0)),  # Mon -> Fri
        (datetime(2026, 11, 22, 15, 0), datetime(2026, 11, 20, 0, 0)),  # Sun -> Fri 00:00
    ],
)
def test_one_business_day_skips_the_weekend(now: datetime, cutoff: datetime) -> None:
    assert business_day_before(now.replace(tzinfo=CHICAGO)) == cutoff.replace(tzinfo=CHICAGO)


def test_mark_contacted_from_the_request_page(client: Client, request_: AppointmentRequest) -> None:
    page = reverse("admin:intake_appointmentrequest_change", args=[request_.pk])
    assert reverse("admin:intake_appointmentrequest_contacted", args=[request_.pk]) in (
        client.get(page).content.decode()
    )
    response = client.post(
        reverse("admin:intake_appointmentrequest_contacted", args=[request_.pk]), follow=True
    )
    request_.refresh_from_db()
    assert request_.status == RequestStatus.CONTACTED
    assert response.redirect_chain[-1][0] == page
    assert "is marked contacted" in response.content.decode()
