"""A list page costs the same number of queries whatever its length."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import AppointmentRequest
from intake.services.requests import request_schedule
from intake.services.reviews import intake_assign, review_record
from staff.roles import CLINIC_MANAGER, FRONT_DESK, THERAPIST
from tests.factories import LocationFactory, valid_answers
from tests.intake.staff import client_for, submit_intake, therapist_at

pytestmark = pytest.mark.django_db


def add_requests(count: int) -> None:
    """Requests of every kind the columns render differently: flagged, assigned, reviewed,
    scheduled, at two sites."""
    sites = [LocationFactory(name="North"), LocationFactory(name="South")]
    therapists = [therapist_at(site) for site in sites]
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
            request_schedule(
                appointment_request=request,
                when=timezone.now() + timedelta(days=2),
                therapist=therapist,
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
