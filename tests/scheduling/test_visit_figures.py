"""The manager's dashboard figures about visits: the no-show rate and the days from a request
to its first appointment (median and 90th percentile over the last 30 days), from real rows
in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import AppointmentRequest, Location, Therapist
from scheduling.models import Appointment, AppointmentStatus
from scheduling.selectors import initial_assessment
from scheduling.selectors.outcomes import visit_figures
from staff.roles import CLINIC_MANAGER, FRONT_DESK, THERAPIST
from tests.intake.staff import client_for
from tests.scheduling.conftest import routine_request

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)
_numbers = iter(range(1000))


def visit(
    site: Location,
    therapist: Therapist,
    *,
    requested_days_ago: float,
    seen_days_ago: float,
    status: str = AppointmentStatus.ATTENDED,
    request: AppointmentRequest | None = None,
) -> AppointmentRequest:
    """A request made `requested_days_ago` with a visit `seen_days_ago` (rows as the calendar
    leaves them after the visit; booking in the past is what the service refuses)."""
    number = next(_numbers)
    if request is None:
        request = routine_request(site, number, now=NOW - timedelta(days=requested_days_ago))
    starts_at = NOW - timedelta(days=seen_days_ago) + timedelta(hours=number % 12)
    kind = initial_assessment()
    Appointment.objects.create(
        request=request,
        therapist=therapist,
        location=site,
        appointment_type=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=kind.minutes),
        busy_until=starts_at + timedelta(minutes=kind.minutes),
        status=status,
    )
    return request


def _figures() -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        figures = visit_figures(now=NOW)
    return len(queries.captured_queries), figures


def test_no_show_rate_counts_the_visits_with_an_outcome_in_the_last_30_days(
    site: Location, therapist: Therapist
) -> None:
    for _ in range(3):
        visit(site, therapist, requested_days_ago=10, seen_days_ago=5)
    visit(site, therapist, requested_days_ago=10, seen_days_ago=4, status="no_show")
    visit(site, therapist, requested_days_ago=10, seen_days_ago=3, status="late_cancel")
    visit(site, therapist, requested_days_ago=40, seen_days_ago=35, status="no_show")  # too old

    figures = visit_figures(now=NOW)

    assert (figures.no_shows, figures.recorded, figures.no_show_percent) == (1, 4, 25)


def test_time_to_first_appointment_is_the_median_and_90th_percentile(
    site: Location, therapist: Therapist
) -> None:
    # Ten requests seen 1 to 10 days after they were made (and a few hours: each visit is an
    # hour after the last), all first visits this month.
    for wait in range(1, 11):
        visit(site, therapist, requested_days_ago=wait + 2, seen_days_ago=2)
    # A follow-up does not change when the first visit was.
    first = visit(site, therapist, requested_days_ago=25, seen_days_ago=20)
    visit(site, therapist, requested_days_ago=0, seen_days_ago=1, request=first)
    # A first visit before the window does not count.
    visit(site, therapist, requested_days_ago=60, seen_days_ago=45)

    figures = visit_figures(now=NOW)

    assert figures.first_visits == 11
    assert figures.median_days is not None
    assert figures.p90_days is not None
    assert 5.0 < figures.median_days < 6.5
    assert 9.0 < figures.p90_days < 10.5


def test_the_figures_cost_two_queries_however_many_visits(
    site: Location, therapist: Therapist
) -> None:
    visit(site, therapist, requested_days_ago=3, seen_days_ago=1)
    few, _ = _figures()
    for days in range(20):
        visit(site, therapist, requested_days_ago=days + 5, seen_days_ago=days % 7 + 1)
    many, _ = _figures()
    assert few == many == 2


def test_only_the_manager_dashboard_shows_the_visit_figures(
    site: Location, therapist: Therapist
) -> None:
    visit(site, therapist, requested_days_ago=4, seen_days_ago=2, status="no_show")
    visit(site, therapist, requested_days_ago=4, seen_days_ago=2)

    manager = client_for(CLINIC_MANAGER).get(reverse("admin:index")).content.decode()

    assert "no-show rate (1 of 2 visits with an outcome, last 30 days)" in manager
    assert "median time from request to first appointment" in manager
    for role in (FRONT_DESK, THERAPIST):
        page = client_for(role).get(reverse("admin:index")).content.decode()
        assert "no-show rate" not in page
