"""Emails about claims and payments, to the people who must act next. Services call them through
``transaction.on_commit`` (see ``funding.services.claims._notify``).

The commissioner's people hear of a claim to decide; the claiming school's head and business
manager hear of each decision on it. Templates: templates/emails/claim-<kind>-subject.txt,
-body.txt and -body.html."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.choices import SCHOOL_FINANCE_ROLES
from brokerage.emails import commissioner_recipients, organisation_recipients
from designations.emails import absolute_url, send_email

from .rules import SCHOOL_KINDS


def _unique(addresses: Iterable[str], *, without: Iterable[str] = ()) -> list[str]:
    excluded = {address.lower() for address in without if address}
    return [a for a in dict.fromkeys(addresses) if a and a.lower() not in excluded]


def claiming_school_recipients(claim) -> list[str]:
    """The head and school business manager of the school paid: each of its organisations' inbox,
    else those members."""
    organisations = claim.claiming_school.organisations.filter(kind__in=SCHOOL_KINDS, is_active=True)
    organisations = organisations.prefetch_related("memberships__user")
    return _unique(
        address for o in organisations for address in organisation_recipients(o, SCHOOL_FINANCE_ROLES)
    )


def _email_of(person) -> str:
    """A person's address; "" when a partner system's token acted (no person)."""
    return getattr(person, "email", "") or ""


def _context(claim, **extra) -> dict:
    return {
        "claim": claim,
        "deployment": claim.deployment,
        "link": absolute_url("claims:claim-detail", claim.pk),
        **extra,
    }


def _send(kind: str, to: list[str], context: dict) -> None:
    if to:
        send_email(kind, to=to, context=context)


def claim_submitted(claim) -> None:
    """To the commissioner: a claim (new, or resubmitted with the information asked for) to decide.
    Never to whoever submitted it."""
    _send(
        "claim-submitted",
        _unique(commissioner_recipients(claim.commissioner), without=[_email_of(claim.submitted_by)]),
        _context(claim),
    )


def claim_needs_second_approval(claim, first_approver) -> None:
    """To the commissioner's other people: one has approved, a second person must."""
    to = _unique(
        commissioner_recipients(claim.commissioner),
        without=[_email_of(first_approver), _email_of(claim.submitted_by)],
    )
    _send("claim-needs-second-approval", to, _context(claim, first_approver=first_approver))


def claim_information_requested(claim, note: str) -> None:
    _send("claim-information-requested", claiming_school_recipients(claim), _context(claim, note=note))


def claim_rejected(claim, reason: str) -> None:
    _send("claim-rejected", claiming_school_recipients(claim), _context(claim, reason=reason))


def claim_approved(claim) -> None:
    _send("claim-approved", claiming_school_recipients(claim), _context(claim))


def claim_paid(claim, payment) -> None:
    _send("claim-paid", claiming_school_recipients(claim), _context(claim, payment=payment))
