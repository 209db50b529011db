"""Booking, moving and cancelling appointments, and recording how the visit went.

Why two patients can never hold one therapist's time:
- PostgreSQL: the exclusion constraint of migration 0002 refuses a second appointment over
  the same therapist's [starts_at, busy_until); of two transactions racing, the second waits
  for the first and then fails, and the service answers "just taken".
- SQLite (the embedded default): every transaction begins with BEGIN IMMEDIATE
  (``transaction_mode`` in clinic/settings.py), so the check below and the insert run under
  the database's one write lock: the second booking waits, then sees the first.
On both, the check gives the reason in words before the database has to refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.announcements import appointment_time_text, in_patient_language
from intake.models import AppointmentRequest, Location, RequestStatus, Therapist
from intake.services.requests import (
    request_cancel,
    request_locked_for,
    request_record_completed,
    request_record_scheduled,
)
from scheduling.announcements import AppointmentMessage, notifications_for_appointment
from scheduling.invites import invite
from scheduling.models import (
    HOLDS_TIME,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    TimeOff,
)
from scheduling.selectors import availability_at
from scheduling.slots import working_windows

TAKEN_MESSAGE = "Sorry, that time was just taken. Please choose another."


class SlotTaken(ValidationError):
    """Someone else booked the time first."""

    def __init__(self, message: str = TAKEN_MESSAGE) -> None:
        super().__init__(message, code="taken")


@dataclass(frozen=True)
class _Times:
    starts_at: datetime
    ends_at: datetime
    busy_until: datetime


def _times(starts_at: datetime, kind: AppointmentType) -> _Times:
    ends_at = starts_at + timedelta(minutes=kind.minutes)
    return _Times(starts_at, ends_at, ends_at + timedelta(minutes=kind.buffer_minutes))


def _check_time(
    *, therapist: Therapist, location_id: int, times: _Times, now: datetime, moving: int | None
) -> None:
    """Refuse, saying why, a time in the past, outside the therapist's hours at the site
    (opening hours and closures included), in their time off, or over another appointment."""
    if times.starts_at <= now:
        raise ValidationError("Choose a time that is still to come.", code="past")
    availability = availability_at(
        location_id=location_id,
        therapist_ids=[therapist.pk],
        since=times.starts_at,
        until=times.busy_until,
    )
    local = timezone.localtime(times.starts_at)
    day = local.date()
    windows = working_windows(availability, therapist.pk, day, day)
    when = appointment_time_text(times.starts_at)
    if day in availability.closed_days:
        raise ValidationError(f"The site is closed on {local:%A %B %-d}.", code="closed")
    if not availability.working_hours:
        location = Location.objects.get(pk=location_id)
        raise ValidationError(
            f"{therapist} does not work at {location}: choose a therapist who does.",
            code="site",
        )
    if not any(start <= times.starts_at and times.ends_at <= end for start, end in windows):
        raise ValidationError(
            f"{when} is outside {therapist}'s working hours at this site.", code="hours"
        )
    others = Appointment.objects.filter(
        therapist=therapist,
        status__in=HOLDS_TIME,
        starts_at__lt=times.busy_until,
        busy_until__gt=times.starts_at,
    )
    if moving is not None:
        others = others.exclude(pk=moving)
    if others.exists():
        raise SlotTaken(f"{therapist} already has an appointment at {when}.")
    off = TimeOff.objects.filter(
        therapist=therapist, starts_at__lt=times.busy_until, ends_at__gt=times.starts_at
    )
    if off.exists():
        raise ValidationError(f"{therapist} is off at {when}.", code="time_off")


def _insert(appointment: Appointment) -> None:
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            appointment.save()
    except IntegrityError as error:
        # The exclusion constraint: another booking got there between the check and here.
        raise SlotTaken() from error


def appointment_book(
    *,
    appointment_request: AppointmentRequest,
    therapist: Therapist,
    starts_at: datetime,
    appointment_type: AppointmentType,
    by_patient: bool,
    now: datetime | None = None,
) -> Appointment:
    """Book the request's appointment, write the request's summary of it and record the
    patient's e-mail with its invite, in one transaction. A second click of the same booking
    returns the first one. Raises ``SlotTaken`` when the time has gone, ``ValidationError``
    when the time or the request does not allow it."""
    now = now or timezone.now()
    times = _times(starts_at, appointment_type)
    with transaction.atomic():
        locked = request_locked_for(appointment_request, RequestStatus.SCHEDULED)
        existing = Appointment.objects.filter(
            request=locked, status=AppointmentStatus.BOOKED
        ).first()
        if existing is not None:
            if existing.therapist_id == therapist.pk and existing.starts_at == starts_at:
                return existing
            raise ValidationError(
                f"{locked.reference} already has an appointment: move it instead.", code="booked"
            )
        _check_time(
            therapist=therapist,
            location_id=locked.location_id,
            times=times,
            now=now,
            moving=None,
        )
        appointment = Appointment(
            request=locked,
            therapist=therapist,
            location_id=locked.location_id,
            appointment_type=appointment_type,
            starts_at=times.starts_at,
            ends_at=times.ends_at,
            busy_until=times.busy_until,
            booked_by_patient=by_patient,
        )
        _insert(appointment)
        request_record_scheduled(
            appointment_request=locked, when=times.starts_at, therapist=therapist
        )
        notifications_for_appointment(
            appointment=appointment, kind=AppointmentMessage.BOOKED, now=now
        )
    appointment_request.refresh_from_db()
    return appointment


def appointment_move(
    *,
    appointment: Appointment,
    therapist: Therapist,
    starts_at: datetime,
    now: datetime | None = None,
) -> Appointment:
    """Move a booked appointment to another time (and perhaps therapist), raise its invite's
    sequence and record the patient's e-mail, in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update()
            .select_related("appointment_type")
            .get(pk=appointment.pk)
        )
        if locked.status != AppointmentStatus.BOOKED:
            raise ValidationError("This appointment is no longer booked.", code="not_booked")
        if locked.therapist_id == therapist.pk and locked.starts_at == starts_at:
            return locked  # a second click of the same move
        times = _times(starts_at, locked.appointment_type)
        _check_time(
            therapist=therapist,
            location_id=locked.location_id,
            times=times,
            now=now,
            moving=locked.pk,
        )
        locked.therapist = therapist
        locked.starts_at, locked.ends_at, locked.busy_until = (
            times.starts_at,
            times.ends_at,
            times.busy_until,
        )
        locked.sequence += 1
        locked.reminded_at = None
        _insert(locked)
        request_record_scheduled(
            appointment_request=locked.request, when=times.starts_at, therapist=therapist
        )
        notifications_for_appointment(appointment=locked, kind=AppointmentMessage.MOVED, now=now)
    return locked


