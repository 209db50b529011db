"""Notifications end to end: a real Celery worker process, the suite's Redis and PostgreSQL,
and a real SMTP server (tests/smtp.py). Nothing here is mocked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.announcements import NotificationKind
from intake.models import (
    AppointmentRequest,
    Location,
)
from notifications.models import Notification, NotificationStatus
from notifications.sweeper import notifications_sweep
from notifications.tasks import notification_deliver
from staff import roles
from tests.conftest import ROOT, start_celery_worker, stop_celery_worker, worker_environment
from tests.factories import (
    LocationFactory,
    TherapistFactory,
    UserFactory,
    submit_intake,
    valid_answers,
)
from tests.intake.test_announcements import GOAL, clinical_phrases, mentions
from tests.services import RedisServer, Services
from tests.smtp import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

# Short timings for the worker and the test process alike.
TIMINGS = {
    "NOTIFICATION_RETRY_BASE_DELAY": "1",
    "NOTIFICATION_SENDING_TIMEOUT": "3",
    "NOTIFICATION_SWEEP_INTERVAL": "1",
}
PATIENT = "alex.runner@example.com"


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def environment(smtp: SmtpSink, settings: Any, services: Services) -> dict[str, str]:
    """The workers' environment: the test database, the SMTP sink and short timings."""
    for name, value in TIMINGS.items():
        setattr(settings, name, int(value))
    # Tasks left in the queue by earlier tests name rows that no longer exist: drop them.
    redis.Redis.from_url(services.redis.url).delete("celery", "unacked", "unacked_index")
    return {**worker_environment(), "EMAIL_URL": smtp.url, **TIMINGS}


