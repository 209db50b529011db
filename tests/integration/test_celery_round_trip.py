from __future__ import annotations

import subprocess

import pytest

from clinic.celery import ping

pytestmark = pytest.mark.integration


def test_a_task_goes_through_redis_to_a_real_worker_and_back(
    celery_worker: subprocess.Popen[str],
) -> None:
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert celery_worker.poll() is None
