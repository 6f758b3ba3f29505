"""The partner sandbox's tokens: one for each kind of partner the API serves, new on every run."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.choices import OrganisationKind
from accounts.demo import NATIONAL_BODY
from accounts.models import ApiToken, Organisation

SANDBOX_TOKEN_NAME = "Partner sandbox"  # noqa: S105 - a token's name, not its key
# The organisation of each kind whose token the sandbox offers: the demo's own.
SANDBOX_PARTNERS = (
    (OrganisationKind.LOCAL_AUTHORITY, "Norfolk County Council"),
    (OrganisationKind.TEACHING_SCHOOL, None),
    (OrganisationKind.NATIONAL_BODY, NATIONAL_BODY),
)


@dataclass(frozen=True)
class SandboxToken:
    organisation: Organisation
    key: str


@transaction.atomic
def issue_sandbox_tokens() -> list[SandboxToken]:
    """A fresh token for each sandbox partner. The tokens of an earlier run are deleted, so that
    only the keys printed last work (they are made here, never stored in the code or the data)."""
    tokens = []
    for kind, name in SANDBOX_PARTNERS:
        organisations = Organisation.objects.filter(kind=kind, is_active=True).order_by("pk")
        organisation = (organisations.filter(name=name) if name else organisations).first()
        if organisation is None:
            continue
        ApiToken.objects.filter(organisation=organisation, name=SANDBOX_TOKEN_NAME).delete()
        _, key = ApiToken.issue(organisation=organisation, name=SANDBOX_TOKEN_NAME)
        tokens.append(SandboxToken(organisation, key))
    return tokens
