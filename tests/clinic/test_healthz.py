from __future__ import annotations

import pytest
from django.test import Client

from tests.services import RedisServer


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": []}


@pytest.mark.django_db
def test_healthz_names_the_broker_when_redis_is_stopped(
    client: Client, redis_server: RedisServer
) -> None:
    redis_server.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "failing": ["broker"]}


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
