"""Who the benchmark acts as: the national data's fixed principals (or the demo data's people), each
signed in by a session written straight to the database, and a national body's API token."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from accounts.choices import OrganisationKind
from accounts.middleware import LAST_ACTIVITY, SIGNED_IN_AT
from accounts.models import ApiToken, Organisation, User

# The generator (manage.py generate_national) always creates these people.
NATIONAL_PRINCIPALS = {
    "national_admin": "national.admin@bench.invalid",
    "la_officer": "la.officer@bench.invalid",
    "broker": "broker@bench.invalid",
    "head": "head@bench.invalid",
    "leader": "leader@bench.invalid",
    "commissioner": "commissioner@bench.invalid",
}
# The same parts played by seed_demo's people, to develop the benchmark on a small database.
DEMO_PRINCIPALS = {
    "national_admin": "admin@syslead.demo",
    "la_officer": "la.officer@norfolk.demo",
    "broker": "la.officer@norfolk.demo",
    "head": "supported.head@norfolk.demo",
    "leader": "priya.fletcher@leaders.demo",  # leads an active deployment (seed_demo is deterministic)
    "commissioner": "commissioner@norfolk.demo",
}
PRINCIPAL_SETS = {"national": NATIONAL_PRINCIPALS, "demo": DEMO_PRINCIPALS}
API_TOKEN_NAME = "Benchmark"  # noqa: S105 - what the token is for, not a secret


@dataclass(frozen=True)
class Credentials:
    """What a request carries: a session cookie, an API token, or nothing (anonymous)."""

    session_key: str = ""
    api_key: str = ""

    def headers(self) -> dict[str, str]:
        if self.api_key:
            return {"Authorization": f"Token {self.api_key}"}
        if self.session_key:
            return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.session_key}"}
        return {}


ANONYMOUS = Credentials()


def principal_users(kind: str) -> dict[str, User]:
    """The users playing each part; fails naming whoever is missing."""
    emails = PRINCIPAL_SETS[kind]
    users = {user.email: user for user in User.objects.filter(email__in=emails.values())}
    missing = sorted(set(emails.values()) - set(users))
    if missing:
        raise LookupError(f"The {kind} principals are missing from the database: {', '.join(missing)}")
    return {part: users[email] for part, email in emails.items()}


def sign_in(user: User) -> Credentials:
    """A new session for ``user``, as signing in leaves it (with the session clock's stamps)."""
    session = SessionStore()
    now = time.time()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # as the sign-in page would
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT] = now
    session[LAST_ACTIVITY] = now
    session.set_expiry(settings.SESSION_COOKIE_AGE)
    session.create()
    return Credentials(session_key=session.session_key)


def national_body_of(user: User) -> Organisation:
    organisation = Organisation.objects.filter(
        memberships__user=user, kind=OrganisationKind.NATIONAL_BODY
    ).order_by("pk").first()
    if organisation is None:
        raise LookupError(f"{user.email} is a member of no national body")
    return organisation


def api_token_for(organisation: Organisation) -> Credentials:
    """A new token for the organisation, issued as create_api_token does."""
    _, key = ApiToken.issue(organisation=organisation, name=API_TOKEN_NAME)
    return Credentials(api_key=key)


def sign_out(credentials: Credentials) -> None:
    """End the run's session or revoke its token, so that runs leave no live credentials behind."""
    if credentials.session_key:
        SessionStore(session_key=credentials.session_key).delete()
    if credentials.api_key:
        for token in ApiToken.objects.filter(prefix=credentials.api_key[:8], revoked_at=None):
            token.revoke()