def is_late_cancellation(appointment: Appointment, now: datetime) -> bool:
    """Whether cancelling now is inside the clinic's late-cancellation window."""
    window = timedelta(hours=settings.SCHEDULING_LATE_CANCEL_HOURS)
    return appointment.starts_at - now < window


def appointments_cancel_with_request(
    *, appointment_request: AppointmentRequest, by_patient: bool
) -> list[dict[str, str]]:
    """``REQUEST_CANCELLED_HANDLER``: the request was cancelled (inside that transaction), so
    its booked appointment is too, its time freed. A patient cancelling inside the
    late-cancellation window is recorded as a late cancellation. Returns the calendar's
    cancellation for the patient's message."""
    now = timezone.now()
    attachments = []
    for appointment in Appointment.objects.select_for_update().filter(
        request=appointment_request, status=AppointmentStatus.BOOKED
    ):
        late = by_patient and is_late_cancellation(appointment, now)
        appointment.status = AppointmentStatus.LATE_CANCEL if late else AppointmentStatus.CANCELLED
        appointment.save(update_fields=["status", "updated_at"])
        with in_patient_language(appointment_request):
            attachments.append(invite(appointment, cancel=True, now=now))
    return attachments


OUTCOMES = (AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW, AppointmentStatus.LATE_CANCEL)


def appointment_record_outcome(
    *, appointment: Appointment, outcome: AppointmentStatus, now: datetime | None = None
) -> None:
    """The front desk records how a visit went, once it was due: attended (the request is
    completed), no-show, or a late cancellation (the patient called too late)."""
    now = now or timezone.now()
    if outcome not in OUTCOMES:
        raise ValidationError("Record attended, no-show or late cancellation.", code="outcome")
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != AppointmentStatus.BOOKED:
            raise ValidationError(
                f"This appointment is already {locked.get_status_display().lower()}.",
                code="recorded",
            )
        if outcome != AppointmentStatus.LATE_CANCEL and locked.starts_at > now:
            raise ValidationError("This visit has not started yet.", code="future")
        if outcome == AppointmentStatus.LATE_CANCEL:
            # The request is cancelled with it (the handler above frees the time).
            request_cancel(
                appointment_request=locked.request, reason="Cancelled late by the patient"
            )
        locked.status = outcome
        locked.save(update_fields=["status", "updated_at"])
        if outcome == AppointmentStatus.ATTENDED:
            request_record_completed(appointment_request=locked.request)
    appointment.refresh_from_db()


def appointments_remind(*, now: datetime | None = None) -> list[Appointment]:
    """Record the reminder of every booked appointment starting within
    ``SCHEDULING_REMINDER_HOURS`` (beat runs this every few minutes). Once per appointment
    and time: each is claimed with a conditional update of ``reminded_at`` (two workers
    racing remind it once), and the outbox's once-only rule holds besides. A moved appointment
    is reminded again for its new time; a cancelled one never."""
    now = now or timezone.now()
    window = timedelta(hours=settings.SCHEDULING_REMINDER_HOURS)
    due = list(
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + window,
        ).values_list("pk", flat=True)
    )
    reminded = []
    for pk in due:
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=pk, status=AppointmentStatus.BOOKED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            appointment = Appointment.objects.select_related(
                "request__patient", "request__location", "therapist__user", "appointment_type"
            ).get(pk=pk)
            notifications_for_appointment(
                appointment=appointment, kind=AppointmentMessage.REMINDER, now=now
            )
            reminded.append(appointment)
    return reminded
