"""PostgreSQL restarted between the mail server's 250 and the "sent" update, on the real
stack (a real worker, the suite's PostgreSQL and Redis, the SMTP sink of tests/smtp.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection

from intake.announcements import NotificationKind
from notifications.models import Notification, NotificationStatus
from notifications.sweeper import notifications_sweep
from tests.conftest import start_celery_worker, stop_celery_worker, worker_environment
from tests.factories import LocationFactory, submit_intake
from tests.services import Services
from tests.smtp import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

TIMINGS = {"NOTIFICATION_SENDING_TIMEOUT": "3", "NOTIFICATION_SWEEP_INTERVAL": "1"}
PATIENT = "alex.runner@example.com"


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def worker(
    transactional_db: None, smtp: SmtpSink, settings: Any, services: Services, tmp_path: Path
) -> Iterator[None]:
    for name, value in TIMINGS.items():
        setattr(settings, name, int(value))
    redis.Redis.from_url(services.redis.url).delete("celery", "unacked", "unacked_index")
    environment = {**worker_environment(), "EMAIL_URL": smtp.url, **TIMINGS}
    process = start_celery_worker(tmp_path / "worker.log", environment)
    yield
    stop_celery_worker(process)


def test_a_database_restart_after_the_server_accepted_sends_no_second_copy(
    worker: None, smtp: SmtpSink, services: Services
) -> None:
    hold = smtp.hold_next(60)
    request = submit_intake(location=LocationFactory(name="Riverside"))
    assert hold.started.wait(timeout=30), "the message never reached the SMTP server"
    ack = Notification.objects.get(topic=request.reference, kind=NotificationKind.PATIENT_ACK)

    # The server answers 250 while PostgreSQL is down; it is back 3 s later.
    services.postgres.stop_fast()
    hold.release()
    smtp.wait_for(1)
    time.sleep(3)
    services.postgres.start_again()
    connection.close()  # the test's own connection died with the server

    deadline = time.monotonic() + 30
    while Notification.objects.get(pk=ack.pk).status != NotificationStatus.SENT:
        assert time.monotonic() < deadline, "never recorded as sent"
        time.sleep(0.2)
    time.sleep(int(TIMINGS["NOTIFICATION_SENDING_TIMEOUT"]) + 1)
    notifications_sweep()  # what beat runs: nothing is left for it to send again
    time.sleep(1)

    assert len(smtp.to(PATIENT)) == 1
    assert Notification.objects.get(pk=ack.pk).attempts == 1
