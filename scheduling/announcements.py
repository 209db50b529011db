"""What patients are told about their appointments: booked, moved, cancelled, and the
reminder before the visit. Recorded through the outbox inside the transaction of the change
(record first, then send), each with its calendar invite; nothing clinical in any of them."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models

from intake.announcements import appointment_time_text, patient_context, record_request_event
from notifications.models import Notification
from notifications.outbox import Message, Recipient
from scheduling.invites import invite
from scheduling.models import Appointment


class AppointmentMessage(models.TextChoices):
    BOOKED = "appointment_booked", "Appointment booked (patient)"
    MOVED = "appointment_moved", "Appointment moved (patient)"
    REMINDER = "appointment_reminder", "Appointment reminder (patient)"


SUBJECTS = {
    AppointmentMessage.BOOKED: "Your appointment is booked ({reference})",
    AppointmentMessage.MOVED: "Your appointment has moved ({reference})",
    AppointmentMessage.REMINDER: "Reminder: your appointment ({reference})",
}


def appointment_context(appointment: Appointment) -> dict[str, object]:
    return patient_context(
        appointment.request,
        appointment_time=appointment_time_text(appointment.starts_at),
        therapist=str(appointment.therapist),
        minutes=appointment.appointment_type.minutes,
        late_cancel_hours=settings.SCHEDULING_LATE_CANCEL_HOURS,
    )


def notifications_for_appointment(
    *, appointment: Appointment, kind: AppointmentMessage, now: datetime
) -> list[Notification]:
    """Record the patient's message about the appointment as it now is, with its invite.
    Once per appointment, kind and time. (A cancellation is told by the request's own
    "cancelled" message, which carries the calendar's cancellation.)"""
    appointment_request = appointment.request
    message = Message(
        kind=kind,
        subject=SUBJECTS[kind].format(reference=appointment_request.reference),
        template=f"scheduling/email/{kind}",
        context=appointment_context(appointment),
        recipients=[Recipient(appointment_request.patient.email)],
        # A move to a new time is a new message; the same one recorded twice is not.
        dedupe_key=f"{appointment.pk}|{appointment.starts_at.astimezone(UTC).isoformat()}",
        attachments=[invite(appointment, now=now)],
    )
    return record_request_event(appointment_request, [message])
