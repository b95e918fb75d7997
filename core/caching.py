"""The shared cache as a shortcut: an unreachable Redis is a miss or a skipped write, never an
error page (every caller can compute what it asked for)."""

import logging
from typing import Any

from django.core.cache import cache

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def cache_get(key: str) -> Any:
    """Read the shared cache; an unreachable Redis is a miss, not an error page."""
    try:
        return cache.get(key)
    except RedisError:
        logger.warning("Cache unavailable, reading %s from the source", key.split(":", 1)[0])
        return None


def cache_set(key: str, value: Any, seconds: int | None) -> None:
    """Write the shared cache if it can be reached (the caller answered either way)."""
    try:
        cache.set(key, value, seconds)
    except RedisError:
        logger.warning("Cache unavailable, %s not stored", key.split(":", 1)[0])
