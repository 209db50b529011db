"""The manager's figures about visits: how often patients do not come, and how long a
request waits for its first appointment. Two queries, however many appointments."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from intake.models import AppointmentRequest
from scheduling.models import HOLDS_TIME, Appointment, AppointmentStatus

WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class VisitFigures:
    # Visits in the window whose outcome was recorded (attended or no-show).
    recorded: int
    no_shows: int
    # Requests whose first appointment fell in the window, and days from request to it.
    first_visits: int
    median_days: float | None
    p90_days: float | None

    @property
    def no_show_percent(self) -> int | None:
        return round(100 * self.no_shows / self.recorded) if self.recorded else None


def visit_figures(*, now: datetime | None = None) -> VisitFigures:
    """Over the last 30 days: the no-show rate of visits with a recorded outcome, and the days
    from a request to its first appointment (the earliest that held the therapist's time, so
    a visit cancelled and rebooked counts from the rebooking), median and 90th percentile."""
    now = now or timezone.now()
    since = now - WINDOW
    outcomes = Appointment.objects.filter(starts_at__gte=since, starts_at__lte=now).aggregate(
        recorded=Count(
            "id", filter=Q(status__in=(AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW))
        ),
        no_shows=Count("id", filter=Q(status=AppointmentStatus.NO_SHOW)),
    )
    days = sorted(
        (first - created).total_seconds() / 86400
        for created, first in AppointmentRequest.objects.annotate(
            first_visit=Min(
                "appointments__starts_at", filter=Q(appointments__status__in=HOLDS_TIME)
            )
        )
        .filter(first_visit__gte=since, first_visit__lte=now)
        .values_list("created_at", "first_visit")
    )
    return VisitFigures(
        recorded=outcomes["recorded"],
        no_shows=outcomes["no_shows"],
        first_visits=len(days),
        median_days=round(statistics.median(days), 1) if days else None,
        p90_days=round(_p90(days), 1) if days else None,
    )


def _p90(ordered: list[float]) -> float:
    """Linear interpolation between the closest ranks, as the alerts' figures use."""
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=10, method="inclusive")[8]
