"""Calendar invites (RFC 5545, with the `icalendar` library) for appointment e-mails.

One UID per appointment for its whole life, so a calendar app updates the event it already
has: a move raises SEQUENCE, a cancellation sends METHOD:CANCEL. No clinical detail: the
event says who the clinic is, where, and the reference.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils.translation import gettext

from scheduling.models import Appointment

MIMETYPE = "text/calendar"


def invite(appointment: Appointment, *, cancel: bool = False, now: datetime) -> dict[str, str]:
    """The attachment (as the outbox records it) announcing the appointment as it is now, or
    its cancellation."""
    # icalendar (some 80 modules) only where an invite is written: a web worker serving the
    # intake pages never writes one.
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    event.add("uid", f"{appointment.uid}@{domain}")
    # A cancellation carries the next sequence: it supersedes the last invite sent.
    event.add("sequence", appointment.sequence + (1 if cancel else 0))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", appointment.starts_at.astimezone(UTC))
    event.add("dtend", appointment.ends_at.astimezone(UTC))
    location = appointment.location
    event.add(
        "summary", gettext("Physical therapy at {clinic}").format(clinic=settings.CLINIC_NAME)
    )
    event.add("location", f"{location.name}, {location.address}")
    event.add(
        "description",
        gettext(
            "Reference {reference}. To move or cancel, use your status link or call {phone}."
        ).format(reference=appointment.request.reference, phone=location.phone),
    )
    organizer = icalendar.vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = icalendar.vText(settings.CLINIC_NAME)
    event.add("organizer", organizer)
    if address := appointment.request.patient.email:
        # iTIP (RFC 5546) has a REQUEST name its attendee; without one, some calendar apps
        # offer the event as someone else's invitation instead of filing it as accepted.
        attendee = icalendar.vCalAddress(f"mailto:{address}")
        attendee.params.update(role="REQ-PARTICIPANT", partstat="ACCEPTED", rsvp="FALSE")
        event.add("attendee", attendee)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    calendar.add_component(event)
    return {
        "filename": "cancel.ics" if cancel else "invite.ics",
        "content": calendar.to_ical().decode(),
        "mimetype": MIMETYPE,
    }
