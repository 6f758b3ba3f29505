"""What waits for a person on claims: claims to decide and approved claims to pay (for the
commissioner's people, never their own: one provider, one query), and claims to answer (for the
claiming school's head and business manager: one query). See accounts.worklist for the contract."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate

from accounts.choices import SCHOOL_FINANCE_ROLES
from accounts.worklist import Task, url_for_each
from brokerage.rules import COMMISSIONER_ROLES
from money import format_pounds

from .choices import ClaimState
from .models import Claim, ClaimApproval
from .rules import SCHOOL_KINDS, SCHOOL_VIEW_ROLES

# What a claim's task shows, read as plain rows dated by the database: a commissioner may have
# hundreds.
FIELDS = (
    "pk", "reference", "total", "state", "claiming_school__name", "deployment__supported_school__name",
)
DATED = {"changed_on": TruncDate("state_changed_at")}


def _memberships(user) -> list:
    return list(getattr(user, "active_memberships", [])) if getattr(user, "is_authenticated", False) else []


def _schools(user, roles) -> set[int]:
    return {
        m.organisation.school_id
        for m in _memberships(user)
        if m.role in roles and m.organisation.kind in SCHOOL_KINDS and m.organisation.school_id
    }


def _to_decide_for(user) -> QuerySet[Claim] | None:
    """The commissioner's claims this person may decide: not their own (submitted by them, for
    their own work, or from their own school). None when they commission for nobody."""
    commissioners = {m.organisation_id for m in _memberships(user) if m.role in COMMISSIONER_ROLES}
    if not commissioners:
        return None
    own_schools = _schools(user, SCHOOL_VIEW_ROLES)
    return (
        Claim.objects.filter(commissioner_id__in=commissioners)
        .exclude(Q(submitted_by=user) | Q(deployment__leader=user) | Q(claiming_school_id__in=own_schools))
    )


def _task(claim: dict, kind: str, what: str, url: Callable[..., str]) -> Task:
    """The task for one of FIELDS' rows of a claim, waiting since its last change of state."""
    return Task(
        kind=kind,
        what=what,
        detail=f"{claim['reference']}, {format_pounds(claim['total'])} from {claim['claiming_school__name']}",
        school=claim["deployment__supported_school__name"],
        since=claim["changed_on"],
        url=url(claim["pk"]),
    )


def claims_to_decide_and_pay(user, today: datetime.date) -> list[Task]:
    """For the commissioner's people: claims to decide (submitted, or awaiting a second approval
    they have not given) and approved claims to pay. One query for both."""
    claims = _to_decide_for(user)
    if claims is None:
        return []
    approved_by_me = ClaimApproval.objects.filter(claim=OuterRef("pk"), approver=user)
    claims = claims.filter(
        Q(state=ClaimState.SUBMITTED)
        | Q(state=ClaimState.AWAITING_SECOND_APPROVAL) & ~Exists(approved_by_me)
        | Q(state=ClaimState.APPROVED)
    ).order_by("state_changed_at", "pk")
    url = url_for_each("claims:claim-detail")
    return [_task_for_commissioner(claim, url) for claim in claims.values(*FIELDS, **DATED)]


def _task_for_commissioner(claim: dict, url: Callable[..., str]) -> Task:
    if claim["state"] == ClaimState.APPROVED:
        return _task(claim, "pay-claim", "Approved claims to pay: record the payment", url)
    if claim["state"] == ClaimState.AWAITING_SECOND_APPROVAL:
        what = "Claims to decide: give the second approval"
    else:
        what = "Claims to decide: approve, ask for information or reject"
    return _task(claim, "decide-claim", what, url)


def claims_to_answer(user, today: datetime.date) -> list[Task]:
    """For the claiming school's head and business manager: the commissioner asked for more."""
    schools = _schools(user, SCHOOL_FINANCE_ROLES)
    if not schools:
        return []
    claims = (
        Claim.objects.filter(claiming_school_id__in=schools, state=ClaimState.INFORMATION_REQUESTED)
        .order_by("state_changed_at", "pk")
        .values(*FIELDS, **DATED)
    )
    url = url_for_each("claims:claim-detail")
    what = "Claims to answer: give the information asked for"
    return [_task(claim, "answer-claim", what, url) for claim in claims]
