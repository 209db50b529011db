from __future__ import annotations

import os
import runpy
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection

from tests.services import SERVICES, RedisServer, Services
from tests.sms_gateway import SmsGateway

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    # The pages are tested in Spanish too: compile the catalogues (not committed) as `make`
    # does, for a pytest run without it.
    compile_messages = runpy.run_path(str(ROOT / "scripts" / "compile_messages.py"))["main"]
    compile_messages(["compile_messages", str(ROOT)])


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
def _site_language() -> Iterator[None]:
    """Each test starts in the site's language: a request through the test client leaves the
    patient's language active in the thread (the locale middleware activates it, and nothing
    deactivates it between tests), so a Spanish page could make a later test's messages
    Spanish."""
    yield
    from django.utils import translation

    translation.deactivate()


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

    # Named in full, so that the wait below is for this worker and not any already running.
    hostname = f"test-{os.getpid()}-{time.monotonic_ns()}@{socket.gethostname()}"
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
            f"--hostname={hostname}",
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
    while not app.control.ping(destination=[hostname], timeout=0.5):
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


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool({"transactional_db", "live_server"} & fixtures) or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.fixture(autouse=True)
def _what_the_migrations_seed(request: pytest.FixtureRequest, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    """A transactional test ends with a flush, which also empties what the migrations seed:
    the condition categories, the roles' groups, the appointment types. pytest-django runs
    transactional tests last, so each of them puts those rows back before it starts (there is
    no enclosing transaction to roll them back). Serialized rollback cannot do it: auditlog
    logs the raw saves and clashes on content types."""
    if not _is_transactional(request.node):
        return
    from django.apps import apps
    from django.contrib.auth.models import Group

    from conditions.models import ConditionCategory
    from scheduling.models import AppointmentType
    from staff.roles import ROLE_PERMISSIONS, roles_sync

    with django_db_blocker.unblock():
        if not ConditionCategory.objects.exists():
            import_module("conditions.migrations.0002_seed_categories").seed(apps, None)
        if Group.objects.filter(name__in=ROLE_PERMISSIONS).count() < len(ROLE_PERMISSIONS):
            roles_sync(apps)
        if not AppointmentType.objects.exists():
            import_module("scheduling.migrations.0002_no_double_booking_and_types").add_types(
                apps, None
            )
