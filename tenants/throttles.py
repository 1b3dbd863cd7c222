"""Login attempt limits: per client address and per account (email)."""

import hashlib

from rest_framework.throttling import SimpleRateThrottle

from config.throttling import FixedWindowThrottleMixin
from tenants.models import canonical_email


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
