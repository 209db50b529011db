"""The queries of scheduling: each loads what a page or a service needs in a fixed number of
queries, however many therapists, days or appointments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from intake.models import AppointmentRequest, Therapist, TimeOfDay
from intake.recipients import new_request_therapists
from scheduling.models import (
    HOLDS_TIME,
    Appointment,
    AppointmentType,
    Closure,
    SiteBooking,
    SiteHours,
    TimeOff,
    WorkingHours,
)
from scheduling.slots import (
    Availability,
    Interval,
    Slot,
    WeeklyHours,
    first_per_start,
    free_slots,
    local_instant,
    working_windows,
)

# How far ahead patients are offered times, and how many at most.
PATIENT_DAYS = 14
PATIENT_SLOTS = 40


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _weekly(rows: Iterable[SiteHours | WorkingHours]) -> list[WeeklyHours]:
    return [WeeklyHours(row.weekday, row.starts, row.ends) for row in rows]


def availability_at(
    *, location_id: int, therapist_ids: Sequence[int], since: datetime, until: datetime
) -> Availability:
    """What the slots at a site from ``since`` to ``until`` depend on, for these therapists,
    in five queries."""
    zone = clinic_zone()
    first, last = since.astimezone(zone).date(), until.astimezone(zone).date()
    site_hours = _weekly(SiteHours.objects.filter(location_id=location_id))
    closed = frozenset(
        Closure.objects.filter(
            Q(location_id=location_id) | Q(location__isnull=True), day__range=(first, last)
        ).values_list("day", flat=True)
    )
    hours: dict[int, list[WeeklyHours]] = {pk: [] for pk in therapist_ids}
    for row in WorkingHours.objects.filter(location_id=location_id, therapist_id__in=therapist_ids):
        hours[row.therapist_id].append(WeeklyHours(row.weekday, row.starts, row.ends))
    busy: dict[int, list[Interval]] = defaultdict(list)
    # Appointments anywhere (a therapist at one site is not free at another); a day's margin
    # each side catches ones whose buffer reaches into the period.
    for therapist_id, starts_at, busy_until in Appointment.objects.filter(
        therapist_id__in=therapist_ids,
        status__in=HOLDS_TIME,
        starts_at__lt=until + timedelta(days=1),
        busy_until__gt=since - timedelta(days=1),
    ).values_list("therapist_id", "starts_at", "busy_until"):
        busy[therapist_id].append((starts_at, busy_until))
    for therapist_id, starts_at, ends_at in TimeOff.objects.filter(
        therapist_id__in=therapist_ids, starts_at__lt=until, ends_at__gt=since
    ).values_list("therapist_id", "starts_at", "ends_at"):
        busy[therapist_id].append((starts_at, ends_at))
    return Availability(
        zone=zone,
        site_hours=site_hours,
        closed_days=closed,
        working_hours={pk: rows for pk, rows in hours.items() if rows},
        busy=dict(busy),
    )


def site_free_slots(
    *,
    location_id: int,
    appointment_type: AppointmentType,
    since: datetime,
    until: datetime,
    therapist_ids: Sequence[int] | None = None,
) -> list[Slot]:
    """Free slots of a kind of visit at a site, for some therapists (every one who works
    there when None): six queries at most."""
    if therapist_ids is None:
        therapist_ids = list(
            Therapist.objects.filter(locations=location_id, user__is_active=True).values_list(
                "pk", flat=True
            )
        )
    availability = availability_at(
        location_id=location_id, therapist_ids=therapist_ids, since=since, until=until
    )
    return free_slots(
        availability,
        since=since,
        until=until,
        length=timedelta(minutes=appointment_type.minutes),
        buffer=timedelta(minutes=appointment_type.buffer_minutes),
    )


def initial_assessment() -> AppointmentType:
    return AppointmentType.objects.get(code=AppointmentType.INITIAL_ASSESSMENT)


def self_booking_allowed(location_id: int) -> bool:
    """Whether patients may book online at a site (allowed unless turned off)."""
    return not SiteBooking.objects.filter(location_id=location_id, self_booking=False).exists()


def _suits(moment: datetime, preferred: Sequence[str]) -> bool:
    """Whether a start falls in the times of day the patient said suit them (any, when they
    named none)."""
    if not preferred:
        return True
    local = timezone.localtime(moment)
    weekday, hour = local.weekday(), local.time()
    if weekday == 5:
        return TimeOfDay.SATURDAY in preferred
    if weekday == 6:
        return False
    if hour < time(12):
        return TimeOfDay.WEEKDAY_MORNING in preferred
    if hour < time(17):
        return TimeOfDay.WEEKDAY_AFTERNOON in preferred
    return TimeOfDay.WEEKDAY_EVENING in preferred


def patient_slots(
    *,
    appointment_request: AppointmentRequest,
    now: datetime | None = None,
    exclude: Appointment | None = None,
) -> list[Slot]:
    """The free initial-assessment times offered to a patient: the next ``PATIENT_DAYS`` days at
    the chosen site, with the therapists notification routing would alert about the request
    (who take new patients and treat its top category, or every one there), in the times of
    day the patient said suit them, one per start time, earliest first.

    ``exclude``: the patient's own appointment, when they are moving it (its time counts
    as free for them)."""
    now = now or timezone.now()
    # From the next quarter hour, at least an hour ahead: nobody books for a minute away.
    since = (now + timedelta(hours=1)).replace(second=0, microsecond=0)
    since += timedelta(minutes=-since.minute % 15)
    until = since + timedelta(days=PATIENT_DAYS)
    therapist_ids = [t.pk for t in new_request_therapists(appointment_request=appointment_request)]
    kind = initial_assessment()
    availability = availability_at(
        location_id=appointment_request.location_id,
        therapist_ids=therapist_ids,
        since=since,
        until=until,
    )
    if exclude is not None:
        own = (exclude.starts_at, exclude.busy_until)
        availability = Availability(
            zone=availability.zone,
            site_hours=availability.site_hours,
            closed_days=availability.closed_days,
            working_hours=availability.working_hours,
            busy={
                pk: [interval for interval in intervals if interval != own]
                for pk, intervals in availability.busy.items()
            },
        )
    slots = free_slots(
        availability,
        since=since,
        until=until,
        length=timedelta(minutes=kind.minutes),
        buffer=timedelta(minutes=kind.buffer_minutes),
    )
    preferred = appointment_request.preferred_times
    return first_per_start(s for s in slots if _suits(s.starts_at, preferred))[:PATIENT_SLOTS]


def booked_appointment(appointment_request: AppointmentRequest) -> Appointment | None:
    """The request's live appointment, with what its pages show."""
    return (
        Appointment.objects.select_related("therapist__user", "location", "appointment_type")
        .filter(request=appointment_request, status="booked")
        .first()
    )


