"""Redis restarted while the worker holds an unacknowledged task: the worker stays up, comes
back to the broker and runs the next task (issue 17, item 6).

kombu's Redis transport, on losing the connection, tries to put its unacknowledged messages
back through the connection it is closing and raises ``AttributeError``; Celery then calls
the error unrecoverable and the worker exits for good. The worker here has a Redis of its own,
so stopping it disturbs no other test."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from kombu import Connection

from clinic.celery import app
from tests.conftest import ROOT, stop_celery_worker, worker_environment
from tests.services import RedisServer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

HELD_FOR = 600  # seconds: far beyond the test, so the task stays unacknowledged throughout


class Worker:
    def __init__(self, redis: RedisServer, log: Path) -> None:
        self.redis, self.log = redis, log
        environment = {
            **worker_environment(),
            "REDIS_URL": redis.url,
            "CELERY_BROKER_URL": redis.url,
            "CELERY_RESULT_BACKEND": redis.url,
        }
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "clinic", "worker", "--concurrency=1",
                 "--without-gossip", "--without-mingle", "--loglevel=INFO",
                 f"--hostname=redis-restart-{redis.port}@%h"],
                cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_log(self, text: str, *, after: int = 0, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output()[after:]:
            assert self.process.poll() is None, f"the worker exited:\n{self.output()}"
            assert time.monotonic() < deadline, f"no {text!r} in the worker's log:\n{self.output()}"
            time.sleep(0.2)

    def send(self, name: str, *, countdown: float = 0) -> None:
        with Connection(self.redis.url) as connection:
            app.send_task(name, countdown=countdown, connection=connection)


@pytest.fixture
def worker(transactional_db: None, tmp_path: Path) -> Iterator[Worker]:
    redis = RedisServer(tmp_path)
    redis.start()
    worker = Worker(redis, tmp_path / "worker.log")
    try:
        worker.wait_for_log(" ready.")
        yield worker
    finally:
        stop_celery_worker(worker.process)
        redis.stop()


def test_the_worker_outlives_redis_restarts_while_it_holds_an_unacknowledged_task(
    worker: Worker,
) -> None:
    for restart in range(3):
        # A task due later is held by the worker, unacknowledged, until it is due.
        seen = len(worker.output())
        worker.send("intake.notifications_sweep", countdown=HELD_FOR)
        worker.wait_for_log("received", after=seen)

        worker.redis.stop()
        time.sleep(2)
        worker.redis.start()

        worker.wait_for_log("Connected to", after=seen, timeout=90)
        assert worker.process.poll() is None, f"restart {restart + 1}:\n{worker.output()}"

    seen = len(worker.output())
    worker.send("intake.notifications_sweep")
    worker.wait_for_log("succeeded", after=seen)
    assert worker.process.poll() is None
    assert "Unrecoverable error" not in worker.output()
