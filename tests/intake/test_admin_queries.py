"""A list page costs the same number of queries whatever its length."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import AppointmentRequest
from intake.services.reviews import intake_assign, review_record
from scheduling.models import SiteHours
from scheduling.selectors import initial_assessment
from scheduling.services import appointment_book
from staff.roles import CLINIC_MANAGER, FRONT_DESK, THERAPIST
from tests.factories import LocationFactory, valid_answers
from tests.intake.staff import client_for, submit_intake, therapist_at
from tests.scheduling.conftest import at, next_monday, open_site, works

pytestmark = pytest.mark.django_db


def add_requests(count: int) -> None:
    """Requests of every kind the columns render differently: flagged, assigned, reviewed,
    scheduled, at two sites."""
    sites = [LocationFactory(name="North"), LocationFactory(name="South")]
    for site in sites:
        if not SiteHours.objects.filter(location=site).exists():
            open_site(site)
    therapists = [therapist_at(site) for site in sites]
    for therapist, site in zip(therapists, sites, strict=True):
        works(therapist, site)
    for n in range(count):
        flagged = n % 3 == 0
        request = submit_intake(
            answers=valid_answers(rf_locked=flagged, side=["left", "right", "both"][n % 3]),
            location=sites[n % 2],
        )
        therapist = therapists[n % 2]
        if n % 4 == 1:
            intake_assign(intake=request.intake, user=therapist.user)
        if n % 4 == 2:
            review_record(intake=request.intake, reviewer=therapist.user, agrees=True)
        if n % 5 == 3:
            appointment_book(
                appointment_request=request,
                therapist=therapist,
                starts_at=at(next_monday() + timedelta(days=n // 10), 9),
                appointment_type=initial_assessment(),
                by_patient=False,
            )


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # warm the session and the content-type cache
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


QUEUE = reverse("admin:intake_intake_changelist")
BOARD = reverse("admin:intake_appointmentrequest_changelist")
PAGES = [
    (THERAPIST, f"{QUEUE}?reviewed=all"),
    (THERAPIST, f"{QUEUE}?reviewed=no&triage=urgent"),
    (CLINIC_MANAGER, f"{QUEUE}?reviewed=all&q=Runner"),
    (FRONT_DESK, BOARD),
    (FRONT_DESK, f"{BOARD}?status=new&q=Runner"),
    (THERAPIST, BOARD),  # with the triage column
]


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[f"{r}:{u}" for r, u in PAGES])
def test_list_page_queries_do_not_grow_with_the_rows(role: str, url: str) -> None:
    client = client_for(role)
    add_requests(5)
    with_five = queries_for(client, url)
    add_requests(45)
    assert AppointmentRequest.objects.count() == 50
    assert queries_for(client, url) == with_five
