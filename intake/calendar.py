"""The clinic's calendar: business days (Monday to Friday) in the clinic's time zone, for
escalation deadlines and the staff pages' "waiting over a business day"."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone


def add_business_days(start: datetime, days: int) -> datetime:
    """``start`` plus ``days`` working days (Monday to Friday) in the clinic's time zone.
    A start at the weekend counts from Monday 00:00."""
    local = timezone.localtime(start)
    while local.weekday() >= 5:
        local = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    while days > 0:
        local += timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    return local


def business_day_before(moment: datetime) -> datetime:
    """`moment` less one business day (Monday to Friday; weekends do not count)."""
    local = timezone.localtime(moment)
    if local.weekday() >= 5:  # on a weekend the clock stopped at Friday midnight
        local = (local - timedelta(days=local.weekday() - 5)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    local -= timedelta(days=1)
    while local.weekday() >= 5:
        local -= timedelta(days=1)
    return local


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 (local time) of the week holding `moment`."""
    local = timezone.localtime(moment)
    return (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
