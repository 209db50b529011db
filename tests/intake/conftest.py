from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.services import RedisServer


@pytest.fixture
def fresh_rate_limit(redis_server: RedisServer) -> None:
    """An empty rate-limit count in the suite's Redis (use with `usefixtures`)."""
    cache.clear()