@pytest.fixture
def start_worker(
    transactional_db: None, environment: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start workers on demand (a test may kill one and start another); all stopped after."""
    started: list[subprocess.Popen[str]] = []

    def start(concurrency: int = 1, queue: str | None = None) -> subprocess.Popen[str]:
        log = tmp_path / f"worker-{len(started)}.log"
        process = start_celery_worker(log, environment, concurrency=concurrency, queue=queue)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            stop_celery_worker(process)


@pytest.fixture
def site() -> Location:
    return LocationFactory(name="Riverside")


def staff(group: str, username: str) -> User:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def notifications(request: AppointmentRequest) -> list[Notification]:
    return list(Notification.objects.filter(topic=request.reference).order_by("pk"))


def wait_until(condition: Callable[[], bool], timeout: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout}s: {what}")
        time.sleep(0.1)


def all_sent(request: AppointmentRequest) -> bool:
    return all(n.status == NotificationStatus.SENT for n in notifications(request))


def kill_tree(process: subprocess.Popen[str]) -> None:
    """SIGKILL a worker and its pool processes at once, as a crash or an OOM kill would."""
    pids = [process.pid]
    for pid in pids:  # grows while we walk it
        for task in Path(f"/proc/{pid}/task").glob("*"):
            children = (task / "children").read_text().split()
            pids.extend(int(child) for child in children)
    for pid in reversed(pids):
        os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_a_submitted_request_yields_exactly_one_email_per_recipient(
    start_worker: Callable[..., subprocess.Popen[str]], smtp: SmtpSink, site: Location
) -> None:
    start_worker()
    TherapistFactory(user=UserFactory(username="pf"), locations=[site])
    staff(roles.FRONT_DESK, "desk")

    request = submit_intake(location=site)
    smtp.wait_for(3)
    wait_until(lambda: all_sent(request), what="all recorded as sent")
    time.sleep(1)  # room for a duplicate to show up

    counts = Counter(address for message in smtp.received for address in message.recipients)
    assert counts == {"pf@clinic.example": 1, "desk@clinic.example": 1, PATIENT: 1}
    recorded = {n.recipient: n.message_id for n in notifications(request)}
    assert {m.recipients[0]: m.message_id for m in smtp.received} == recorded


def test_emails_are_multipart_and_carry_no_clinical_detail(
    start_worker: Callable[..., subprocess.Popen[str]], smtp: SmtpSink, site: Location
) -> None:
    start_worker()
    TherapistFactory(user=UserFactory(username="oncall"), locations=[site], on_call=True)
    staff(roles.FRONT_DESK, "desk")
    staff(roles.CLINIC_MANAGER, "boss")
    answers = valid_answers(rf_locked=True, goal=GOAL, mechanical=["giving_way"])

    request = submit_intake(location=site, answers=answers)
    received = smtp.wait_for(len(notifications(request)))

    forbidden = clinical_phrases(request)
    for message in received:
        for body in (message.subject, message.body("plain"), message.body("html")):
            assert mentions(body, forbidden) == [], message.subject
    assert request.reference in received[0].body("plain")


def test_emails_sharing_their_texts_each_carry_their_own_headers(
    start_worker: Callable[..., subprocess.Popen[str]], smtp: SmtpSink, site: Location
) -> None:
    """Two therapists are told the same thing: one message each, each to its recipient
    with its own Message-ID, both marked as sent by a machine."""
    start_worker()
    TherapistFactory(user=UserFactory(username="pf"), locations=[site])
    TherapistFactory(user=UserFactory(username="sam"), locations=[site])

    request = submit_intake(location=site)
    received = smtp.wait_for(3)
    wait_until(lambda: all_sent(request), what="all recorded as sent")

    recorded = {n.recipient: n.message_id for n in notifications(request)}
    for message in received:
        headers = message.message
        assert headers["To"] == message.recipients[0]
        assert headers["From"] == settings.DEFAULT_FROM_EMAIL
        assert headers["Auto-Submitted"] == "auto-generated"
        assert abs(time.time() - headers["Date"].datetime.timestamp()) < 60
        assert headers.get_content_type() == "multipart/alternative"
        assert message.message_id == recorded[message.recipients[0]]
    therapists = [m for m in received if m.recipients[0] != PATIENT]
    assert therapists[0].body("plain") == therapists[1].body("plain")
    assert therapists[0].body("html") == therapists[1].body("html")


def test_a_redis_outage_during_submission_loses_nothing(
    start_worker: Callable[..., subprocess.Popen[str]],
    environment: dict[str, str],
    smtp: SmtpSink,
    site: Location,
    redis_server: RedisServer,
    tmp_path: Path,
) -> None:
    start_worker()
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clinic", "beat", "--loglevel=INFO",
         f"--schedule={tmp_path / 'beat-schedule'}"],
        cwd=ROOT,
        env=environment,
        stdout=(tmp_path / "beat.log").open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        TherapistFactory(user=UserFactory(username="pf"), locations=[site])
        redis_server.stop()

        started = time.monotonic()
        request = submit_intake(location=site)
        submit_seconds = time.monotonic() - started
        pending = {n.status for n in notifications(request)}

        redis_server.start()
        back = time.monotonic()
        smtp.wait_for(2, timeout=60)
        wait_until(lambda: all_sent(request), what="all recorded as sent")
    finally:
        beat.terminate()
        beat.wait(timeout=20)

    assert submit_seconds < 5
    assert pending == {NotificationStatus.PENDING}
    assert time.monotonic() - back < 60
    assert sorted(m.recipients[0] for m in smtp.received) == [PATIENT, "pf@clinic.example"]


def test_a_worker_killed_in_the_middle_of_a_send_is_replaced_and_the_email_sent_once(
    start_worker: Callable[..., subprocess.Popen[str]], smtp: SmtpSink, site: Location
) -> None:
    worker = start_worker()
    hold = smtp.hold_next(60)

    request = submit_intake(location=site)  # no staff: only the patient's message
    assert hold.started.wait(timeout=30), "the message never reached the SMTP server"
    kill_tree(worker)
    (notification,) = notifications(request)
    assert notification.status == NotificationStatus.SENDING

    start_worker()
    time.sleep(int(TIMINGS["NOTIFICATION_SENDING_TIMEOUT"]) + 0.5)
    notifications_sweep()  # what beat runs every NOTIFICATION_SWEEP_INTERVAL
    smtp.wait_for(1)
    wait_until(lambda: all_sent(request), what="recorded as sent")
    time.sleep(1)

    notification.refresh_from_db()
    assert len(smtp.to(PATIENT)) == 1
    assert smtp.attempts == 2
    assert notification.attempts == 2


def test_a_worker_killed_after_the_server_accepted_sends_a_second_copy_with_the_same_id(
    start_worker: Callable[..., subprocess.Popen[str]], smtp: SmtpSink, site: Location
) -> None:
    """The documented duplicate window, held open: the server has said 250, and the worker
    dies before it records "sent" (a row lock keeps it waiting there to be killed)."""
    worker = start_worker()
    hold = smtp.hold_next(60)
    request = submit_intake(location=site)
    assert hold.started.wait(timeout=30)
    (notification,) = notifications(request)

    with transaction.atomic():
        Notification.objects.select_for_update().get(pk=notification.pk)
        hold.release()
        smtp.wait_for(1)  # accepted by the server
        time.sleep(0.5)  # the worker is now blocked on recording "sent"
        kill_tree(worker)
        # PostgreSQL would still run the dead worker's queued UPDATE once the lock is free;
        # a crash a moment earlier would not have sent it at all. End it unrun.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE \"intake_notification\"%%'"
            )
            assert cursor.fetchall() == [(True,)]

    start_worker()
    time.sleep(int(TIMINGS["NOTIFICATION_SENDING_TIMEOUT"]) + 0.5)
    notifications_sweep()
    first, second = smtp.wait_for(2)
    wait_until(lambda: all_sent(request), what="recorded as sent")

    assert first.recipients == second.recipients == [PATIENT]
    assert first.message_id == second.message_id


def test_a_worker_killed_half_way_through_an_event_leaves_the_rest_to_the_sweeper(
    start_worker: Callable[..., subprocess.Popen[str]], smtp: SmtpSink, site: Location
) -> None:
    """An event's messages are claimed together: those the dead worker never tried are sent
    once the sweeper puts them back, once each, like the one it was sending."""
    TherapistFactory(user=UserFactory(username="pf"), locations=[site])
    staff(roles.FRONT_DESK, "desk")
    worker = start_worker()
    hold = smtp.hold_next(60)

    request = submit_intake(location=site)
    assert hold.started.wait(timeout=30), "the first message never reached the SMTP server"
    kill_tree(worker)
    assert smtp.received == []

    start_worker()
    time.sleep(int(TIMINGS["NOTIFICATION_SENDING_TIMEOUT"]) + 0.5)
    notifications_sweep()
    smtp.wait_for(3)
    wait_until(lambda: all_sent(request), what="all recorded as sent")
    time.sleep(1)  # room for a duplicate to show up

    counts = Counter(address for message in smtp.received for address in message.recipients)
    assert counts == {"pf@clinic.example": 1, "desk@clinic.example": 1, PATIENT: 1}


def test_a_message_of_an_event_claimed_by_another_worker_is_not_sent_again(
    start_worker: Callable[..., subprocess.Popen[str]], smtp: SmtpSink, site: Location
) -> None:
    TherapistFactory(user=UserFactory(username="pf"), locations=[site])
    request = submit_intake(location=site)  # no worker yet: the task waits in Redis
    taken = Notification.objects.get(topic=request.reference, recipient=PATIENT)
    # What another worker's claim leaves, just before it sends.
    Notification.objects.filter(pk=taken.pk).update(
        status=NotificationStatus.SENDING, attempts=1, claimed_at=timezone.now()
    )

    start_worker()
    (received,) = smtp.wait_for(1)
    time.sleep(1)  # room for the claimed one to show up

    taken.refresh_from_db()
    assert received.recipients == ["pf@clinic.example"]
    assert smtp.to(PATIENT) == []
    assert (taken.status, taken.attempts) == (NotificationStatus.SENDING, 1)


def test_two_transient_failures_then_delivered_on_the_third_attempt(
    start_worker: Callable[..., subprocess.Popen[str]], smtp: SmtpSink, site: Location
) -> None:
    start_worker()
    smtp.answer("451 4.3.0 Mailbox busy, try again later", to=PATIENT, times=2)

    request = submit_intake(location=site)
    smtp.wait_for(1)
    wait_until(lambda: all_sent(request), what="recorded as sent")

    (notification,) = notifications(request)
    assert notification.attempts == 3
    assert len(smtp.to(PATIENT)) == 1


def test_a_permanent_failure_is_not_retried_and_the_managers_are_told(
    start_worker: Callable[..., subprocess.Popen[str]],
    smtp: SmtpSink,
    site: Location,
    client: Client,
) -> None:
    start_worker()
    manager = staff(roles.CLINIC_MANAGER, "boss")
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_notification", "change_notification"])
    )
    smtp.answer("550 5.1.1 No such mailbox", to=PATIENT, times=1)

    request = submit_intake(location=site)
    (report,) = smtp.wait_for(1)
    time.sleep(3)  # a retry would have come by now (base delay 1 s)

    ack = Notification.objects.get(topic=request.reference, kind=NotificationKind.PATIENT_ACK)
    assert (ack.status, ack.attempts) == (NotificationStatus.FAILED, 1)
    assert ack.last_error.startswith("550")
    assert smtp.to(PATIENT) == []
    assert report.recipients == [manager.email]
    assert request.reference in report.subject

    client.force_login(manager)
    log = client.get(
        reverse("admin:notifications_notification_changelist"), {"status__exact": "failed"}
    )
    assert log.status_code == 200
    assert request.reference in log.text
    assert "550 5.1.1 No such mailbox" in log.text

    client.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "retry", "_selected_action": [ack.pk]},
    )
    smtp.wait_for(2)
    assert len(smtp.to(PATIENT)) == 1


def test_the_same_task_delivered_twice_sends_one_email(
    start_worker: Callable[..., subprocess.Popen[str]], smtp: SmtpSink, site: Location
) -> None:
    request = submit_intake(location=site)  # no worker yet: the task waits in Redis
    (notification,) = notifications(request)
    for _ in range(3):
        notification_deliver.apply_async((notification.pk,))

    start_worker(concurrency=2)
    smtp.wait_for(1)
    wait_until(lambda: all_sent(request), what="recorded as sent")
    time.sleep(2)

    notification.refresh_from_db()
    assert len(smtp.to(PATIENT)) == 1
    assert notification.attempts == 1
