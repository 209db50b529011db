"""Benchmark: Redis restarted under load; is the worker still running?

    .venv/bin/python bench/redis_restarts.py [--count 3000] [--restarts 20] [--down 3]

Starts its own PostgreSQL and Redis (tests/services.py), an SMTP sink (tests/smtp.py)
that takes 50 ms per message (so tasks are in flight and unacknowledged at every restart),
one `celery worker` (pool of 2, the flags of Procfile.dev and compose) and `celery beat`,
records ``--count`` notifications and, while the worker sends them, stops Redis
``--restarts`` times for ``--down`` seconds each. Prints whether the worker process is still
running and answering, how often its log says "Unrecoverable error", and messages lost and
duplicated once everything is sent.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import Services  # noqa: E402
from tests.smtp import SmtpSink  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--restarts", type=int, default=20)
    parser.add_argument("--down", type=float, default=3, help="seconds Redis is down")
    args = parser.parse_args()

    services, sink = Services(), SmtpSink()
    services.start()
    create_database(services.postgres.url)
    sink.start()
    sink.delay = 0.05
    processes: list[subprocess.Popen[str]] = []
    try:
        os.environ.update(
            DATABASE_URL=services.postgres.url,
            REDIS_URL=services.redis.url,
            EMAIL_URL=sink.url,
            VAR_DIR=str(services.root / "var"),
            LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="clinic.settings",
        )
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection, transaction

        call_command("migrate", verbosity=0)
        from tests.conftest import start_celery_worker, stop_celery_worker

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        worker = start_celery_worker(services.root / "worker.log", env, concurrency=2)
        processes.append(worker)
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "clinic", "beat", "--loglevel=WARNING",
                 f"--schedule={services.root / 'beat-schedule'}"],
                cwd=ROOT, env=env, stdout=(services.root / "beat.log").open("w"),
                stderr=subprocess.STDOUT, text=True,
            )
        )  # fmt: skip
        print(
            f"{args.count} messages, {args.restarts} Redis restarts of {args.down:g} s",
            flush=True,
        )
        with transaction.atomic():
            record(args.count)
        started = time.monotonic()
        for number in range(args.restarts):
            sink.wait_for(int(args.count * (number + 1) / (args.restarts + 2)), timeout=900)
            services.redis.stop()
            time.sleep(args.down)
            services.redis.start()
            print(f"  restart {number + 1} after {time.monotonic() - started:.0f} s", flush=True)
        connection.close()
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline and unsent():
            time.sleep(2)
        time.sleep(settings.NOTIFICATION_SENDING_TIMEOUT + 2 * settings.NOTIFICATION_SWEEP_INTERVAL)
        accepted = Counter(m.message_id for m in sink.received)
        duplicates = sum(n - 1 for n in accepted.values())
        print(
            f"accepted {len(sink.received)} e-mails, {len(accepted)} distinct; "
            f"LOST: {args.count - len(accepted)}; DUPLICATES: {duplicates} (target 0); "
            f"left unsent: {unsent()}"
        )
        log = (services.root / "worker.log").read_text()
        # A ping from a fresh process: this one's broker connections died with each restart.
        ping = subprocess.run(
            [sys.executable, "-m", "celery", "-A", "clinic", "inspect", "ping", "--timeout=5"],
            cwd=ROOT, env=env, capture_output=True,
        )  # fmt: skip
        print(
            f"WORKER STILL RUNNING after {args.restarts} restarts: {worker.poll() is None}; "
            f"answers a ping: {ping.returncode == 0}; "
            f"'Unrecoverable error' in its log: {log.count('Unrecoverable error')}"
        )
        for process in processes:
            stop_celery_worker(process)
        processes.clear()
    finally:
        for process in processes:
            process.kill()
        sink.stop()
        services.stop()


def create_database(url: str) -> None:
    import psycopg

    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def record(count: int) -> None:
    from intake.announcements import NotificationKind
    from notifications.outbox import Recipient, notifications_record

    notifications_record(
        topic="BENCH-REDIS",
        kind=NotificationKind.NEW_REQUEST_STAFF,
        subject="New appointment request BENCH-REDIS",
        template="intake/email/new_request_staff",
        context={"reference": "BENCH-REDIS", "location": {"name": "Bench"}, "link": "/"},
        recipients=[Recipient(f"redis{i}@bench.example") for i in range(count)],
    )


def unsent() -> int:
    from django.db import connection

    from notifications.models import Notification, NotificationStatus

    for _ in range(30):
        try:
            return Notification.objects.exclude(status=NotificationStatus.SENT).count()
        except Exception:  # the database is coming back
            connection.close()
            time.sleep(1)
    raise RuntimeError("the database did not come back")


if __name__ == "__main__":
    main()
