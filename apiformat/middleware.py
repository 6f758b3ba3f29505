"""Headers every API response carries, whichever app answers it."""

from __future__ import annotations

from django.middleware.http import ConditionalGetMiddleware

API_PREFIX = "/api/"

# Set on the Django request by the throttle (accounts.api.throttling), read here: this app sits below
# the one that knows about tokens.
RATE_LIMIT_ATTRIBUTE = "rate_limit_headers"


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """An ``ETag`` (from the body) on API GETs, and 304 Not Modified for a matching
    ``If-None-Match``: a partner's sync can ask "has this changed?" without reading it again. API
    responses are ``Cache-Control: private, no-store`` (config.middleware), so nothing in between
    keeps them; the partner keeps the ETag. Pages are left alone."""

    def process_response(self, request, response):
        if not request.path.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)


class RateLimitHeadersMiddleware:
    """``RateLimit-Limit``, ``-Remaining``, ``-Reset`` and ``-Policy`` (draft-ietf-httpapi-ratelimit-
    headers) on every throttled API response, including the 429 (which also has ``Retry-After``)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in getattr(request, RATE_LIMIT_ATTRIBUTE, {}).items():
            response.headers.setdefault(name, value)
        return response
