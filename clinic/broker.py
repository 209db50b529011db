"""kombu's Redis transport, with one fault of kombu's turned into the connection error it is.

When the connection to Redis is lost while the worker holds unacknowledged messages (a task
due later, or one running under ``acks_late``), kombu closes the connection and then tries to
put those messages back through it: it reads the closed connection's settings, which are
gone, and raises ``AttributeError``. Celery calls that unrecoverable and the worker exits for
good (seen in a Redis restart under load, and in ``tests/integration/``). Raised as a
connection error instead, it is ignored like the other errors of a closing connection: the
worker reconnects, and Redis still holds the messages as unacknowledged, so they are
delivered again once the visibility timeout passes (a notification already sent is not sent
twice: the outbox row says so).
"""

from __future__ import annotations

from typing import Any

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict[str, Any]:
        if self.connection.client is None:
            raise RedisConnectionError("the broker connection is closed")
        params: dict[str, Any] = super()._connparams(asynchronous=asynchronous)  # type: ignore[misc]
        return params


class Transport(kombu_redis.Transport):
    Channel = Channel
