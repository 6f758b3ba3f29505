"""What waits for a person on deployments: agreements to agree, agreements to draft or change,
progress reviews due, final evaluations to record and their own deployments with no time logged
for four school weeks (see accounts.worklist for the provider contract)."""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from accounts.choices import OrganisationKind
from accounts.worklist import Task, as_date, url_for_each
from brokerage.rules import COMMISSIONER_ROLES, SCHOOL_ROLES, broker_organisations_of

from .choices import AgreementStatus, DeploymentState, Party
from .jobs import REMINDER_WINDOW_DAYS
from .models import Agreement, Deployment, FinalEvaluation, Signoff
from .queries import is_stalled, quiet_since, stall_thresholds
from .rules import WORKS_ON_A_DEPLOYMENT, parties_of
from .services.work import REVIEWABLE_STATES

State = DeploymentState
SCHOOL_KINDS = {OrganisationKind.SCHOOL, OrganisationKind.TEACHING_SCHOOL}
DEPLOYMENT_RELATIONS = ("supported_school", "leader", "designation__designation_type")
# What the tasks show of a deployment and what rules.parties_of and queries.is_stalled read: a broker
# and commissioner may have many, and a school row is wide.
DEPLOYMENT_FIELDS = (
    "state", "created_at", "next_review_on", "state_changed_at", "supported_school_id", "leader_school_id",
    "leader_id", "commissioner_id", "supported_school__name", "supported_school__local_authority_id",
    "leader__full_name", "leader__email", "designation__designation_type__code",
)
DRAFTED_STATES = [State.PROPOSED, State.AGREED, State.ACTIVE, State.PAUSED]


def _about(deployment: Deployment) -> str:
    return f"{deployment.designation.designation_type.code} {deployment.leader}"


def _party_scope(user) -> Q | None:
    """Agreements the user may agree for as some party (mirrors rules.parties_of); None: none. Who
    has never led a deployment is no agreement's leader."""
    if not getattr(user, "is_authenticated", False):
        return None
    schools, commissioners = set(), set()
    for membership in user.active_memberships:
        organisation = membership.organisation
        if membership.role in SCHOOL_ROLES and organisation.kind in SCHOOL_KINDS and organisation.school_id:
            schools.add(organisation.school_id)
        if membership.role in COMMISSIONER_ROLES:
            commissioners.add(organisation.pk)
    scopes = []
    if WORKS_ON_A_DEPLOYMENT(user):
        scopes.append(Q(deployment__leader=user))
    if schools:
        scopes.append(Q(deployment__supported_school_id__in=schools))
        scopes.append(Q(deployment__leader_school_id__in=schools))
    if commissioners:
        scopes.append(Q(deployment__commissioner_id__in=commissioners))
    return reduce(or_, scopes) if scopes else None


def agreements_to_agree_or_change(user, today: datetime.date) -> list[Task]:
    """Versions waiting for a party the user agrees for that has not agreed yet; for the broker,
    drafts sent back with changes asked for and drafts not yet sent. One query for all three."""
    waiting = []
    scope = _party_scope(user)
    if scope is not None:
        waiting.append(scope & Q(status=AgreementStatus.AWAITING_AGREEMENT))
    brokers = broker_organisations_of(user)
    if brokers:
        drafts = Q(deployment__broker__in=brokers, deployment__state__in=DRAFTED_STATES)
        waiting.append(drafts & Q(status=AgreementStatus.DRAFT))
    if not waiting:
        return []
    was_sent = Agreement.history.model.objects.filter(
        id=OuterRef("pk"), status=AgreementStatus.AWAITING_AGREEMENT
    )
    signed = {
        f"signed_{party}": Exists(Signoff.objects.filter(agreement=OuterRef("pk"), party=party))
        for party in Party.values
    }
    agreements = (
        Agreement.objects.filter(reduce(or_, waiting))
        .annotate(was_sent=Exists(was_sent), **signed)
        .select_related(*(f"deployment__{name}" for name in DEPLOYMENT_RELATIONS))
        .only("version", "status", "created_at", *(f"deployment__{name}" for name in DEPLOYMENT_FIELDS))
        .order_by("created_at", "pk")
    )
    version_url = url_for_each("deployments:agreement-version", arity=2)
    draft_url = url_for_each("deployments:agreement-detail")
    tasks = []
    for agreement in agreements:
        deployment = agreement.deployment
        if agreement.status == AgreementStatus.DRAFT:
            if agreement.was_sent:
                kind, what = "agreement-changes", "Make the changes asked for to the agreement"
            else:
                kind, what = "send-agreement", "Finish the draft agreement and send it to the parties"
            tasks.append(
                Task(
                    kind=kind,
                    what=what,
                    detail=f"{_about(deployment)}, version {agreement.version}",
                    school=deployment.supported_school.name,
                    since=as_date(agreement.created_at),
                    url=draft_url(deployment.pk),
                )
            )
            continue
        mine = parties_of(user, deployment)
        unsigned = [p for p in Party.values if p in mine and not getattr(agreement, f"signed_{p}")]
        waiting_for = [Party(p).label.lower() for p in unsigned]
        if not waiting_for:
            continue
        tasks.append(
            Task(
                kind="agree-agreement",
                what="Agree the support agreement",
                detail=f"{_about(deployment)}, version {agreement.version}, as {' and '.join(waiting_for)}",
                school=deployment.supported_school.name,
                since=as_date(agreement.created_at),
                url=version_url(deployment.pk, agreement.version),
            )
        )
    return tasks


