"""Red-flag alerts end to end: real Celery workers, the suite's Redis and PostgreSQL, and a
real SMTP server. The clock is injected: the test sends the escalation task with the time it
runs as of, as beat would at that moment, so no test waits minutes."""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clinic.celery import ping
from intake.models import AppointmentRequest, Location
from intake.services.alerts import alert_acknowledge
from intake.tasks import alerts_escalate
from notifications.models import Notification, NotificationStatus
from staff import roles
from tests.factories import LocationFactory, TherapistFactory, UserFactory, submit_intake
from tests.factories import valid_answers as answers
from tests.integration.test_notification_delivery import (  # noqa: F401 (fixtures)
    environment,
    site,
    smtp,
    staff,
    start_worker,
    wait_until,
)
from tests.smtp import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

CLINIC_TZ = ZoneInfo("America/Chicago")
RAISED = datetime(2026, 12, 1, 10, 0, tzinfo=CLINIC_TZ)  # a Tuesday morning
ALERT_ADDRESS = "clinic-alerts@clinic.example"  # the workers run with development settings
ONCALL, THEO, BOSS = "oncall@clinic.example", "theo@clinic.example", "boss@clinic.example"


@pytest.fixture
def clinic(site: Location) -> None:  # noqa: F811
    """An on-call therapist at another site, a therapist at this one, a manager."""
    TherapistFactory(
        user=UserFactory(username="oncall"), locations=[LocationFactory(name="Hill")], on_call=True
    )
    TherapistFactory(user=UserFactory(username="theo"), locations=[site])
    staff(roles.CLINIC_MANAGER, "boss")


def emergency(site: Location) -> AppointmentRequest:  # noqa: F811
    return submit_intake(location=site, answers=answers(rf_numb_cold_foot=True), now=RAISED)


def alert_emails(smtp: SmtpSink) -> Counter[str]:  # noqa: F811
    """How many alert e-mails (of any step) each address received."""
    return Counter(
        address
        for message in smtp.received
        if message.subject.startswith("URGENT")
        for address in message.recipients
    )


def escalate_as_of(minutes: float) -> None:
    """Run the escalation on a worker as of `minutes` after the alert was raised, and wait
    until it ran (one worker takes tasks in order: a ping answered after it means it ran)."""
    alerts_escalate.delay(now=(RAISED + timedelta(minutes=minutes)).isoformat())
    ping.delay().get(timeout=30)


def all_delivered() -> bool:
    return not Notification.objects.exclude(status=NotificationStatus.SENT).exists()


def settle(smtp: SmtpSink) -> Counter[str]:  # noqa: F811
    """Wait for every recorded message to be sent, and a moment more for any duplicate."""
    wait_until(all_delivered, what="every notification sent")
    time.sleep(1)
    return alert_emails(smtp)


def test_an_emergency_nobody_acknowledges_sends_each_step_once_at_its_time(
    start_worker: Callable[..., subprocess.Popen[str]],  # noqa: F811
    smtp: SmtpSink,  # noqa: F811
    site: Location,  # noqa: F811
    clinic: None,
) -> None:
    start_worker()
    emergency(site)
    assert settle(smtp) == {ONCALL: 1}  # step 1, at once, with the submission

    escalate_as_of(9)
    assert settle(smtp) == {ONCALL: 1}
    escalate_as_of(10)
    assert settle(smtp) == {ONCALL: 1, THEO: 1, BOSS: 1}
    escalate_as_of(11)
    escalate_as_of(19)
    assert settle(smtp) == {ONCALL: 1, THEO: 1, BOSS: 1}
    escalate_as_of(20)
    assert settle(smtp) == {ONCALL: 1, THEO: 1, BOSS: 1, ALERT_ADDRESS: 1}
    escalate_as_of(120)
    assert settle(smtp) == {ONCALL: 1, THEO: 1, BOSS: 1, ALERT_ADDRESS: 1}

    escalated = [m for m in smtp.received if m.subject.startswith("URGENT, not acknowledged")]
    assert len(escalated) == 3
    assert "/admin/intake/redflagalert/acknowledge/" in escalated[0].body("plain")


def test_acknowledging_after_the_first_step_stops_the_rest(
    start_worker: Callable[..., subprocess.Popen[str]],  # noqa: F811
    smtp: SmtpSink,  # noqa: F811
    site: Location,  # noqa: F811
    clinic: None,
) -> None:
    start_worker()
    request = emergency(site)
    assert settle(smtp) == {ONCALL: 1}

    oncall = UserFactory(username="oncall")
    alert_acknowledge(alert=request.intake.alert, user=oncall, now=RAISED + timedelta(minutes=3))
    for minutes in (10, 20, 60):
        escalate_as_of(minutes)

    assert settle(smtp) == {ONCALL: 1}


def test_two_workers_racing_on_one_step_send_one_email_each(
    start_worker: Callable[..., subprocess.Popen[str]],  # noqa: F811
    smtp: SmtpSink,  # noqa: F811
    site: Location,  # noqa: F811
    clinic: None,
    tmp_path: Path,
) -> None:
    # Each worker also listens on a queue of its own, so that both surely get a copy: left to
    # share one queue, one worker could take all six and there would be no race to test.
    queues = ("racer-a", "racer-b")
    for queue in queues:
        start_worker(queue=queue)
    emergency(site)
    assert settle(smtp) == {ONCALL: 1}

    # Beat fired twice (two beats by mistake, or a retry): the same step, at the same time.
    as_of = (RAISED + timedelta(minutes=10)).isoformat()
    for round_ in range(6):
        alerts_escalate.apply_async(kwargs={"now": as_of}, queue=queues[round_ % 2])

    wait_until(lambda: alert_emails(smtp)[BOSS] >= 1, what="the second step sent")
    assert settle(smtp) == {ONCALL: 1, THEO: 1, BOSS: 1}
    logs = [path.read_text() for path in sorted(tmp_path.glob("worker-*.log"))]
    ran = [log.count("intake.alerts_escalate[") for log in logs]
    assert len(ran) == 2
    assert all(count >= 1 for count in ran), f"both workers should have run it: {ran}"


def test_with_nobody_on_call_and_no_manager_the_alert_reaches_the_clinic_address(
    start_worker: Callable[..., subprocess.Popen[str]],  # noqa: F811
    smtp: SmtpSink,  # noqa: F811
    site: Location,  # noqa: F811
) -> None:
    start_worker()
    request = submit_intake(location=site, answers=answers(rf_locked=True), now=RAISED)

    assert settle(smtp) == {ALERT_ADDRESS: 1}
    (message,) = smtp.to(ALERT_ADDRESS)
    assert message.subject == f"URGENT: intake {request.reference} needs a clinician now"
