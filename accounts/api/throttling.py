from rest_framework.throttling import SimpleRateThrottle


class OrganisationTokenRateThrottle(SimpleRateThrottle):
    """Limits each API token separately; session users of the browsable API by user."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is not None and hasattr(token, "key_digest"):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
