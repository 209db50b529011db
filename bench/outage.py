"""Benchmark: a long SMTP outage with messages flowing, on the real stack.

    .venv/bin/python bench/outage.py [--minutes 30] [--interval 5]

Starts its own PostgreSQL and Redis (tests/services.py), two SMTP servers (tests/smtp.py:
the clinic's relay and a second, fallback relay), one `celery worker` and `celery beat`,
all with the product's default timings (retry base 30 s, capped at 300 s; outage reported
after 300 s). A manager and a front-desk account exist. An intake is submitted every
``--interval`` seconds throughout (each records the patient's acknowledgement and the front
desk's message). After one minute the relay goes down (connections refused) for
``--minutes``; then it comes back and the script waits until every message is sent (at most
the retry cap and two sweeps more) and prints:

- messages recorded, delivered, lost (recorded but never accepted; target 0), failed rows
  and duplicates (a Message-ID accepted twice);
- reports of the outage that reached the managers, over either relay (target 1).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import Services  # noqa: E402
from tests.smtp import SmtpSink  # noqa: E402

OUTAGE_SUBJECT = "Clinic e-mail is down"
MANAGER = "boss@clinic.example"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30, help="length of the outage")
    parser.add_argument("--interval", type=float, default=5, help="seconds between intakes")
    args = parser.parse_args()

    services, relay, fallback = Services(), SmtpSink(), SmtpSink()
    services.start()
    create_database(services.postgres.url)
    relay.start()
    fallback.start()
    processes = []
    try:
        os.environ.update(
            DATABASE_URL=services.postgres.url,
            REDIS_URL=services.redis.url,
            EMAIL_URL=relay.url,
            FALLBACK_EMAIL_URL=fallback.url,
            VAR_DIR=str(services.root / "var"),
            LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="clinic.settings",
        )
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from tests.conftest import start_celery_worker, stop_celery_worker

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        worker = start_celery_worker(services.root / "worker.log", env, concurrency=1)
        processes.append(worker)
        beat = start_beat(services.root, env)
        processes.append(beat)
        staff()
        print(
            f"outage {args.minutes:g} min; intake every {args.interval:g} s; retry base "
            f"{settings.NOTIFICATION_RETRY_BASE_DELAY} s, "
            f"cap {settings.NOTIFICATION_RETRY_MAX_DELAY} s; "
            f"report after {settings.NOTIFICATION_OUTAGE_REPORT_AFTER} s; max age "
            f"{settings.NOTIFICATION_MAX_AGE} s",
            flush=True,
        )
        submitted = flow(seconds=60, interval=args.interval)
        relay.down()
        down_at = time.monotonic()
        print(f"{time.strftime('%H:%M:%S')} relay down", flush=True)
        while time.monotonic() - down_at < args.minutes * 60:
            submitted += flow(seconds=60, interval=args.interval)
            minute = (time.monotonic() - down_at) / 60
            print(f"  {minute:4.1f} min down: {waiting()} waiting, {failed()} failed", flush=True)
        relay.up()
        print(f"{time.strftime('%H:%M:%S')} relay up", flush=True)
        submitted += flow(seconds=60, interval=args.interval)
        deadline = time.monotonic() + settings.NOTIFICATION_RETRY_MAX_DELAY * 1.2 + 120
        while waiting() and time.monotonic() < deadline:
            time.sleep(5)
        time.sleep(10)  # room for a late duplicate or report
        report(submitted, relay, fallback)
        print(f"worker still running: {worker.poll() is None}; beat: {beat.poll() is None}")
        stop_celery_worker(beat)
        stop_celery_worker(worker)
        processes.clear()
    finally:
        for process in processes:
            process.kill()
        relay.stop()
        fallback.stop()
        services.stop()


def create_database(url: str) -> None:
    import psycopg

    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def start_beat(root: Path, env: dict[str, str]):  # type: ignore[no-untyped-def]
    import subprocess

    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clinic", "beat", "--loglevel=WARNING",
         f"--schedule={root / 'beat-schedule'}"],
        cwd=ROOT, env=env, stdout=(root / "beat.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def staff() -> None:
    from django.contrib.auth.models import Group

    from staff import roles
    from tests.factories import UserFactory

    for username, role in (("boss", roles.CLINIC_MANAGER), ("desk", roles.FRONT_DESK)):
        user = UserFactory(username=username)
        user.groups.add(Group.objects.get_or_create(name=role)[0])


def flow(*, seconds: float, interval: float) -> int:
    """Submit an intake every ``interval`` seconds for ``seconds``; returns how many."""
    from tests.factories import LocationFactory, submit_intake

    site = LocationFactory(name=f"Bench {time.monotonic_ns()}")
    start, count = time.monotonic(), 0
    while time.monotonic() - start < seconds:
        submit_intake(location=site)
        count += 1
        time.sleep(max(0.0, start + count * interval - time.monotonic()))
    return count


def waiting() -> int:
    from notifications.outages import queue_depth

    return queue_depth()


def failed() -> int:
    from notifications.models import Notification, NotificationStatus

    return Notification.objects.filter(status=NotificationStatus.FAILED).count()


def report(submitted: int, relay: SmtpSink, fallback: SmtpSink) -> None:
    from notifications.models import Notification, NotificationStatus, Outage

    rows = Notification.objects.all()
    ids = {row.pk: row for row in rows}
    accepted = Counter(m.message_id for m in relay.received if OUTAGE_SUBJECT not in m.subject)
    prefixes = {message_id.partition("@")[0] for message_id in accepted}
    delivered = {pk for pk, row in ids.items() if f"<notification-{pk}.{row.topic}" in prefixes}
    lost = len(ids) - len(delivered)
    duplicates = sum(count - 1 for count in accepted.values())
    reports = [m for m in relay.received + fallback.received if OUTAGE_SUBJECT in m.subject]
    to_managers = [m for m in reports if MANAGER in m.recipients]
    statuses = Counter(row.status for row in rows)
    print(f"intakes submitted: {submitted}; messages recorded: {len(ids)}")
    print(
        f"messages delivered: {len(delivered)}; LOST: {lost} (target 0); duplicates: {duplicates}"
    )
    print(f"rows by status: {dict(statuses)}; failed: {statuses.get(NotificationStatus.FAILED, 0)}")
    print(
        f"OUTAGE REPORTS to the managers: {len(to_managers)} (target 1): "
        f"{sum(MANAGER in m.recipients for m in fallback.received)} over the fallback relay, "
        f"{sum(MANAGER in m.recipients for m in relay.received)} over the clinic's relay"
    )
    for outage in Outage.objects.order_by("started_at"):
        lasted = "still open"
        if outage.ended_at:
            lasted = f"{(outage.ended_at - outage.started_at).total_seconds() / 60:.1f} min"
        reported = f"{outage.reported_at:%H:%M:%S}" if outage.reported_at else "never"
        print(
            f"outage: from {outage.started_at:%H:%M:%S}, {lasted}, {outage.failures} failures, "
            f"reported {reported} via {outage.reported_via or '-'}"
        )


if __name__ == "__main__":
    main()
