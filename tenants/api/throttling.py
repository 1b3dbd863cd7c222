"""Request-rate limits (per user, per address, and the login's per address and per account),
counted in fixed windows with one atomic increment, shared by every worker process.

DRF's ``SimpleRateThrottle`` keeps a list of every request time in the window and re-writes it
on each request: its cost grows with the allowed rate (thousands a minute here). Counting per
window is O(1). The price is that a client may burst up to twice the rate across a window
boundary, which is fine for abuse control.

Where the counts live (``API_THROTTLE_STORE``): Redis (``REDIS_URL``) through the cache, or
else a PostgreSQL table (``tenants.api.ratelimit``), so the limits hold whatever the number of
workers. Either way an unavailable store lets the request through (logged): the limits
protect the service, they must not take it down.

With the table, a token request is counted by the statement that looks its token up
(``tenants.selectors.token_with_user_and_tenant``), not by a statement of its own: the
throttle finds the count on ``request.auth.counted_request``. Sessions, anonymous requests
and the login's limits count here, with ``ratelimit.hit``.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from rest_framework import throttling
from rest_framework.throttling import SimpleRateThrottle

from config.api.once import once
from tenants.api import ratelimit
from tenants.models import canonical_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    """A window of the per-user limit: counter keys are ``key_prefix`` + the user's id."""

    key_prefix: str
    number: int
    ends_at: float


@dataclass(frozen=True)
class CountedRequest:
    """A request already counted in ``key``'s window ``window`` (by the token lookup)."""

    key: str
    window: int
    hits: int


class FixedWindowThrottleMixin:
    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        self.now = self.timer()
        # The token lookup counted the request in the window of its own clock reading: at a
        # window's edge, the one before now's. That count stands; the request counts once.
        # Counted here, it is counted once too, whichever way answers (tenants.api.short_lists),
        # in the window of the first count.
        counted = _counted_already(request, ident) or once(
            request, f"throttle:{ident}", lambda: self._count(ident, int(self.now // self.duration))
        )
        self.window_ends_at = (counted.window + 1) * self.duration
        return counted.hits <= self.num_requests

    def _count(self, ident: str, window: int) -> CountedRequest:
        """This request's count in ``ident``'s ``window`` (0 when the store fails)."""
        self.window_ends_at = (window + 1) * self.duration  # the database's counter expires then
        return CountedRequest(ident, window, self._hits(ident, window))

    def _hits(self, ident: str, window: int) -> int:
        try:
            if settings.API_THROTTLE_STORE == "database":
                return ratelimit.hit(ident, window, self.window_ends_at)
            return self._count_in_cache(f"{ident}:{window}")
        except Exception:  # an unreachable store must not take the API down
            logger.warning("rate-limit store unavailable; request allowed", exc_info=True)
            return 0

    def _count_in_cache(self, key: str) -> int:
        try:
            if self.cache.add(key, 1, timeout=self.duration + 1):
                return 1
            return self.cache.incr(key)
        except ValueError:  # the window's key expired between add() and incr()
            self.cache.add(key, 1, timeout=self.duration + 1)
            return 1

    def wait(self) -> float:
        return max(self.window_ends_at - self.now, 1)


def _counted_already(request, ident: str) -> CountedRequest | None:
    """The count the token lookup made of this request under ``ident``, if it made one."""
    counted = getattr(getattr(request, "auth", None), "counted_request", None)
    return counted if counted is not None and counted.key == ident else None


class UserRateThrottle(FixedWindowThrottleMixin, throttling.UserRateThrottle):
    """Per authenticated user (per address for anonymous requests), scope ``user``."""

    @classmethod
    def window_for_token_lookup(cls) -> Window | None:
        """The window in which the token lookup itself counts the request, in the same
        statement, sparing every token request a round trip of its own (database store
        only; None with Redis or without a limit). ``allow_request`` then uses that count."""
        if settings.API_THROTTLE_STORE != "database":
            return None
        throttle = cls()
        if throttle.rate is None:
            return None
        number = int(throttle.timer() // throttle.duration)
        prefix = throttle.cache_format % {"scope": throttle.scope, "ident": ""}
        return Window(prefix, number, (number + 1) * throttle.duration)


class AnonRateThrottle(FixedWindowThrottleMixin, throttling.AnonRateThrottle):
    """Per client address for anonymous requests, scope ``anon``."""


class LoginAddressThrottle(FixedWindowThrottleMixin, SimpleRateThrottle):
    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAccountThrottle(FixedWindowThrottleMixin, SimpleRateThrottle):
    """Counts attempts per email, existing or not, so the answer reveals nothing."""

    scope = "login_account"

    def get_cache_key(self, request, view):
        email = request.data.get("email") if isinstance(request.data, dict) else None
        if not isinstance(email, str) or not email.strip():
            return None
        ident = hashlib.sha256(canonical_email(email).encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}
