"""Whatever staff put in an admin address or form, the answer is a page saying what was
wrong (4xx), never a server error (issue 17, finding 7)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import RequestStatus
from staff import roles
from tests.factories import LocationFactory
from tests.intake.staff import client_for, routine_request, therapist_at

pytestmark = pytest.mark.django_db

TRAIL = "admin:auditlog_logentry_changelist"
BOARD = "admin:intake_appointmentrequest_changelist"
QUEUE = "admin:intake_intake_changelist"
OUTBOX = "admin:notifications_notification_changelist"


@pytest.fixture
def manager() -> Client:
    return client_for(roles.CLINIC_MANAGER)


@pytest.mark.parametrize(
    ("url", "query", "said"),
    [
        (TRAIL, {"kind": "abc"}, "is not one of the choices"),
        (TRAIL, {"actor": "abc"}, "is not one of the choices"),
        (QUEUE, {"site": "9" * 5000}, "too long to be a record"),
        (BOARD, {"site": "9" * 5000}, "too long to be a record"),
        (OUTBOX, {"created_at__year": "9999"}, "No such year"),
        (OUTBOX, {"created_at__year": "9" * 20}, "No such year"),
        (OUTBOX, {"created_at__year": "2026", "created_at__month": "13"}, "No such month"),
    ],
)
def test_a_filter_no_page_offers_is_refused_with_a_message(manager, url, query, said):
    routine_request()
    response = manager.get(reverse(url), query)
    assert response.status_code in (400, 302), response.content.decode()[:500]
    if response.status_code == 400:
        assert said in response.content.decode()


def test_a_filter_the_page_offers_still_works(manager):
    location = LocationFactory()
    routine_request(location=location)
    response = manager.get(reverse(QUEUE), {"site": location.pk, "reviewed": "all"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1


@pytest.mark.parametrize("url", [TRAIL, BOARD, QUEUE])
def test_a_nul_character_in_a_filter_or_search_is_refused(manager, url):
    for query in ({"q": "a\x00b"}, {"status": "new\x00"}):
        response = manager.get(reverse(url), query)
        assert response.status_code == 400
        assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("selected", ["abc", "9" * 5000, "1\x00"])
def test_an_action_on_rows_that_are_not_row_numbers_is_refused(selected):
    client = client_for(roles.FRONT_DESK)
    request_ = routine_request()
    response = client.post(
        reverse(BOARD),
        {"action": "mark_contacted", "_selected_action": [str(request_.pk), selected]},
    )
    assert response.status_code == 400
    request_.refresh_from_db()
    assert request_.status == RequestStatus.NEW


def test_scheduling_at_the_end_of_the_calendar_is_refused_with_a_message():
    client = client_for(roles.FRONT_DESK)
    location = LocationFactory()
    request_ = routine_request(location=location)
    therapist = therapist_at(location)
    response = client.post(
        reverse("admin:scheduling_appointment_book", args=[request_.pk]),
        {"starts_at": "9999-12-31T23:30:00-06:00", "therapist": therapist.pk},
    )
    assert response.status_code == 200
    assert "Enter a date from 1900 to 2200." in response.content.decode()
    request_.refresh_from_db()
    assert request_.status == RequestStatus.NEW
    # Paging the calendar to the end of time opens today instead.
    page = client.get(
        reverse("admin:scheduling_appointment_book", args=[request_.pk]) + "?day=9999-12-31"
    )
    assert page.status_code == 200


@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_a_record_number_too_long_for_any_record_is_refused(manager, page):
    url = reverse("admin:intake_appointmentrequest_changelist") + "9" * 5000 + f"/{page}/"
    response = manager.get(url)
    assert response.status_code == 400
    assert "There is no record" in response.content.decode()
