from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits(redis_server) -> None:  # type: ignore[no-untyped-def]
    """Empty rate-limit counts: every test asks for tokens from the same address."""
    cache.clear()
