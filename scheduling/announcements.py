"""What patients are told about their appointments: booked, moved, cancelled, and the
reminder before the visit. Recorded through the outbox inside the transaction of the change
(record first, then send), each with its calendar invite; nothing clinical in any of them.
Each is in the patient's language, the reminder beat sends days later included."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from intake.announcements import (
    appointment_time_text,
    in_patient_language,
    patient_context,
    patient_language,
    record_request_event,
)
from notifications.models import Notification
from notifications.outbox import Message, Recipient
from scheduling.invites import invite
from scheduling.models import Appointment


class AppointmentMessage(models.TextChoices):
    BOOKED = "appointment_booked", "Appointment booked (patient)"
    MOVED = "appointment_moved", "Appointment moved (patient)"
    REMINDER = "appointment_reminder", "Appointment reminder (patient)"


SUBJECTS = {
    AppointmentMessage.BOOKED: _("Your appointment is booked ({reference})"),
    AppointmentMessage.MOVED: _("Your appointment has moved ({reference})"),
    AppointmentMessage.REMINDER: _("Reminder: your appointment ({reference})"),
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
    with in_patient_language(appointment_request):
        subject = str(SUBJECTS[kind]).format(reference=appointment_request.reference)
        context = appointment_context(appointment)
        attachment = invite(appointment, now=now)
    message = Message(
        kind=kind,
        subject=subject,
        template=f"scheduling/email/{kind}",
        context=context,
        recipients=[Recipient(appointment_request.patient.email)],
        # A move to a new time is a new message; the same one recorded twice is not.
        dedupe_key=f"{appointment.pk}|{appointment.starts_at.astimezone(UTC).isoformat()}",
        attachments=[attachment],
        language=patient_language(appointment_request),
    )
    return record_request_event(appointment_request, [message])
