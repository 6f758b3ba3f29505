"""Emails about support requests. Templates: templates/emails/<kind>-subject.txt, -body.txt, -body.html.

Services call these through transaction.on_commit, so nothing is sent for a rolled-back change.
"""

from __future__ import annotations

from collections.abc import Iterable

from designations.emails import absolute_url, send_email

from .rules import BROKER_ROLES_BY_KIND, COMMISSIONER_ROLES


def organisation_recipients(organisation, roles: Iterable[str]) -> list[str]:
    """The organisation's shared inbox, else its active members' addresses in one of ``roles``.
    Nobody at an inactive organisation. Reads ``organisation.memberships.all()``, so a prefetch of
    memberships with their users makes it free of queries."""
    if organisation is None or not organisation.is_active:
        return []
    if organisation.email:
        return [organisation.email]
    roles = set(roles)
    return sorted(
        {m.user.email for m in organisation.memberships.all() if m.role in roles and m.user.is_active}
    )


def broker_recipients(organisation) -> list[str]:
    """Whoever brokers for the organisation: its inbox, else its members in a broker role."""
    return organisation_recipients(organisation, BROKER_ROLES_BY_KIND.get(organisation.kind, set()))


def commissioner_recipients(organisation) -> list[str]:
    """Whoever commissions for the organisation: its inbox, else its members in a commissioner role."""
    return organisation_recipients(organisation, COMMISSIONER_ROLES)


def request_raised(request) -> None:
    """To the broker: a support request is waiting for them to find a leader. Always sent."""
    to = broker_recipients(request.broker)
    if to:
        send_email(
            "request-raised",
            to=to,
            context={
                "request": request,
                "school": request.school,
                "designation_types": list(request.designation_types.all()),
                "link": absolute_url("brokerage:request-detail", request.pk),
            },
        )