def closed_days(*, since: date, until: date, location_id: int | None = None) -> set[date]:
    """The days every site is closed (clinic-wide closures), for business-day counting, and
    with `location_id` the days that site is closed too (named in ``CLINIC_CLOSED_DAYS``)."""
    where = Q(location__isnull=True)
    if location_id is not None:
        where |= Q(location_id=location_id)
    return set(
        Closure.objects.filter(where, day__range=(since, until)).values_list("day", flat=True)
    )


def site_weekly_hours(*, location_id: int) -> dict[int, list[tuple[time, time]]]:
    """A site's declared opening hours by weekday (Monday 0), for intake's calendar (named in
    ``CLINIC_SITE_HOURS``); empty when the site declares none."""
    weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, starts, ends in SiteHours.objects.filter(location_id=location_id).values_list(
        "weekday", "starts", "ends"
    ):
        weekly[weekday].append((starts, ends))
    return dict(weekly)


@dataclass(frozen=True)
class CalendarCell:
    """One therapist at one time of one day: an appointment starting then, one running on,
    a free slot, or not working."""

    therapist: Therapist
    appointment: Appointment | None = None
    continues: bool = False
    free: Slot | None = None
    working: bool = False


@dataclass(frozen=True)
class CalendarRow:
    starts_at: datetime
    cells: list[CalendarCell]


