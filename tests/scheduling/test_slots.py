"""The free-slot computation, pure: no slot overlaps what takes a therapist's time, none
falls outside their hours or the site's, on a closure, or in a daylight-saving gap."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.slots import Availability, Slot, WeeklyHours, first_per_start, free_slots

CHICAGO = ZoneInfo("America/Chicago")
SITE = [WeeklyHours(weekday, time(7), time(19)) for weekday in range(6)]
LENGTH = timedelta(minutes=45)


def _week(**changes: object) -> Availability:
    values: dict[str, object] = {
        "zone": CHICAGO,
        "site_hours": SITE,
        "closed_days": frozenset(),
        "working_hours": {1: [WeeklyHours(d, time(8), time(12)) for d in range(5)]},
        "busy": {},
    }
    values.update(changes)
    return Availability(**values)  # type: ignore[arg-type]


def _slots(availability: Availability, first: date, days: int = 7, **options: object) -> list[Slot]:
    since = datetime.combine(first, time(0), tzinfo=CHICAGO)
    return free_slots(
        availability,
        since=since,
        until=since + timedelta(days=days),
        length=LENGTH,
        **options,  # type: ignore[arg-type]
    )


def test_a_morning_offers_quarter_hour_starts_that_end_by_noon() -> None:
    slots = _slots(_week(), date(2026, 1, 5), days=1)  # a Monday
    starts = [timezone_time(slot.starts_at) for slot in slots]
    assert starts[0] == time(8)
    assert starts[-1] == time(11, 15)
    assert len(starts) == 14
    assert all(slot.ends_at.timestamp() - slot.starts_at.timestamp() == 2700 for slot in slots)


def timezone_time(moment: datetime) -> time:
    return moment.astimezone(CHICAGO).time()


def test_a_closure_on_a_weekday_offers_nothing_that_day() -> None:
    wednesday = date(2026, 1, 7)
    slots = _slots(_week(closed_days=frozenset({wednesday})), date(2026, 1, 5))
    days = {slot.starts_at.astimezone(CHICAGO).date() for slot in slots}
    assert wednesday not in days
    assert days == {date(2026, 1, d) for d in (5, 6, 8, 9)}


def test_working_hours_outside_the_site_opening_hours_are_not_offered() -> None:
    availability = _week(
        site_hours=[WeeklyHours(0, time(9), time(11))],
        working_hours={1: [WeeklyHours(0, time(8), time(12))]},
    )
    slots = _slots(availability, date(2026, 1, 5), days=1)
    assert timezone_time(slots[0].starts_at) == time(9)
    assert timezone_time(slots[-1].ends_at) == time(11)


def test_the_buffer_after_a_visit_must_be_free_too() -> None:
    monday = date(2026, 1, 5)
    taken = datetime.combine(monday, time(9), tzinfo=CHICAGO)
    availability = _week(busy={1: [(taken, taken + timedelta(minutes=30))]})
    starts = {timezone_time(s.starts_at) for s in _slots(availability, monday, days=1)}
    plain = {
        timezone_time(s.starts_at)
        for s in _slots(availability, monday, days=1, buffer=timedelta(minutes=15))
    }
    assert time(8, 15) in starts
    assert time(8, 15) not in plain
    assert time(8) in plain


def test_the_spring_change_keeps_the_morning_in_local_time() -> None:
    # 8 March 2026: clocks go from 2:00 to 3:00 in Chicago. A Sunday shift over the gap.
    sunday = date(2026, 3, 8)
    availability = _week(
        site_hours=[WeeklyHours(6, time(0), time(23))],
        working_hours={1: [WeeklyHours(6, time(1), time(5))]},
    )
    slots = _slots(availability, sunday, days=1)
    locals_ = [s.starts_at.astimezone(CHICAGO) for s in slots]
    assert all(not (time(2) <= t.time() < time(3)) for t in locals_)
    # Three real hours of work (1:00-5:00 local less the skipped hour): 45-minute slots on
    # the quarter hour, none running past 5:00.
    assert locals_[0].time() == time(1)
    assert max(s.ends_at for s in slots).astimezone(CHICAGO).time() <= time(5)
    assert all(
        s.ends_at.timestamp() - s.starts_at.timestamp() == LENGTH.total_seconds() for s in slots
    )


def test_the_week_after_the_autumn_change_starts_at_eight_local() -> None:
    # 1 November 2026: clocks go back. Monday 2 November still starts at 8:00 local.
    slots = _slots(_week(), date(2026, 10, 26), days=14)
    for slot in slots:
        local = slot.starts_at.astimezone(CHICAGO)
        assert time(8) <= local.time() <= time(11, 15)
    utc_hours = {
        s.starts_at.astimezone(UTC).hour for s in slots if timezone_time(s.starts_at) == time(8)
    }
    assert utc_hours == {13, 14}  # CDT then CST


def test_one_slot_per_start_time_for_patients() -> None:
    availability = _week(
        working_hours={
            1: [WeeklyHours(0, time(8), time(9))],
            2: [WeeklyHours(0, time(8), time(9))],
        }
    )
    slots = first_per_start(_slots(availability, date(2026, 1, 5), days=1))
    assert [timezone_time(s.starts_at) for s in slots] == [time(8), time(8, 15)]
    assert {s.therapist_id for s in slots} == {1}


# --- properties ---------------------------------------------------------------------------

MONDAYS = st.sampled_from(
    [date(2026, 1, 5), date(2026, 3, 2), date(2026, 3, 9), date(2026, 10, 26), date(2026, 11, 2)]
)
minutes = st.integers(min_value=0, max_value=7 * 24 * 60)
intervals = st.tuples(minutes, st.integers(min_value=1, max_value=6 * 60))
hours = st.tuples(
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=22),
    st.integers(min_value=1, max_value=10),
)


@settings(max_examples=150, deadline=None)
@given(
    monday=MONDAYS,
    busy=st.lists(intervals, max_size=12),
    shifts=st.lists(hours, min_size=1, max_size=8),
    closed=st.sets(st.integers(min_value=0, max_value=6), max_size=2),
    buffer=st.sampled_from([0, 10, 15]),
)
def test_no_slot_overlaps_what_takes_the_time_or_falls_outside_the_hours(
    monday: date,
    busy: list[tuple[int, int]],
    shifts: list[tuple[int, int, int]],
    closed: set[int],
    buffer: int,
) -> None:
    start = datetime.combine(monday, time(0), tzinfo=CHICAGO)
    taken = [
        (start + timedelta(minutes=at), start + timedelta(minutes=at + length))
        for at, length in busy
    ]
    working = [
        WeeklyHours(weekday, time(hour), time(min(hour + span, 23), 59))
        for weekday, hour, span in shifts
    ]
    closed_days = frozenset(monday + timedelta(days=d) for d in closed)
    availability = Availability(
        zone=CHICAGO,
        site_hours=[WeeklyHours(d, time(0), time(23, 59)) for d in range(7)],
        closed_days=closed_days,
        working_hours={7: working},
        busy={7: taken},
    )
    pad = timedelta(minutes=buffer)
    slots = free_slots(
        availability, since=start, until=start + timedelta(days=7), length=LENGTH, buffer=pad
    )
    for slot in slots:
        assert not any(b0 < slot.ends_at + pad and slot.starts_at < b1 for b0, b1 in taken)
        local_start, local_end = (
            slot.starts_at.astimezone(CHICAGO),
            slot.ends_at.astimezone(CHICAGO),
        )
        assert local_start.date() not in closed_days
        # Inside one declared shift, read in local time on that day.
        assert any(
            h.weekday == local_start.weekday()
            and h.starts <= local_start.time()
            and local_end.time() <= h.ends
            and local_end.date() == local_start.date()
            for h in working
        )
        # Never a wall-clock time that does not exist (it would not round-trip).
        assert local_start.replace(tzinfo=None).replace(tzinfo=CHICAGO).astimezone(
            UTC
        ) == slot.starts_at.astimezone(UTC)
