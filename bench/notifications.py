"""Benchmark: notifications through Redis, a real Celery worker and an SMTP server.

    .venv/bin/python bench/notifications.py [--count 1000] [--rate 40] [--concurrency 2]

Starts its own PostgreSQL and Redis (tests/services.py), an SMTP sink (tests/smtp.py) and
one `celery worker` process, then runs two phases of ``--count`` notifications each:

1. burst: all recorded in one transaction; prints e-mails per second from the commit to the
   last SMTP acceptance (the throughput of one worker);
2. steady: recorded one per transaction at ``--rate`` per second, as requests arrive;
   prints the 50th and 95th percentile from commit to SMTP acceptance.

Targets: at least 100 e-mails per second per worker; p95 under 2 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import Services  # noqa: E402
from tests.smtp import SmtpSink  # noqa: E402

THROUGHPUT_TARGET = 100
P95_TARGET = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=40, help="steady phase, per second")
    parser.add_argument("--concurrency", type=int, default=2, help="worker pool processes")
    args = parser.parse_args()

    services, sink = Services(), SmtpSink()
    services.start()
    create_database(services.postgres.url)
    sink.start()
    worker = None
    try:
        os.environ.update(
            DATABASE_URL=services.postgres.url,
            REDIS_URL=services.redis.url,
            EMAIL_URL=sink.url,
            VAR_DIR=str(services.root / "var"),  # removed with the servers' folder
            LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="clinic.settings",
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from tests.conftest import start_celery_worker, stop_celery_worker

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        log = services.root / "worker.log"
        worker = start_celery_worker(log, env, concurrency=args.concurrency)
        print(f"worker: 1 process, pool of {args.concurrency}; {os.cpu_count()} CPU cores")
        burst(sink, args.count)
        steady(sink, args.count, args.rate)
        task_times(log)
    finally:
        if worker is not None:
            stop_celery_worker(worker)
        sink.stop()
        services.stop()


def create_database(url: str) -> None:
    import psycopg

    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def new_request():  # type: ignore[no-untyped-def]
    from tests.factories import LocationFactory, submit_intake

    # No staff: the submission itself records only the patient's acknowledgement.
    return submit_intake(location=LocationFactory(name=f"Bench {uuid.uuid4().hex[:6]}"))


def record(request, count: int, prefix: str) -> list:  # type: ignore[no-untyped-def]
    from intake.announcements import NotificationKind
    from notifications.outbox import Recipient, notifications_record

    return notifications_record(
        topic=request.reference,
        kind=NotificationKind.NEW_REQUEST_STAFF,
        subject=f"New appointment request {request.reference}",
        template="intake/email/new_request_staff",
        context={"reference": request.reference, "location": {"name": "Bench"}, "link": "/"},
        recipients=[Recipient(f"{prefix}{i}@bench.example") for i in range(count)],
    )


def burst(sink: SmtpSink, count: int) -> None:
    from django.db import transaction

    request = new_request()
    sink.wait_for(1)
    already = len(sink.received)
    with transaction.atomic():
        record(request, count, "burst")
    committed = time.time()
    received = sink.wait_for(already + count, timeout=count)[already:]
    seconds = max(m.accepted_at for m in received) - committed
    rate = count / seconds
    verdict = "ok" if rate >= THROUGHPUT_TARGET else "BELOW TARGET"
    print(
        f"burst:  {count} e-mails in {seconds:.2f} s = {rate:.0f} e-mails/s per worker "
        f"(target >= {THROUGHPUT_TARGET}: {verdict})"
    )


def steady(sink: SmtpSink, count: int, rate: float) -> None:
    from django.db import transaction

    request = new_request()
    already = len(sink.wait_for(len(sink.received) + 1))
    committed: dict[str, float] = {}
    start = time.monotonic()
    for i in range(count):
        time.sleep(max(0.0, start + i / rate - time.monotonic()))
        with transaction.atomic():
            record(request, 1, f"steady{i}-")
        committed[f"steady{i}-0@bench.example"] = time.time()
    received = sink.wait_for(already + count, timeout=count)[already:]
    latencies = sorted(m.accepted_at - committed[m.recipients[0]] for m in received)
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    verdict = "ok" if p95 < P95_TARGET else "ABOVE TARGET"
    print(
        f"steady: {count} e-mails at {rate:.0f}/s, commit to SMTP acceptance: "
        f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms "
        f"(target p95 < {P95_TARGET:.0f} s: {verdict})"
    )


def task_times(log: Path) -> None:
    """How long the delivery task itself ran, from the worker's log: the rest of the
    latency is queueing and Celery's own work."""
    times = sorted(
        float(match)
        for match in re.findall(
            r"notification_deliver\[[^]]+\] succeeded in ([0-9.e-]+)s", log.read_text()
        )
    )
    if times:
        p95 = times[int(0.95 * len(times)) - 1]
        print(
            f"task body: {len(times)} runs, p50 {statistics.median(times) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
