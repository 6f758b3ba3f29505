import math

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from apiformat.middleware import RATE_LIMIT_ATTRIBUTE


class OrganisationTokenRateThrottle(SimpleRateThrottle):
    """Limits each API token separately; session users of the browsable API by user.

    Counts are kept in the default cache: shared by every worker when it is Redis (``REDIS_URL``),
    per process otherwise. Each answer tells the caller where it stands (RateLimit headers)."""

    scope = "token"

    def get_rate(self) -> str:
        # Read at request time, not import time, so that a changed setting takes effect.
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as error:
            raise ImproperlyConfigured(
                f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no rate for scope '{self.scope}'."
            ) from error

    def get_cache_key(self, request, view) -> str:
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "key_digest"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        allowed = super().allow_request(request, view)
        if self.key is not None:
            setattr(request._request, RATE_LIMIT_ATTRIBUTE, self.rate_limit_headers())
        return allowed

    def rate_limit_headers(self) -> dict[str, str]:
        remaining = max(self.num_requests - len(self.history), 0)
        # The window slides: the count drops when the oldest request in it leaves.
        oldest = self.history[-1] if self.history else self.now
        reset = max(math.ceil(self.duration - (self.now - oldest)), 0)
        return {
            "RateLimit-Limit": str(self.num_requests),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(reset),
            "RateLimit-Policy": f"{self.num_requests};w={self.duration}",
        }
