"""A fixed-window rate limit counted in the cache (shared by every web process when ``REDIS_URL`` is set): one
cache add and one increment a request. The API's per-token limit and the story PDF's per-visitor limit use it."""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(scope: str, ident: str, *, limit: int, seconds: int) -> tuple[bool, float]:
    """Count one request by ``ident`` in ``scope``: (allowed, seconds until the window ends)."""
    now = time.time()
    start = int(now // seconds) * seconds
    key = f"rate:{scope}:{ident}:{start}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    return count <= limit, max(1.0, start + seconds - now)
