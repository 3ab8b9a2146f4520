"""The cache as a help, never a dependency: public feeds and pages build
their answer when the cache backend fails (Redis down or unreachable), and a
write that moves a cached version on never fails the request that made it.

``cache_get`` answers ``MISSING`` (not ``None``) when the backend failed, so
a caller can tell "not cached" from "cannot know" where it matters (an ETag
must not be made up while the version is unknown).
"""

import logging
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

MISSING = object()


def _failed(operation: str, key: str) -> None:
    logger.warning("Cache %s of %r failed; going on without the cache.", operation, key,
                   exc_info=True)


def cache_get(key: str, default=None):
    """The cached value, ``default`` when there is none, ``MISSING`` when the
    cache cannot be read."""
    try:
        return cache.get(key, default)
    except Exception:
        _failed("get", key)
        return MISSING


def cache_set(key: str, value, timeout) -> bool:
    try:
        cache.set(key, value, timeout)
    except Exception:
        _failed("set", key)
        return False
    return True


def cache_add(key: str, value, timeout) -> bool:
    try:
        return cache.add(key, value, timeout)
    except Exception:
        _failed("add", key)
        return False


def cache_delete(key: str) -> bool:
    try:
        return cache.delete(key)
    except Exception:
        _failed("delete", key)
        return False


def cache_incr(key: str, timeout) -> int | None:
    """Add one to a counter that lives ``timeout`` seconds from its first
    count; None when the cache cannot count."""
    try:
        cache.add(key, 0, timeout)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)
            return 1
    except Exception:
        _failed("incr", key)
        return None


def version_changed(key: str) -> None:
    """Move a cached version on once the current transaction commits (at
    once outside one). After the commit, not before: a request between the
    move and the commit would otherwise cache the old data under the new
    version. A failed write forgets the version, so it cannot stay old."""
    def move_on() -> None:
        if not cache_set(key, uuid4().hex, None):
            cache_delete(key)

    transaction.on_commit(move_on)


def current_version(key: str) -> str | None:
    """The version under ``key``; a lost or evicted one becomes a new random
    one. None while the cache cannot be read."""
    version = cache_get(key)
    if version is None:
        cache_add(key, uuid4().hex, None)  # another process may win the race
        version = cache_get(key)
    return None if version is MISSING or version is None else version