@dataclass(frozen=True)
class CalendarDay:
    day: date
    closed: bool
    rows: list[CalendarRow]


@dataclass(frozen=True)
class Calendar:
    therapists: list[Therapist]
    days: list[CalendarDay]
    appointment_type: AppointmentType


CALENDAR_STEP = timedelta(minutes=15)


def site_calendar(
    *,
    location_id: int,
    first_day: date,
    days: int,
    appointment_type: AppointmentType,
    moving: Appointment | None = None,
    now: datetime | None = None,
) -> Calendar:
    """The front desk's calendar of a site: a column per therapist who works there, a row per
    quarter hour of the site's opening hours, each appointment in its cell and each free slot
    of ``appointment_type`` (from ``now`` on) ready to pick. Eight queries, whatever the size.

    ``moving``: the appointment being moved; its own time shows as free."""
    now = now or timezone.now()
    zone = clinic_zone()
    therapists = list(
        Therapist.objects.filter(locations=location_id, user__is_active=True).select_related("user")
    )
    ids = [t.pk for t in therapists]
    since = datetime.combine(first_day, time(0), tzinfo=zone)
    until = datetime.combine(first_day + timedelta(days=days), time(0), tzinfo=zone)
    availability = availability_at(
        location_id=location_id, therapist_ids=ids, since=since, until=until
    )
    appointments = list(
        Appointment.objects.filter(
            location_id=location_id,
            status__in=HOLDS_TIME,
            starts_at__lt=until,
            ends_at__gt=since,
        ).select_related("request__patient", "appointment_type")
    )
    busy = availability.busy
    if moving is not None:
        own = (moving.starts_at, moving.busy_until)
        busy = {pk: [i for i in intervals if i != own] for pk, intervals in busy.items()}
    free = free_slots(
        Availability(
            zone=zone,
            site_hours=availability.site_hours,
            closed_days=availability.closed_days,
            working_hours=availability.working_hours,
            busy=busy,
        ),
        since=max(since, now),
        until=until,
        length=timedelta(minutes=appointment_type.minutes),
        buffer=timedelta(minutes=appointment_type.buffer_minutes),
        step=CALENDAR_STEP,
    )
    free_at = {(slot.therapist_id, slot.starts_at): slot for slot in free}
    calendar_days = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        opening = sorted(
            (start, end)
            for start, end in (
                (local_instant(day, h.starts, zone), local_instant(day, h.ends, zone, end=True))
                for h in availability.site_hours
                if h.weekday == day.weekday()
            )
        )
        windows = {pk: working_windows(availability, pk, day, day) for pk in ids}
        rows = []
        for open_start, open_end in opening:
            moment = open_start
            while moment < open_end:
                cells = []
                for therapist in therapists:
                    starting = next(
                        (
                            a
                            for a in appointments
                            if a.therapist_id == therapist.pk and a.starts_at == moment
                        ),
                        None,
                    )
                    running = starting or next(
                        (
                            a
                            for a in appointments
                            if a.therapist_id == therapist.pk and a.starts_at < moment < a.ends_at
                        ),
                        None,
                    )
                    cells.append(
                        CalendarCell(
                            therapist=therapist,
                            appointment=running,
                            continues=running is not None and starting is None,
                            free=free_at.get((therapist.pk, moment)),
                            working=any(s <= moment < e for s, e in windows[therapist.pk]),
                        )
                    )
                rows.append(CalendarRow(moment, cells))
                moment = (moment.astimezone(UTC) + CALENDAR_STEP).astimezone(zone)
        calendar_days.append(
            CalendarDay(day=day, closed=day in availability.closed_days, rows=rows)
        )
    return Calendar(therapists=therapists, days=calendar_days, appointment_type=appointment_type)
