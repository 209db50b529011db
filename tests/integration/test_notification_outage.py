"""A long mail outage on the real stack: a real worker and beat, the suite's Redis and
PostgreSQL, the clinic's SMTP relay and a second (fallback) relay (tests/smtp.py).

Timings are shrunk (retry delays of 1-2 s, the outage reported after 3 s), so that many
more attempts than the old limit of five fit in a few seconds of outage."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.announcements import NotificationKind
from notifications.models import Notification, NotificationStatus, Outage
from staff import roles
from tests.conftest import ROOT, start_celery_worker, stop_celery_worker, worker_environment
from tests.factories import LocationFactory, UserFactory, submit_intake
from tests.services import Services
from tests.smtp import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.timeout(150)]

TIMINGS = {
    "NOTIFICATION_RETRY_BASE_DELAY": "1",
    "NOTIFICATION_RETRY_MAX_DELAY": "2",
    "NOTIFICATION_SENDING_TIMEOUT": "3",
    "NOTIFICATION_SWEEP_INTERVAL": "1",
    "NOTIFICATION_OUTAGE_REPORT_AFTER": "3",
}
PATIENT = "alex.runner@example.com"
SUBJECT = "Clinic e-mail is down"


@pytest.fixture
def relay() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def fallback() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def stack(
    transactional_db: None,
    relay: SmtpSink,
    fallback: SmtpSink,
    settings: Any,
    services: Services,
    tmp_path: Path,
) -> Iterator[None]:
    """A worker and beat that send over ``relay`` and report outages over ``fallback``."""
    for name, value in TIMINGS.items():
        setattr(settings, name, int(value))
    redis.Redis.from_url(services.redis.url).delete("celery", "unacked", "unacked_index")
    environment = {
        **worker_environment(),
        "EMAIL_URL": relay.url,
        "FALLBACK_EMAIL_URL": fallback.url,
        **TIMINGS,
    }
    worker = start_celery_worker(tmp_path / "worker.log", environment)
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clinic", "beat", "--loglevel=INFO",
         f"--schedule={tmp_path / 'beat-schedule'}"],
        cwd=ROOT, env=environment, stdout=(tmp_path / "beat.log").open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield
    stop_celery_worker(beat)
    stop_celery_worker(worker)


def staff(group: str, username: str) -> User:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def wait_until(condition: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout}s: {what}")
        time.sleep(0.2)


def test_a_long_outage_loses_nothing_and_the_managers_get_one_report_over_the_second_relay(
    stack: None, relay: SmtpSink, fallback: SmtpSink, client: Client
) -> None:
    site = LocationFactory(name="Riverside")
    manager = staff(roles.CLINIC_MANAGER, "boss")
    manager.user_permissions.add(*Permission.objects.filter(codename="view_notification"))
    staff(roles.FRONT_DESK, "desk")
    relay.down()

    requests = [submit_intake(location=site) for _ in range(2)]
    recorded = list(Notification.objects.order_by("pk"))
    # Well past the five attempts after which every message used to fail for good.
    wait_until(
        lambda: min(Notification.objects.values_list("attempts", flat=True)) >= 7,
        what="seven attempts each",
    )
    (report,) = fallback.wait_for(1, timeout=30)
    time.sleep(3)  # room for a second report, or one per message

    assert not Notification.objects.filter(status=NotificationStatus.FAILED).exists()
    assert report.subject.startswith(SUBJECT)
    assert sorted(report.recipients) == ["boss@clinic.example", "clinic-alerts@clinic.example"]
    assert f"Messages waiting: {len(recorded)}" in report.body("plain")
    assert all(request.reference not in report.body("plain") for request in requests)
    client.force_login(manager)
    log = client.get(reverse("admin:notifications_notification_changelist"))
    assert "E-mail is down" in log.text
    assert f"Messages waiting to be sent: {len(recorded)}" in log.text
    assert "E-mail is down" in client.get(reverse("admin:index")).text

    relay.up()
    wait_until(
        lambda: not Notification.objects.exclude(status=NotificationStatus.SENT).exists(),
        what="all sent once the relay is back",
    )
    time.sleep(3)

    received = Counter(address for message in relay.received for address in message.recipients)
    assert received == {PATIENT: 2, "desk@clinic.example": 2}
    assert len(fallback.received) == 1
    assert not Notification.objects.filter(kind=NotificationKind.DELIVERY_FAILED).exists()
    (outage,) = Outage.objects.all()
    assert outage.ended_at is not None
    assert outage.reported_via == "fallback"
    assert "E-mail is down" not in client.get(reverse("admin:index")).text


def test_a_message_fails_only_once_it_is_older_than_the_maximum_age(
    stack: None, relay: SmtpSink, settings: Any
) -> None:
    staff(roles.CLINIC_MANAGER, "boss")
    relay.down()
    request = submit_intake(location=LocationFactory(name="Riverside"))
    ack = Notification.objects.get(topic=request.reference, kind=NotificationKind.PATIENT_ACK)
    wait_until(lambda: Notification.objects.get(pk=ack.pk).attempts >= 7, what="seven attempts")
    ack.refresh_from_db()
    assert ack.status != NotificationStatus.FAILED

    max_age = timedelta(seconds=settings.NOTIFICATION_MAX_AGE)
    Notification.objects.filter(pk=ack.pk).update(created_at=timezone.now() - max_age)
    wait_until(
        lambda: Notification.objects.get(pk=ack.pk).status == NotificationStatus.FAILED,
        what="failed once too old",
    )
    time.sleep(2)
    # Covered by the outage's one report, not one report per message.
    assert not Notification.objects.filter(kind=NotificationKind.DELIVERY_FAILED).exists()
