"""The calendar, the booking pages and the slot search cost a fixed number of queries,
however many therapists and appointments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import Location
from intake.status_links import status_token
from scheduling.selectors import initial_assessment, site_free_slots
from scheduling.services import appointment_book
from staff.roles import FRONT_DESK
from tests.intake.staff import client_for, therapist_at
from tests.scheduling.conftest import at, next_monday, routine_request, works

pytestmark = pytest.mark.django_db


def add(site: Location, therapists: int, booked_each: int, offset: int) -> None:
    for t in range(therapists):
        therapist = therapist_at(site)
        works(therapist, site)
        for b in range(booked_each):
            appointment_book(
                appointment_request=routine_request(site, offset + t * 100 + b),
                therapist=therapist,
                starts_at=at(next_monday() + timedelta(days=b % 5), 8 + b // 5),
                appointment_type=initial_assessment(),
                by_patient=False,
            )


def count(call) -> int:  # type: ignore[no-untyped-def]
    call()  # warm the session and the content-type cache
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def test_calendar_and_booking_pages_do_not_grow_with_the_diary(site) -> None:
    client = client_for(FRONT_DESK)
    request = routine_request(site, 9999)
    monday = next_monday().isoformat()
    pages = [
        reverse("admin:scheduling_appointment_calendar") + f"?location={site.pk}&day={monday}",
        reverse("admin:scheduling_appointment_calendar")
        + f"?location={site.pk}&day={monday}&view=week",
        reverse("admin:scheduling_appointment_book", args=[request.pk]) + f"?day={monday}",
    ]

    def get_all() -> None:
        for page in pages:
            assert client.get(page).status_code == 200

    add(site, therapists=1, booked_each=2, offset=0)
    small = count(get_all)
    add(site, therapists=4, booked_each=8, offset=1000)
    assert count(get_all) == small
    print(f"\ncalendar day + week + booking page: {small} queries")


def test_the_patients_booking_page_does_not_grow_with_the_diary(site) -> None:
    mine = routine_request(site, 9999)
    url = reverse("scheduling:book", args=[status_token(mine)])
    client = Client()
    add(site, therapists=1, booked_each=2, offset=0)
    small = count(lambda: client.get(url))
    add(site, therapists=4, booked_each=8, offset=1000)
    assert count(lambda: client.get(url)) == small


def test_the_slot_search_takes_six_queries(site) -> None:
    add(site, therapists=3, booked_each=5, offset=0)
    kind = initial_assessment()
    now = timezone.now()
    queries = count(
        lambda: site_free_slots(
            location_id=site.pk, appointment_type=kind, since=now, until=now + timedelta(days=14)
        )
    )
    assert queries == 6
