"""The clinic's calendar in its time zone: business days (Monday to Friday less the clinic's
closures), for escalation deadlines and the staff pages' "waiting over a business day", and
each site's opening hours (less its closures), for the red-flag alerts' steps that wait for
them and what patients are told about when someone will see their request.

The hours and closures are declared in the scheduling app, which sits above intake: it is
reached through callables named in settings, so the dependency stays one way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

# Closures are declared in days; a month either side holds any run of them.
_CLOSURE_MARGIN = timedelta(days=31)


def closed_days(since: date, until: date, *, location_id: int | None = None) -> set[date]:
    """The days the whole clinic is closed (holidays), and with `location_id` the days that
    site is closed too, from the scheduling app through ``CLINIC_CLOSED_DAYS`` (a dotted path:
    intake does not import scheduling); none when the setting is empty."""
    if not settings.CLINIC_CLOSED_DAYS:
        return set()
    days: set[date] = import_string(settings.CLINIC_CLOSED_DAYS)(
        since=since, until=until, location_id=location_id
    )
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
# A site's opening hours are the scheduling app's (``CLINIC_SITE_HOURS``, a dotted path:
# intake does not import scheduling); a site that declares none, and the clinic as a whole,
# keep ``CLINIC_OPENING_HOURS``. A day the site is closed (a holiday) has no opening hours.
# Every caller goes through `opening_period`, `is_open` and `next_opening`.

# Opening hours repeat weekly; the margin covers a run of closures (a holiday fortnight).
_LOOK_AHEAD_DAYS = 14 + _CLOSURE_MARGIN.days

WeeklyOpening = Mapping[int, Sequence[tuple[time, time]]]


def site_weekly_hours(location_id: int | None) -> WeeklyOpening:
    """The opening hours of a site by weekday (Monday 0): the scheduling app's when the site
    declares some, else the clinic-wide ``CLINIC_OPENING_HOURS``."""
    if location_id is not None and settings.CLINIC_SITE_HOURS:
        declared: WeeklyOpening = import_string(settings.CLINIC_SITE_HOURS)(location_id=location_id)
        if declared:
            return declared
    return {day: [hours] for day, hours in settings.CLINIC_OPENING_HOURS.items()}


@dataclass(frozen=True, slots=True)
class OpeningCalendar:
    """A site's (or the clinic's) opening periods from a day on: loaded once (two queries),
    then read as often as a chain of escalation steps needs."""

    weekly: WeeklyOpening
    closed: frozenset[date]

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if day in self.closed:
            return []
        return sorted(
            (
                timezone.make_aware(datetime.combine(day, opens)),
                timezone.make_aware(datetime.combine(day, closes)),
            )
            for opens, closes in self.weekly.get(day.weekday(), ())
        )

    def opening_period(self, at: datetime) -> tuple[datetime, datetime] | None:
        local = timezone.localtime(at)
        return next((p for p in self.periods_on(local.date()) if p[0] <= local < p[1]), None)

    def next_opening(self, at: datetime) -> datetime:
        if self.opening_period(at) is not None:
            return at
        if not any(self.weekly.values()):
            raise ImproperlyConfigured("CLINIC_OPENING_HOURS opens on no day of the week")
        local = timezone.localtime(at)
        for days in range(_LOOK_AHEAD_DAYS + 1):
            for opens, _closes in self.periods_on(local.date() + timedelta(days=days)):
                if opens > local:
                    return opens
        # Closed for longer than anyone declares a closure: a step that waits for opening
        # hours goes now rather than never (an alert is never held back for good).
        return at


def opening_calendar(at: datetime, *, location_id: int | None = None) -> OpeningCalendar:
    """The opening calendar of a site (the clinic's closures and the site's own), or of the
    clinic as a whole when `location_id` is None, for the days from `at` on."""
    first = timezone.localtime(at).date()
    return OpeningCalendar(
        weekly=site_weekly_hours(location_id),
        closed=frozenset(
            closed_days(first, first + timedelta(days=_LOOK_AHEAD_DAYS), location_id=location_id)
        ),
    )


def opening_period(
    at: datetime, *, location_id: int | None = None
) -> tuple[datetime, datetime] | None:
    """The (opening, closing) times around `at` when the site is open then, else None."""
    return opening_calendar(at, location_id=location_id).opening_period(at)


def is_open(at: datetime, *, location_id: int | None = None) -> bool:
    """Whether the site (the clinic) is open at `at` (staff are there to read messages)."""
    return opening_period(at, location_id=location_id) is not None


def next_opening(at: datetime, *, location_id: int | None = None) -> datetime:
    """`at` itself when the site (the clinic) is open then, else the next time it opens."""
    return opening_calendar(at, location_id=location_id).next_opening(at)
