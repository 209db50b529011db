from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from staff.roles import CLINIC_MANAGER
from tests.factories import LocationFactory, TherapistFactory
from tests.intake.staff import staff_user
from tests.services import RedisServer


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": [], "degraded": []}


@pytest.mark.django_db
def test_healthz_names_the_broker_when_redis_is_stopped(
    client: Client, redis_server: RedisServer
) -> None:
    redis_server.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "failing": ["broker"], "degraded": []}


@pytest.mark.django_db
def test_healthz_recovers_when_redis_comes_back(client: Client, redis_server: RedisServer) -> None:
    redis_server.stop()
    assert client.get("/healthz").status_code == 503
    redis_server.start()
    assert client.get("/healthz").status_code == 200


def test_healthz_names_the_database_when_it_cannot_connect(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    # No django_db mark: pytest-django blocks database access, as if it were down.
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


@pytest.mark.django_db
def test_healthz_is_degraded_naming_why_when_no_alert_can_reach_anyone(
    client: Client, settings: Any
) -> None:
    settings.CLINIC_ALERT_EMAIL = None

    response = client.get("/healthz")

    # Still 200: a load balancer keeps the site up for patients; monitoring reads the body.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["failing"] == []
    assert len(body["degraded"]) == 2  # emergency and urgent alerts
    assert "the on-call therapists" in body["degraded"][0]
    assert "CLINIC_ALERT_EMAIL is not set" in body["degraded"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["on-call therapist", "alert address"])
def test_healthz_is_ok_when_an_alert_reaches_someone(
    client: Client, settings: Any, who: str
) -> None:
    settings.CLINIC_ALERT_EMAIL = None
    if who == "on-call therapist":
        TherapistFactory(locations=[LocationFactory()], on_call=True)
    else:
        settings.CLINIC_ALERT_EMAIL = "alerts@clinic.example"

    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.django_db
def test_a_manager_alone_does_not_count_for_the_first_step(client: Client, settings: Any) -> None:
    # The first step tells the on-call therapists; managers only hear after 10 minutes.
    settings.CLINIC_ALERT_EMAIL = None
    staff_user(CLINIC_MANAGER)

    assert client.get("/healthz").json()["status"] == "degraded"


def test_the_worker_check_answers_while_a_worker_runs_and_fails_once_it_stops(
    client: Client, celery_worker: Any
) -> None:
    from tests.conftest import stop_celery_worker

    running = client.get("/healthz/worker")
    assert running.status_code == 200
    assert running.json() == {"status": "ok", "workers": 1}

    stop_celery_worker(celery_worker)
    stopped = client.get("/healthz/worker")
    assert stopped.status_code == 503
    assert stopped.json() == {"status": "failing", "workers": 0}
