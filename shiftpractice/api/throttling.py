"""Per-token rate limits, counted in the cache (shared by every web process when ``REDIS_URL`` is set).

Each token (or, for the browser, each person's session) may make ``API_RATE_LIMIT`` requests a window of
``API_RATE_WINDOW`` seconds (settings; 600 a minute unless set). Past that the API answers 429 with a problem
and ``Retry-After``: the seconds until the window ends.
"""

from __future__ import annotations

import threading

from django.conf import settings
from ninja.throttling import BaseThrottle

from shiftpractice.core import ratelimit

DEFAULT_LIMIT = 600
DEFAULT_WINDOW = 60


def rate() -> tuple[int, int]:
    return (
        int(getattr(settings, "API_RATE_LIMIT", DEFAULT_LIMIT)),
        int(getattr(settings, "API_RATE_WINDOW", DEFAULT_WINDOW)),
    )


class TokenRateThrottle(BaseThrottle):
    """A fixed window per token: one cache add and one increment per request."""

    def __init__(self) -> None:
        self._local = (
            threading.local()
        )  # the wait of this thread's last refusal (one object serves every request)

    def ident(self, request) -> str:
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"t{token.pk}"
        return f"u{getattr(request.auth, 'pk', '')}"

    def allow_request(self, request) -> bool:
        limit, window = rate()
        allowed, self._local.wait = ratelimit.hit("api", self.ident(request), limit=limit, seconds=window)
        return allowed

    def wait(self) -> float:
        return getattr(self._local, "wait", 1.0)
