"""The therapists' review queue and the staff dashboard."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.models import AppointmentRequest, ContactOutcome, Intake, RequestStatus
from intake.services.alerts import alert_close, alert_record_contact
from intake.services.requests import request_cancel_by_patient
from intake.services.reviews import intake_assign, review_record
from staff.roles import FRONT_DESK, THERAPIST
from tests.factories import patient_details, valid_answers
from tests.intake.staff import client_for, staff_user, submit_intake

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:intake_intake_changelist")


@pytest.fixture
def therapist() -> AbstractBaseUser:
    return staff_user(THERAPIST)


@pytest.fixture
def client(therapist: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(therapist)
    return client


def submitted(hours_ago: float, last_name: str, **answers: object) -> AppointmentRequest:
    request = submit_intake(
        answers=valid_answers(**answers),
        patient=patient_details(last_name=last_name, email=f"{last_name}@example.com"),
    )
    Intake.objects.filter(pk=request.intake_id).update(
        submitted_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return request


def names_in_order(html: str, names: list[str]) -> list[str]:
    return sorted((name for name in names if name in html), key=html.index)


def test_queue_lists_emergency_then_urgent_then_routine_oldest_first(client: Client) -> None:
    submitted(1, "Routineold-a", side="left")
    submitted(5, "Routineolder")
    submitted(2, "Urgentnew", rf_locked=True)
    submitted(3, "Urgentold", rf_locked=True)
    submitted(0.5, "Emergency", rf_calf_swelling=True)
    html = client.get(QUEUE).content.decode()
    names = ["Emergency", "Urgentold", "Urgentnew", "Routineolder", "Routineold-a"]
    assert names_in_order(html, names) == names


def test_queue_shows_only_intakes_waiting_for_review_by_default(
    client: Client, therapist: AbstractBaseUser
) -> None:
    done, waiting = submitted(2, "Reviewedone"), submitted(1, "Waitingone")
    review_record(intake=done.intake, reviewer=therapist, agrees=True)
    html = client.get(QUEUE).content.decode()
    assert "Waitingone" in html
    assert "Reviewedone" not in html
    html = client.get(f"{QUEUE}?reviewed=yes").content.decode()
    assert "Reviewedone" in html
    assert "Waitingone" not in html
    assert waiting.intake.reviewed_at is None


def test_a_cancelled_or_completed_request_leaves_the_waiting_list(
    client: Client, therapist: AbstractBaseUser
) -> None:
    cancelled, completed = submitted(2, "Cancelledone"), submitted(3, "Completedone")
    submitted(1, "Stillwaiting")
    request_cancel_by_patient(appointment_request=cancelled)
    AppointmentRequest.objects.filter(pk=completed.pk).update(status=RequestStatus.COMPLETED)

    waiting = client.get(QUEUE).content.decode()
    everything = client.get(f"{QUEUE}?reviewed=all").content.decode()

    assert names_in_order(waiting, ["Cancelledone", "Completedone", "Stillwaiting"]) == [
        "Stillwaiting"
    ]
    assert "Cancelledone" in everything
    assert "Completedone" in everything


def test_a_cancelled_request_with_an_open_alert_stays_on_the_waiting_list(
    client: Client, therapist: AbstractBaseUser
) -> None:
    # The patient cancelling does not mean someone answered the emergency.
    request = submitted(1, "Cancelledemergency", rf_calf_swelling=True)
    request_cancel_by_patient(appointment_request=request)

    assert "Cancelledemergency" in client.get(QUEUE).content.decode()
    alert = request.intake.alert
    alert_record_contact(alert=alert, user=therapist, outcome=ContactOutcome.EMERGENCY_CARE)
    alert_close(alert=alert, user=therapist)
    assert "Cancelledemergency" not in client.get(QUEUE).content.decode()


def test_the_board_lists_emergency_then_urgent_then_oldest_with_the_level_for_the_desk() -> None:
    for hours_ago, name, answers in [
        (5, "Routineolder", {}),
        (1, "Routinenewer", {}),
        (2, "Urgentnew", {"rf_locked": True}),
        (3, "Urgentold", {"rf_locked": True}),
        (0.5, "Emergency", {"rf_calf_swelling": True}),
    ]:
        request = submitted(hours_ago, name, **answers)
        AppointmentRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - timedelta(hours=hours_ago)
        )

    html = client_for(FRONT_DESK).get(reverse("admin:intake_appointmentrequest_changelist"))
    page = html.content.decode()

    names = ["Emergency", "Urgentold", "Urgentnew", "Routineolder", "Routinenewer"]
    assert names_in_order(page, names) == names
    assert ">Emergency</span>" in page


def test_queue_filters_what_is_assigned_to_me(client: Client, therapist: AbstractBaseUser) -> None:
    mine, other = submitted(2, "Mineone"), submitted(1, "Otherone")
    intake_assign(intake=mine.intake, user=therapist)
    intake_assign(intake=other.intake, user=staff_user(THERAPIST))
    html = client.get(f"{QUEUE}?assigned=me").content.decode()
    assert "Mineone" in html
    assert "Otherone" not in html


@pytest.mark.parametrize("query", ["reference", "Searchable", "searchable", "Alex Searchable"])
def test_queue_search_by_reference_or_name(client: Client, query: str) -> None:
    found, _ = submitted(2, "Searchable"), submitted(1, "Elsewhere")
    if query == "reference":
        query = found.reference.lower()
    html = client.get(QUEUE, {"q": query}).content.decode()
    assert "Searchable" in html
    assert "Elsewhere" not in html


def test_triage_badge_says_the_level_in_words(client: Client) -> None:
    submitted(1, "Flagged", rf_locked=True)
    html = client.get(QUEUE).content.decode()
    assert re.search(r'<span class="triage-badge triage-urgent"[^>]*>Urgent</span>', html)
    assert "Locked" in html  # the red-flag column


def test_dashboard_shows_clinical_tiles_and_the_chart_to_therapists(
    client: Client, therapist: AbstractBaseUser
) -> None:
    flagged = submitted(3, "Flagged", rf_locked=True)
    submitted(2, "Plain")
    review_record(intake=submitted(5, "Seen").intake, reviewer=therapist, agrees=True)
    html = client.get(reverse("admin:index")).content.decode()
    assert "urgent intakes waiting for review" in html
    assert "(0 emergency, 1 urgent)" in html
    assert "median time to review this week" in html
    assert "therapists agreed with the pre-screen (1 of 1 reviews)" in html
    assert html.count('<rect class="cat-') >= 1
    assert "style=" not in html.split('id="content"')[1]  # the CSP forbids inline styles
    assert flagged.reference  # the tile counts it without naming it


def test_front_desk_dashboard_has_only_the_request_tiles() -> None:
    submitted(30, "Waiting")
    html = client_for(FRONT_DESK).get(reverse("admin:index")).content.decode()
    assert "new appointment requests" in html
    assert "urgent intakes" not in html
    assert "agreed with the pre-screen" not in html
    assert "<svg viewBox" not in html


def test_board_search_finds_a_reference_typed_without_its_dash_or_an_email() -> None:
    found = submitted(2, "Foundhere")
    submitted(1, "Nothere")
    client = client_for(FRONT_DESK)
    board = reverse("admin:intake_appointmentrequest_changelist")
    compact = found.reference.replace("-", "").lower()
    if not any(ch.isdigit() for ch in compact):  # such a word is searched as a name
        compact = found.reference
    for query in (compact, found.patient.email.upper()):
        html = client.get(board, {"q": query, "status": "all"}).content.decode()
        assert "Foundhere" in html, query
        assert "Nothere" not in html, query


def test_a_search_finds_reviewed_intakes_too(client: Client, therapist: AbstractBaseUser) -> None:
    done = submitted(2, "Lookedup")
    review_record(intake=done.intake, reviewer=therapist, agrees=True)
    html = client.get(QUEUE, {"q": "Lookedup"}).content.decode()
    assert "Lookedup" in html


def test_intake_page_draws_the_chosen_knee_regions(client: Client) -> None:
    request = submit_intake(answers=valid_answers(pain_location=["inner", "back"]))
    page = client.get(reverse("admin:intake_intake_change", args=[request.intake_id]))
    html = page.content.decode()
    chosen = re.findall(r'class="knee-region knee-region--static[^"]* is-selected"', html)
    assert len(chosen) == 2
    assert html.count("knee-region--static") == 6  # every region but "all over" is drawn
    assert 'role="checkbox"' not in html  # a picture, not a form control


def test_closed_requests_on_the_board_are_a_record_oldest_first() -> None:
    for hours_ago, name, answers in [
        (5, "Routineolder", {}),
        (1, "Emergencynewer", {"rf_calf_swelling": True}),
    ]:
        request = submitted(hours_ago, name, **answers)
        AppointmentRequest.objects.filter(pk=request.pk).update(
            status=RequestStatus.COMPLETED, created_at=timezone.now() - timedelta(hours=hours_ago)
        )

    board = reverse("admin:intake_appointmentrequest_changelist")
    page = client_for(FRONT_DESK).get(f"{board}?status=completed").content.decode()

    assert names_in_order(page, ["Emergencynewer", "Routineolder"]) == [
        "Routineolder",
        "Emergencynewer",
    ]
