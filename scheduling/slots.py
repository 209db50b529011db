"""Free slots: availability minus what is already taken. Pure: no database, no clock.

Weekly hours are wall-clock times in the clinic's time zone; each day they are turned into
instants with that day's offset, so a daylight-saving change neither shifts a therapist's
morning nor offers a slot in the hour that does not exist (or twice in the one that repeats).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

Interval = tuple[datetime, datetime]  # [start, end), aware


@dataclass(frozen=True)
class WeeklyHours:
    weekday: int  # Monday 0 ... Sunday 6
    starts: time
    ends: time


@dataclass(frozen=True)
class Availability:
    """Everything the slots of one site over a period depend on."""

    zone: tzinfo
    site_hours: Sequence[WeeklyHours]
    closed_days: frozenset[date]
    # Per therapist id: their weekly hours at this site, and what already takes their time
    # (appointments with their buffer, at any site, and time off).
    working_hours: Mapping[int, Sequence[WeeklyHours]]
    busy: Mapping[int, Sequence[Interval]] = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    therapist_id: int


def local_instant(day: date, moment: time, zone: tzinfo, *, end: bool = False) -> datetime:
    """The instant a wall-clock time happens on a day. A start skipped by the spring change
    maps to after the gap, an end to before it (so no slot runs past the declared end on the
    wall clock); a repeated start to its first occurrence, a repeated end to its second."""
    local = datetime.combine(day, moment, tzinfo=zone).replace(fold=1 if end else 0)
    # A skipped time carries the offset from before the gap; through UTC it lands on the
    # real instant, after the gap (astimezone to the same tzinfo would change nothing).
    return local.astimezone(UTC).astimezone(zone)


def _windows(day: date, hours: Iterable[WeeklyHours], zone: tzinfo) -> list[Interval]:
    return [
        (local_instant(day, h.starts, zone), local_instant(day, h.ends, zone, end=True))
        for h in hours
        if h.weekday == day.weekday()
    ]


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out = []
    for a_start, a_end in a:
        for b_start, b_end in b:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                out.append((start, end))
    return sorted(out)


class _Busy:
    """What takes a therapist's time, for "does [start, end) overlap any of it?" in
    logarithmic time: the intervals sorted by start, with the latest end among each prefix
    (an interval overlaps when it starts before `end`; the latest end of those tells)."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        ordered = sorted((a.timestamp(), b.timestamp()) for a, b in intervals)
        self.starts = [a for a, _ in ordered]
        self.latest_end: list[float] = []
        latest = float("-inf")
        for _, b in ordered:
            latest = max(latest, b)
            self.latest_end.append(latest)

    def overlaps_seconds(self, start: float, end: float) -> bool:
        before_end = bisect_left(self.starts, end)
        return before_end > 0 and self.latest_end[before_end - 1] > start


def working_windows(
    availability: Availability, therapist_id: int, start: date, end: date
) -> list[Interval]:
    """A therapist's working time at the site on each day from ``start`` to ``end``
    (inclusive), inside the site's opening hours and outside its closures."""
    hours = availability.working_hours.get(therapist_id, ())
    windows: list[Interval] = []
    day = start
    while day <= end:
        if day not in availability.closed_days:
            windows.extend(
                _intersect(
                    _windows(day, hours, availability.zone),
                    _windows(day, availability.site_hours, availability.zone),
                )
            )
        day += timedelta(days=1)
    return windows


def free_slots(
    availability: Availability,
    *,
    since: datetime,
    until: datetime,
    length: timedelta,
    buffer: timedelta = timedelta(0),
    step: timedelta = timedelta(minutes=15),
) -> list[Slot]:
    """Every slot of ``length`` starting in [since, until) in which a therapist works at the
    site and nothing else takes their time (the buffer after it included), earliest first.

    Starts fall on the ``step`` grid from the start of each working window. The appointment
    itself must end inside the window; its buffer must only be free of other bookings.
    """
    zone = availability.zone
    first, last = since.astimezone(zone).date(), until.astimezone(zone).date()
    # Real seconds (POSIX timestamps) inside the loop: comparing aware datetimes of several
    # zones costs a conversion each time, and the search runs for every booking page.
    since_s, until_s = since.timestamp(), until.timestamp()
    length_s, buffer_s, step_s = (
        length.total_seconds(),
        buffer.total_seconds(),
        step.total_seconds(),
    )
    slots: list[Slot] = []
    for therapist_id in availability.working_hours:
        busy = _Busy(availability.busy.get(therapist_id, ()))
        for window_start, window_end in working_windows(availability, therapist_id, first, last):
            start_s, last_s = window_start.timestamp(), window_end.timestamp() - length_s
            moment = start_s
            while moment <= last_s:
                if since_s <= moment < until_s and not busy.overlaps_seconds(
                    moment, moment + length_s + buffer_s
                ):
                    # From the timestamps: aware arithmetic in one zone is wall-clock time.
                    slots.append(
                        Slot(
                            datetime.fromtimestamp(moment, zone),
                            datetime.fromtimestamp(moment + length_s, zone),
                            therapist_id,
                        )
                    )
                moment += step_s
    slots.sort(key=lambda slot: (slot.starts_at.timestamp(), slot.therapist_id))
    return slots


def first_per_start(slots: Iterable[Slot]) -> list[Slot]:
    """One slot per start time (the first therapist free then), for patients choosing a time
    rather than a person."""
    seen: set[datetime] = set()
    out = []
    for slot in sorted(slots, key=lambda slot: (slot.starts_at.timestamp(), slot.therapist_id)):
        if slot.starts_at not in seen:
            seen.add(slot.starts_at)
            out.append(slot)
    return out
