"""Token authentication for partner systems: a token belongs to an organisation."""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ..models import ApiToken, Organisation, hash_token_key
from ..principals import is_api_client


@dataclass(frozen=True)
class ApiClient:
    """The caller behind a token. Quacks like a user where visibility rules ask."""

    organisation: Organisation
    token: ApiToken

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    is_national_administrator = False
    is_api_client = True

    @property
    def active_memberships(self) -> list:
        return []

    @property
    def pk(self) -> str:
        return f"token:{self.token.pk}"

    @property
    def scope_organisations(self) -> list[Organisation]:
        return [self.organisation]

    def has_role(self, *roles: str) -> bool:
        # Roles belong to people; a partner system acts only through its organisation's scope.
        return False

    def organisations_with_role(self, *roles: str) -> list[Organisation]:
        return []

    def has_perm(self, perm: str, obj=None) -> bool:
        return rules.has_perm(perm, self, obj)

    def __str__(self) -> str:
        return f"API client of {self.organisation}"


class OrganisationTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header: give 'Token <key>'.")
        try:
            key = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed("Invalid token header.") from error
        token = (
            ApiToken.objects.active()
            .select_related("organisation")
            .filter(key_digest=hash_token_key(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        if token.has_expired:
            raise exceptions.AuthenticationFailed(
                f"This token expired on {timezone.localtime(token.expires_at):%d %B %Y}: ask your "
                "organisation's administrator for a new one."
            )
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            # Written at most every five minutes so that reads stay reads.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return ApiClient(organisation=token.organisation, token=token), token

    def authenticate_header(self, request) -> str:
        return self.keyword


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token header in the OpenAPI schema."""

    target_class = OrganisationTokenAuthentication
    name = "organisationToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An organisation's API token, sent as `Authorization: Token <key>`.",
        }


def forget_token_for_history(request) -> None:
    """simple_history records the Django request's user as the author of a change; DRF sets that to
    the token's ApiClient, which is no person (and no User row). Call before a token's write so the
    change is recorded without a person."""
    if is_api_client(request.user):
        request._request.user = AnonymousUser()
