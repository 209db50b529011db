from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.services import SERVICES, RedisServer, Services
from tests.sms_gateway import SmsGateway

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def services(pytestconfig: pytest.Config) -> Services:
    return pytestconfig.stash[SERVICES]


@pytest.fixture
def redis_server(services: Services) -> Iterator[RedisServer]:
    """The session's Redis; restarted after the test if the test stopped it."""
    yield services.redis
    if not services.redis.running:
        services.redis.start()


@pytest.fixture
def sms_gateway(services: Services) -> Iterator[SmsGateway]:
    """The session's SMS gateway (tests/sms_gateway.py), with nothing sent and no rule."""
    services.sms.reset()
    yield services.sms
    services.sms.reset()


@pytest.fixture(autouse=True, scope="session")
def _database_is_postgresql(django_db_setup: None, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", "the suite must run on PostgreSQL"


@pytest.fixture(autouse=True)
def _fresh_content_type_cache() -> None:
    """A transactional test flushes the tables, so cached content-type ids can point at
    rows that are gone; the audit log writes them on every tracked save."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def worker_environment() -> dict[str, str]:
    """The environment of a process that must see the test database (not the dev one)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}


def start_celery_worker(
    log_path: Path,
    environment: dict[str, str] | None = None,
    concurrency: int = 1,
    queue: str | None = None,
) -> subprocess.Popen[str]:
    """Start a real `celery worker` process and wait until it answers a ping.

    `queue`: a queue of its own besides the default one, so that a test can hand a task to
    this worker in particular."""
    from clinic.celery import app

    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "clinic",
            "worker",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            f"--hostname=test-{os.getpid()}-{time.monotonic_ns()}@%h",
            *([f"--queues=celery,{queue}"] if queue else []),
        ],
        cwd=ROOT,
        env=environment or worker_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log.close()  # the child keeps its own copy
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the Celery worker did not start:\n" + log_path.read_text())
    return process


def stop_celery_worker(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def celery_worker(transactional_db: None, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A real Celery worker process on the suite's Redis and test database."""
    process = start_celery_worker(tmp_path / "worker.log")
    yield process
    stop_celery_worker(process)


@pytest.fixture(autouse=True)
def _seeded_rows_after_a_flush(request: pytest.FixtureRequest, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A transactional test ends with a flush, which also empties what migrations seed (the
    roles' groups, the appointment types): put them back for the tests that come after."""
    yield
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    from django.apps import apps

    from scheduling.models import AppointmentType
    from staff.roles import roles_sync

    with django_db_blocker.unblock():
        roles_sync(apps)
        for code, name, minutes in (
            ("initial", "Initial assessment", 45),
            ("follow_up", "Follow-up", 30),
        ):
            AppointmentType.objects.get_or_create(
                code=code, defaults={"name": name, "minutes": minutes, "buffer_minutes": 0}
            )
