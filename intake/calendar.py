"""The clinic's calendar in its time zone: business days (Monday to Friday), for escalation
deadlines and the staff pages' "waiting over a business day", and the opening hours, for the
red-flag alerts' steps that wait for them and what patients are told about when someone will
see their request."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

# Closures are declared in days; a month either side holds any run of them.
_CLOSURE_MARGIN = timedelta(days=31)


def closed_days(since: date, until: date) -> set[date]:
    """The days the whole clinic is closed (holidays), from the scheduling app through
    ``CLINIC_CLOSED_DAYS`` (a dotted path: intake does not import scheduling); none when the
    setting is empty."""
    if not settings.CLINIC_CLOSED_DAYS:
        return set()
    days: set[date] = import_string(settings.CLINIC_CLOSED_DAYS)(since=since, until=until)
    return days


def _business(day: date, closed: set[date]) -> bool:
    return day.weekday() < 5 and day not in closed


def add_business_days(start: datetime, days: int) -> datetime:
    """``start`` plus ``days`` working days (Monday to Friday, less the clinic's closures) in
    the clinic's time zone. A start on a day off counts from the next working day's 00:00."""
    local = timezone.localtime(start)
    closed = closed_days(local.date(), local.date() + timedelta(days=days * 2) + _CLOSURE_MARGIN)
    while not _business(local.date(), closed):
        local = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    while days > 0:
        local += timedelta(days=1)
        if _business(local.date(), closed):
            days -= 1
    return local


def next_business_day(moment: datetime) -> date:
    """The first working day after the day of `moment` (Friday's is Monday; a closure is
    skipped), in the clinic's time zone."""
    tomorrow = (timezone.localtime(moment) + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return add_business_days(tomorrow, 0).date()


def business_day_before(moment: datetime) -> datetime:
    """`moment` less one business day (Monday to Friday; weekends and closures do not
    count)."""
    local = timezone.localtime(moment)
    closed = closed_days(local.date() - _CLOSURE_MARGIN, local.date())
    if not _business(local.date(), closed):
        # On a day off the clock stopped at midnight after the last working day.
        while not _business(local.date(), closed):
            local -= timedelta(days=1)
        local = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    local -= timedelta(days=1)
    while not _business(local.date(), closed):
        local -= timedelta(days=1)
    return local


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 (local time) of the week holding `moment`."""
    local = timezone.localtime(moment)
    return (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )


# -- Opening hours ---------------------------------------------------------------------------
# The seam for the clinic's opening hours: clinic-wide hours from settings
# (`CLINIC_OPENING_HOURS`) for now. The per-site hours and closures of the scheduling app
# replace the body of `opening_period`; every caller goes through these three functions.

# Opening hours repeat weekly, so two weeks always holds the next opening when there is one.
_LOOK_AHEAD_DAYS = 14


def opening_period(at: datetime) -> tuple[datetime, datetime] | None:
    """The (opening, closing) times around `at` when the clinic is open then, else None."""
    local = timezone.localtime(at)
    period = _period_on(local.date())
    if period is not None and period[0] <= local < period[1]:
        return period
    return None


def is_open(at: datetime) -> bool:
    """Whether the clinic is open at `at` (staff are there to read messages)."""
    return opening_period(at) is not None


def next_opening(at: datetime) -> datetime:
    """`at` itself when the clinic is open then, else the next time it opens."""
    if is_open(at):
        return at
    local = timezone.localtime(at)
    for days in range(_LOOK_AHEAD_DAYS + 1):
        period = _period_on(local.date() + timedelta(days=days))
        if period is not None and period[0] > local:
            return period[0]
    raise ImproperlyConfigured("CLINIC_OPENING_HOURS opens on no day of the week")


def _period_on(day: date) -> tuple[datetime, datetime] | None:
    hours = settings.CLINIC_OPENING_HOURS.get(day.weekday())
    if hours is None:
        return None
    opens, closes = hours
    return (
        timezone.make_aware(datetime.combine(day, opens)),
        timezone.make_aware(datetime.combine(day, closes)),
    )
