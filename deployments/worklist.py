"""What waits for a person on deployments: agreements to agree, agreements to draft or change,
progress reviews due, final evaluations to record and their own deployments with no time logged
for four school weeks (see accounts.worklist for the provider contract)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from accounts.choices import OrganisationKind
from accounts.worklist import Task, as_date
from brokerage.rules import COMMISSIONER_ROLES, SCHOOL_ROLES, broker_organisations_of

from .choices import AgreementStatus, DeploymentState, Party
from .jobs import REMINDER_WINDOW_DAYS
from .models import Agreement, Deployment, Signoff
from .queries import is_stalled, quiet_since, stall_thresholds
from .rules import parties_of
from .services.work import REVIEWABLE_STATES

State = DeploymentState
SCHOOL_KINDS = {OrganisationKind.SCHOOL, OrganisationKind.TEACHING_SCHOOL}
DEPLOYMENT_RELATIONS = ("supported_school", "leader", "designation__designation_type")


def _about(deployment: Deployment) -> str:
    return f"{deployment.designation.designation_type.code} {deployment.leader}"


def _party_scope(user) -> Q | None:
    """Deployments the user may agree for as some party (mirrors rules.parties_of); None: none."""
    if not getattr(user, "is_authenticated", False):
        return None
    schools, commissioners = set(), set()
    for membership in user.active_memberships:
        organisation = membership.organisation
        if membership.role in SCHOOL_ROLES and organisation.kind in SCHOOL_KINDS and organisation.school_id:
            schools.add(organisation.school_id)
        if membership.role in COMMISSIONER_ROLES:
            commissioners.add(organisation.pk)
    return (
        Q(deployment__leader=user)
        | Q(deployment__supported_school_id__in=schools)
        | Q(deployment__leader_school_id__in=schools)
        | Q(deployment__commissioner_id__in=commissioners)
    )


def agreements_to_agree(user, today: datetime.date) -> list[Task]:
    """Versions waiting for a party the user agrees for that has not agreed yet. Two queries."""
    scope = _party_scope(user)
    if scope is None:
        return []
    agreements = (
        Agreement.objects.filter(scope, status=AgreementStatus.AWAITING_AGREEMENT)
        .select_related(*(f"deployment__{name}" for name in DEPLOYMENT_RELATIONS))
        .prefetch_related(Prefetch("signoffs", queryset=Signoff.objects.only("agreement_id", "party")))
        .order_by("created_at", "pk")
    )
    tasks = []
    for agreement in agreements:
        deployment = agreement.deployment
        signed = {signoff.party for signoff in agreement.signoffs.all()}
        mine = parties_of(user, deployment)
        waiting = [Party(p).label.lower() for p in Party.values if p in mine and p not in signed]
        if not waiting:
            continue
        tasks.append(
            Task(
                kind="agree-agreement",
                what="Agree the support agreement",
                detail=f"{_about(deployment)}, version {agreement.version}, as {' and '.join(waiting)}",
                school=deployment.supported_school.name,
                since=as_date(agreement.created_at),
                url=reverse("deployments:agreement-version", args=[deployment.pk, agreement.version]),
            )
        )
    return tasks


def _brokered(user) -> QuerySet[Deployment] | None:
    brokers = broker_organisations_of(user)
    if not brokers:
        return None
    return Deployment.objects.filter(broker__in=brokers).select_related(*DEPLOYMENT_RELATIONS)


def agreements_to_draft(user, today: datetime.date) -> list[Task]:
    """For the broker: drafts sent back with changes asked for, drafts not yet sent, and proposed
    deployments with no agreement drafted. Two queries."""
    brokers = broker_organisations_of(user)
    if not brokers:
        return []
    was_sent = Agreement.history.model.objects.filter(
        id=OuterRef("pk"), status=AgreementStatus.AWAITING_AGREEMENT
    )
    drafts = (
        Agreement.objects.filter(
            status=AgreementStatus.DRAFT,
            deployment__broker__in=brokers,
            deployment__state__in=[State.PROPOSED, State.AGREED, State.ACTIVE, State.PAUSED],
        )
        .annotate(was_sent=Exists(was_sent))
        .select_related(*(f"deployment__{name}" for name in DEPLOYMENT_RELATIONS))
        .order_by("created_at", "pk")
    )
    tasks = []
    for draft in drafts:
        deployment = draft.deployment
        if draft.was_sent:
            kind, what = "agreement-changes", "Make the changes asked for to the agreement"
        else:
            kind, what = "send-agreement", "Finish the draft agreement and send it to the parties"
        tasks.append(
            Task(
                kind=kind,
                what=what,
                detail=f"{_about(deployment)}, version {draft.version}",
                school=deployment.supported_school.name,
                since=as_date(draft.created_at),
                url=reverse("deployments:agreement-detail", args=[deployment.pk]),
            )
        )
    undrafted = (
        _brokered(user)
        .filter(state=State.PROPOSED)
        .exclude(Exists(Agreement.objects.filter(deployment=OuterRef("pk"))))
        .order_by("created_at", "pk")
    )
    tasks += [
        Task(
            kind="draft-agreement",
            what="Draft the support agreement",
            detail=_about(deployment),
            school=deployment.supported_school.name,
            since=as_date(deployment.created_at),
            url=reverse("deployments:agreement-edit", args=[deployment.pk]),
        )
        for deployment in undrafted
    ]
    return tasks


def reviews_due(user, today: datetime.date) -> list[Task]:
    """For the broker: progress reviews overdue or due within the reminder window. One query."""
    deployments = _brokered(user)
    if deployments is None:
        return []
    due = deployments.filter(
        state__in=sorted(REVIEWABLE_STATES),
        next_review_on__lte=today + datetime.timedelta(days=REMINDER_WINDOW_DAYS),
    ).order_by("next_review_on", "pk")
    return [
        Task(
            kind="progress-review",
            what="Review progress against the objectives",
            detail=_about(deployment),
            school=deployment.supported_school.name,
            due_on=deployment.next_review_on,
            url=reverse("deployments:review-new", args=[deployment.pk]),
        )
        for deployment in due
    ]


def evaluations_to_record(user, today: datetime.date) -> list[Task]:
    """For the broker: deployments whose support has finished, with no final evaluation. One query."""
    deployments = _brokered(user)
    if deployments is None:
        return []
    waiting = deployments.filter(
        state=State.AWAITING_FINAL_EVALUATION, final_evaluation__isnull=True
    ).order_by("state_changed_at", "pk")
    return [
        Task(
            kind="final-evaluation",
            what="Record the final evaluation",
            detail=_about(deployment),
            school=deployment.supported_school.name,
            since=as_date(deployment.state_changed_at),
            url=reverse("deployments:evaluation-new", args=[deployment.pk]),
        )
        for deployment in waiting
    ]


def stalled_deployments(user, today: datetime.date) -> list[Task]:
    """The leader's own active deployments with no time logged for four school weeks. One query,
    and one for the term dates when the leader has an active deployment."""
    if not getattr(user, "is_authenticated", False):
        return []
    active = list(
        Deployment.objects.filter(leader=user, state=DeploymentState.ACTIVE)
        .annotate(quiet_since=quiet_since())
        .select_related(*DEPLOYMENT_RELATIONS)
        .order_by("quiet_since", "pk")
    )
    thresholds = stall_thresholds(today) if active else None
    stalled = [deployment for deployment in active if is_stalled(deployment, thresholds)]
    return [
        Task(
            kind="log-time",
            what="Log your time: none logged for four school weeks",
            detail=_about(deployment),
            school=deployment.supported_school.name,
            since=deployment.quiet_since,
            url=reverse("deployments:time-log", args=[deployment.pk]),
        )
        for deployment in stalled
    ]