def deployments_to_follow_up(user, today: datetime.date) -> list[Task]:
    """For the broker: proposed deployments with no agreement drafted, progress reviews overdue or
    due within the reminder window, and deployments whose support has finished with no final
    evaluation; for the leader, their own active deployments with no time logged for four school
    weeks. One query for all four, and one for the term dates when the leader has an active
    deployment."""
    flags: dict[str, Q] = {}
    brokers = broker_organisations_of(user)
    if brokers:
        review_by = today + datetime.timedelta(days=REMINDER_WINDOW_DAYS)
        flags["to_draft"] = Q(broker__in=brokers, state=State.PROPOSED, has_agreement=False)
        flags["review_due"] = Q(
            broker__in=brokers, state__in=sorted(REVIEWABLE_STATES), next_review_on__lte=review_by
        )
        flags["to_evaluate"] = Q(broker__in=brokers, state=State.AWAITING_FINAL_EVALUATION, evaluated=False)
    if WORKS_ON_A_DEPLOYMENT(user):
        flags["led_active"] = Q(leader=user, state=State.ACTIVE)
    if not flags:
        return []
    # Each row says which tasks it is (one deployment may be two); the page orders the tasks.
    deployments = list(
        Deployment.objects.alias(
            has_agreement=Exists(Agreement.objects.filter(deployment=OuterRef("pk"))),
            evaluated=Exists(FinalEvaluation.objects.filter(deployment=OuterRef("pk"))),
        )
        .annotate(quiet_since=quiet_since())
        .filter(reduce(or_, flags.values()))
        .annotate(**flags)
        .select_related(*DEPLOYMENT_RELATIONS)
        .only(*DEPLOYMENT_FIELDS)
        .order_by("pk")
    )

    def flagged(name: str) -> list[Deployment]:
        return [deployment for deployment in deployments if getattr(deployment, name, False)]

    draft_url = url_for_each("deployments:agreement-edit")
    review_url = url_for_each("deployments:review-new")
    evaluation_url = url_for_each("deployments:evaluation-new")
    time_url = url_for_each("deployments:time-log")
    tasks = [
        Task(
            kind="draft-agreement",
            what="Draft the support agreement",
            detail=_about(deployment),
            school=deployment.supported_school.name,
            since=as_date(deployment.created_at),
            url=draft_url(deployment.pk),
        )
        for deployment in flagged("to_draft")
    ]
    tasks += [
        Task(
            kind="progress-review",
            what="Review progress against the objectives",
            detail=_about(deployment),
            school=deployment.supported_school.name,
            due_on=deployment.next_review_on,
            url=review_url(deployment.pk),
        )
        for deployment in flagged("review_due")
    ]
    tasks += [
        Task(
            kind="final-evaluation",
            what="Record the final evaluation",
            detail=_about(deployment),
            school=deployment.supported_school.name,
            since=as_date(deployment.state_changed_at),
            url=evaluation_url(deployment.pk),
        )
        for deployment in flagged("to_evaluate")
    ]
    active = flagged("led_active")
    thresholds = stall_thresholds(today) if active else None
    tasks += [
        Task(
            kind="log-time",
            what="Log your time: none logged for four school weeks",
            detail=_about(deployment),
            school=deployment.supported_school.name,
            since=deployment.quiet_since,
            url=time_url(deployment.pk),
        )
        for deployment in active
        if is_stalled(deployment, thresholds)
    ]
    return tasks
