"""Request-rate limits counted in fixed windows with one atomic cache increment.

DRF's ``SimpleRateThrottle`` keeps a list of every request time in the window and re-writes it
on each request: its cost grows with the allowed rate (thousands a minute here). Counting per
window is O(1) and shares cleanly across workers through Redis. The price is that a client
may burst up to twice the rate across a window boundary, which is fine for abuse control.
"""

import logging

from rest_framework import throttling

logger = logging.getLogger(__name__)


class FixedWindowThrottleMixin:
    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        return self._count(f"{ident}:{window}") <= self.num_requests

    def _count(self, key: str) -> int:
        try:
            if self.cache.add(key, 1, timeout=self.duration + 1):
                return 1
            return self.cache.incr(key)
        except ValueError:  # the window's key expired between add() and incr()
            self.cache.add(key, 1, timeout=self.duration + 1)
            return 1
        except Exception:  # an unreachable cache must not take the API down
            logger.warning("rate-limit cache unavailable; request allowed", exc_info=True)
            return 0

    def wait(self) -> float:
        return max(self.window_ends_at - self.now, 1)


class UserRateThrottle(FixedWindowThrottleMixin, throttling.UserRateThrottle):
    """Per authenticated user (per address for anonymous requests), scope ``user``."""


class AnonRateThrottle(FixedWindowThrottleMixin, throttling.AnonRateThrottle):
    """Per client address for anonymous requests, scope ``anon``."""
