"""Response headers every page and API answer carries (static files, served by WhiteNoise before this
middleware runs, keep their long-lived caching)."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """`Cache-Control: no-store` on everything Django answers: pages, downloads and API responses show
    people's names, emails and their schools' records, and a signed-out page still holds a CSRF
    token, so nothing of it may be kept by a browser or a shared cache. And a Permissions-Policy
    that turns off the browser features the service never uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
