"""The emails the daily claims jobs (``funding.jobs``) send, once each: days delivered and still
unclaimed, to the claiming school; claims waiting too long for a decision, to the commissioner.

The jobs call these inside the transaction that records the notice. Recipient helpers read
prefetched organisations and memberships (see ``funding.jobs``), so a batch costs the same queries
however many rows it holds. Each returns whether it sent anything.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from accounts.choices import SCHOOL_FINANCE_ROLES
from bounds import number_text
from brokerage.emails import commissioner_recipients, organisation_recipients
from deployments.emails import SCHOOL_KINDS, unique
from designations.emails import absolute_url, send_email

from .choices import ClaimState


def finance_recipients(school) -> list[str]:
    """Who claims for a school: each of its organisations' inbox, else its head and school business
    manager. Reads ``school.organisations.all()`` and their memberships."""
    return unique(
        *(
            organisation_recipients(o, SCHOOL_FINANCE_ROLES)
            for o in school.organisations.all()
            if o.kind in SCHOOL_KINDS
        )
    )


def new_claim_link(deployment) -> str:
    return absolute_url("claims:claim-new", deployment.pk)


def claim_link(claim) -> str:
    return absolute_url("claims:claim-detail", claim.pk)


def days_label(days: Decimal) -> str:
    return f"{number_text(days)} day{'' if days == 1 else 's'}"


def _send(kind: str, to: list[str], context: dict) -> bool:
    if not to:
        return False
    send_email(kind, to=to, context=context)
    return True


def unclaimed_days(deployment, *, school, month: datetime.date, entries: list, today: datetime.date) -> bool:
    """To the head and school business manager of the school the agreement pays: days delivered in
    ``month`` are still unclaimed 60 days after it ended. They must act (claim): always sent."""
    return _send(
        "claims-unclaimed-days",
        finance_recipients(school),
        {
            "deployment": deployment,
            "school": school,
            "month": month,
            "entries": entries,
            "days_label": days_label(sum((entry.days for entry in entries), Decimal(0))),
            "link": new_claim_link(deployment),
        },
    )


def claim_overdue(claim, *, since: datetime.date, today: datetime.date) -> bool:
    """To the commissioner (its inbox, else its commissioners and LA officers): a claim has waited
    30 days or more for a decision. They must act: always sent."""
    return _send(
        "claim-overdue",
        commissioner_recipients(claim.commissioner),
        {
            "claim": claim,
            "since": since,
            "waited": (today - since).days,
            "second_approval": claim.state == ClaimState.AWAITING_SECOND_APPROVAL,
            "link": claim_link(claim),
        },
    )
