"""The clinic's opening hours (intake/calendar.py): the clinic-wide hours from settings, for a
site that declares none (a site's own: tests/scheduling/test_opening_hours.py)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from intake.calendar import is_open, next_opening, opening_period

# Closures are read from the database, even when there are none.
pytestmark = pytest.mark.django_db
CLINIC_TZ = ZoneInfo("America/Chicago")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Day 1 is Monday 30 November 2026 (day 7, Sunday 6 December), in the clinic's zone."""
    return datetime(2026, 11, 30, hour, minute, tzinfo=CLINIC_TZ) + timedelta(days=day - 1)


@pytest.mark.parametrize(
    ("moment", "opens"),
    [
        (at(2, 10), at(2, 10)),  # Tuesday morning: open now
        (at(2, 7, 59), at(2, 8)),  # before opening
        (at(2, 18), at(3, 8)),  # closing time is closed
        (at(5, 19), at(6, 8)),  # Friday evening: Saturday morning
        (at(6, 12, 30), at(8, 8)),  # Saturday after noon: Monday (Sunday is closed)
    ],
)
def test_next_opening_in_the_clinic_time_zone(moment: datetime, opens: datetime) -> None:
    assert next_opening(moment) == opens
    assert is_open(moment) is (moment == opens)


def test_the_opening_period_is_the_day_the_moment_falls_in() -> None:
    assert opening_period(at(6, 9)) == (at(6, 8), at(6, 12))
    assert opening_period(at(7, 9)) is None


def test_an_instant_in_utc_is_read_in_the_clinic_time_zone() -> None:
    # 01:00 UTC on Wednesday is 19:00 on Tuesday in Chicago: closed.
    assert not is_open(datetime(2026, 12, 2, 1, 0, tzinfo=ZoneInfo("UTC")))


def test_a_week_without_opening_hours_is_a_configuration_error(settings: Any) -> None:
    settings.CLINIC_OPENING_HOURS = {}
    with pytest.raises(ImproperlyConfigured, match="CLINIC_OPENING_HOURS"):
        next_opening(at(2, 10))


def test_hours_follow_the_settings(settings: Any) -> None:
    settings.CLINIC_OPENING_HOURS = {6: (time(10), time(14))}  # Sundays only
    assert next_opening(at(2, 10)) == at(7, 10)
