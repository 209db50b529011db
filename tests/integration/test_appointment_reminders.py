"""Appointment e-mails end to end: a real Celery worker, the suite's Redis and PostgreSQL and
an SMTP server. The booking e-mail carries the calendar invite; the reminder goes once, at its
time, and never for a cancelled visit. The clock is injected as beat would run the task."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from datetime import timedelta

import icalendar
import pytest

from clinic.celery import ping
from intake.models import Location
from intake.services.requests import request_cancel
from notifications.models import Notification, NotificationStatus
from scheduling.selectors import initial_assessment
from scheduling.services import appointment_book
from scheduling.tasks import appointments_remind
from tests.intake.staff import therapist_at
from tests.integration.test_notification_delivery import (  # noqa: F401 (fixtures)
    environment,
    site,
    smtp,
    start_worker,
    wait_until,
)
from tests.scheduling.conftest import at, next_monday, open_site, routine_request, works
from tests.smtp import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


def remind_as_of(moment) -> None:  # type: ignore[no-untyped-def]
    appointments_remind.delay(now=moment.isoformat())
    ping.delay().get(timeout=30)


def settle() -> None:
    wait_until(
        lambda: not Notification.objects.exclude(status=NotificationStatus.SENT).exists(),
        what="every notification sent",
    )
    time.sleep(1)  # room for a duplicate to show


def test_the_reminder_goes_once_and_never_for_a_cancelled_visit(
    start_worker: Callable[..., subprocess.Popen[str]],  # noqa: F811
    smtp: SmtpSink,  # noqa: F811
    site: Location,  # noqa: F811
) -> None:
    open_site(site)
    therapist = therapist_at(site)
    works(therapist, site)
    coming, cancelled = routine_request(site, 1), routine_request(site, 2)
    starts_at = at(next_monday(), 9)
    for request, start in ((coming, starts_at), (cancelled, starts_at + timedelta(hours=1))):
        appointment_book(
            appointment_request=request,
            therapist=therapist,
            starts_at=start,
            appointment_type=initial_assessment(),
            by_patient=True,
        )
    request_cancel(appointment_request=cancelled, reason="The patient is better")
    start_worker()
    settle()
    booked = [m for m in smtp.to("runner1@example.com") if "is booked" in m.subject]
    assert len(booked) == 1
    (invite,) = [
        part for part in booked[0].message.walk() if part.get_content_type() == "text/calendar"
    ]
    event = icalendar.Calendar.from_ical(invite.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == starts_at

    remind_as_of(starts_at - timedelta(hours=30))  # not yet due
    for _ in range(3):  # beat fired again, or twice
        remind_as_of(starts_at - timedelta(hours=23))
    remind_as_of(starts_at - timedelta(hours=2))
    settle()
    reminders = [m for m in smtp.received if m.subject.startswith("Reminder")]
    assert [m.message["To"] for m in reminders] == ["runner1@example.com"]
    assert "Monday" in reminders[0].body("plain")
