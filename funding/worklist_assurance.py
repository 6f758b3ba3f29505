"""What waits for a person on bursaries and the assurance of claims: the claiming school's
evidence to give, and, for national administrators, clawbacks to approve (not their own) and the
bursaries awaiting approval (see accounts.worklist for the provider contract)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Min
from django.urls import reverse

from accounts.choices import SCHOOL_FINANCE_ROLES
from accounts.worklist import Task, as_date, url_for_each

from .choices import BursaryState, ClawbackState, SampleState
from .models import Bursary, Clawback, Sample
from .rules import SCHOOL_KINDS


def _finance_schools(user) -> set[int]:
    """The schools the user claims for (head or school business manager)."""
    return {
        m.organisation.school_id
        for m in user.active_memberships
        if m.role in SCHOOL_FINANCE_ROLES and m.organisation.kind in SCHOOL_KINDS and m.organisation.school_id
    }


def sample_evidence_to_give(user, today: datetime.date) -> list[Task]:
    """The user's school's sampled claims still waiting for evidence. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    schools = _finance_schools(user)
    if not schools:
        return []
    samples = (
        Sample.objects.filter(state=SampleState.EVIDENCE_REQUESTED, claim__claiming_school_id__in=schools)
        .select_related("claim__claiming_school", "draw")
        .order_by("draw__drawn_at", "pk")
    )
    url = url_for_each("assurance:sample-evidence")
    return [
        Task(
            kind="give-sample-evidence",
            what="Give the evidence for a sampled claim",
            detail=f"Claim {sample.claim.reference}",
            school=sample.claim.claiming_school.name,
            since=as_date(sample.draw.drawn_at),
            url=url(sample.pk),
        )
        for sample in samples
    ]


def clawbacks_to_approve(user, today: datetime.date) -> list[Task]:
    """Clawbacks another national administrator opened, waiting for a second one. One query."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("funding.assure_claims"):
        return []
    clawbacks = (
        Clawback.objects.filter(state=ClawbackState.AWAITING_APPROVAL)
        .exclude(opened_by=user)
        .select_related("sample__claim__claiming_school")
        .order_by("opened_at", "pk")
    )
    url = url_for_each("assurance:clawback-approve")
    return [
        Task(
            kind="approve-clawback",
            what="Approve the clawback (second administrator)",
            detail=f"Claim {clawback.sample.claim.reference}, £{clawback.amount:,.2f}",
            school=clawback.sample.claim.claiming_school.name,
            since=as_date(clawback.opened_at),
            url=url(clawback.pk),
        )
        for clawback in clawbacks
    ]


def bursaries_to_approve(user, today: datetime.date) -> list[Task]:
    """One task per financial year with bursaries awaiting approval (there can be hundreds, so
    they are counted, not listed). One query."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("funding.manage_bursaries"):
        return []
    years = (
        Bursary.objects.filter(state=BursaryState.SCHEDULED)
        .values("year")
        .annotate(count=Count("pk"), since=Min("scheduled_at"))
        .order_by("year")
    )
    return [
        Task(
            kind="approve-bursaries",
            what="Approve the bursaries and grants",
            detail=f"{row['count']} for {row['year']} to {row['year'] + 1}",
            since=as_date(row["since"]),
            url=f"{reverse('bursaries:bursary-list')}?year={row['year']}&state={BursaryState.SCHEDULED}",
        )
        for row in years
    ]
