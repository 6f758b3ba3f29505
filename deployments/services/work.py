"""The work of a deployment: time logged against the agreed days, variations, progress reviews
against each objective and the final evaluation of impact."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apiformat.timestamps import touch
from changefeed import services as changefeed
from changefeed.choices import EventType
from schooldays.calendar import calendar_for

from ..choices import DeploymentState, ObjectiveOutcome, Rag
from ..errors import DeploymentError, InvalidTransition, validated
from ..models import (
    Deployment,
    FinalEvaluation,
    Objective,
    ObjectiveOutcomeRecord,
    ObjectiveProgress,
    ProgressReview,
    TimeEntry,
    Variation,
)
from ..rules import refusal_for
from ..validators import MAX_DAYS_PER_DATE
from .agreements import current_agreement
from .capacity import days_text
from .transitions import transition

State = DeploymentState
REVIEWABLE_STATES = {State.ACTIVE, State.PAUSED, State.AWAITING_FINAL_EVALUATION}


def days_used(deployment: Deployment) -> Decimal:
    return deployment.time_entries.aggregate(total=Sum("days"))["total"] or Decimal(0)


def days_allowed(deployment: Deployment) -> Decimal:
    """The days agreed plus every recorded variation."""
    extra = deployment.variations.aggregate(total=Sum("extra_days"))["total"] or Decimal(0)
    return deployment.days_agreed + extra


def _require_school_day(deployment: Deployment, worked_on: datetime.date) -> None:
    """Time is logged on school days of the supported school's authority (where the work happens),
    the days agreed and claimed are counted in: never a weekend, a bank holiday or its holidays."""
    authority = deployment.supported_school.local_authority
    why = calendar_for(worked_on, worked_on, authority).why_not_a_school_day(worked_on)
    if why is None:
        return
    where = f"{authority.name}'s " if authority is not None and why.startswith("in ") else ""
    if where:
        why = f"in {where}{why.removeprefix('in ').removeprefix('the ')}"
    raise DeploymentError(f"{worked_on:%-d %B %Y} is {why}: log time on school days.", field="worked_on")


def log_time(
    deployment: Deployment,
    *,
    actor,
    worked_on: datetime.date,
    days: Decimal,
    note: str = "",
    today: datetime.date | None = None,
) -> TimeEntry:
    """The leader (or named staff) logs time: only while active, only on school days, never beyond
    the agreed days without a variation."""
    today = today or timezone.localdate()
    if not actor.has_perm("deployments.log_time", deployment):
        raise DeploymentError("Only the leader and the staff named on the agreement can log time.")
    if worked_on > today:
        raise DeploymentError("The date cannot be in the future.", field="worked_on")
    entry = TimeEntry(deployment=deployment, person=actor, worked_on=worked_on, days=days, note=note)
    validated(entry, fields=["worked_on", "days", "note"])
    with transaction.atomic():
        # The person first: a day's limit spans all their deployments, which lock separately.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        locked = Deployment.objects.select_for_update().get(pk=deployment.pk)
        if locked.state != State.ACTIVE:
            raise InvalidTransition(
                "Time can only be logged on an active deployment; "
                f"this one is {locked.get_state_display().lower()}."
            )
        if locked.starts_on and worked_on < locked.starts_on:
            raise DeploymentError(
                f"The deployment started on {locked.starts_on:%-d %B %Y}: log time from then.",
                field="worked_on",
            )
        _require_school_day(deployment, worked_on)
        that_day = TimeEntry.objects.filter(person=actor, worked_on=worked_on).aggregate(total=Sum("days"))
        logged = that_day["total"] or Decimal(0)
        if logged + days > MAX_DAYS_PER_DATE:
            raise DeploymentError(
                f"You have already logged {days_text(logged)} on {worked_on:%-d %B %Y}: "
                f"a day's time is at most {days_text(Decimal(MAX_DAYS_PER_DATE))}, "
                f"so you can log {days_text(max(Decimal(MAX_DAYS_PER_DATE) - logged, Decimal(0)))} more",
                field="days",
            )
        used, allowed = days_used(locked), days_allowed(locked)
        if used + days > allowed:
            raise DeploymentError(
                f"This would take the time logged to {days_text(used + days)}, "
                f"{days_text(used + days - allowed)} more "
                f"than the {days_text(allowed)} agreed. Ask the broker to record a variation first.",
                field="days",
            )
        entry.deployment = locked
        entry.save()
        if locked.last_time_logged_on is None or worked_on > locked.last_time_logged_on:
            locked.last_time_logged_on = worked_on
            locked.save(update_fields=["last_time_logged_on"])
        else:
            touch(Deployment.objects.filter(pk=locked.pk))  # its days used changed
        changefeed.record(
            EventType.TIME_LOGGED, locked,
            {"time_entry_id": entry.pk, "worked_on": worked_on, "days": days, "days_used": used + days},
        )
    return entry


def record_variation(deployment: Deployment, *, actor, extra_days: Decimal, reason: str) -> Variation:
    if not actor.has_perm("deployments.record_variation", deployment):
        raise DeploymentError(refusal_for(actor, deployment, "Only the broker can record a variation."))
    if deployment.state not in {State.AGREED, State.ACTIVE, State.PAUSED}:
        raise InvalidTransition(f"This deployment is {deployment.get_state_display().lower()}.")
    if not reason.strip():
        raise DeploymentError("Say why more days are needed.", field="reason")
    variation = Variation(deployment=deployment, extra_days=extra_days, reason=reason, recorded_by=actor)
    validated(variation, fields=["extra_days", "reason"])
    with transaction.atomic():
        variation.save()
        touch(Deployment.objects.filter(pk=deployment.pk))  # its days allowed changed
    return variation


@dataclass
class Rating:
    objective_id: int
    rag: str
    evidence: str


def current_objectives(deployment: Deployment) -> list[Objective]:
    agreement = current_agreement(deployment)
    return list(agreement.objectives.all()) if agreement else []


def record_review(
    deployment: Deployment,
    *,
    actor,
    reviewed_on: datetime.date,
    ratings: list[Rating],
    summary: str = "",
    next_review_on: datetime.date | None = None,
) -> ProgressReview:
    """The broker rates progress on every objective of the agreed version (RAG with evidence)."""
    if not actor.has_perm("deployments.review", deployment):
        raise DeploymentError(refusal_for(actor, deployment, "Only the broker can record a progress review."))
    if deployment.state not in REVIEWABLE_STATES:
        raise InvalidTransition(
            "Progress is reviewed once support has started; "
            f"this deployment is {deployment.get_state_display().lower()}."
        )
    objectives = {o.pk: o for o in current_objectives(deployment)}
    rated = {r.objective_id: r for r in ratings}
    missing = [o for pk, o in objectives.items() if pk not in rated]
    if missing or set(rated) - set(objectives):
        raise DeploymentError("Rate every objective of the agreement.", field="ratings")
    for rating in ratings:
        if rating.rag not in Rag.values or not rating.evidence.strip():
            raise DeploymentError("Give each objective a rating and the evidence for it.", field="ratings")
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise DeploymentError("The next review must be after this one.", field="next_review_on")
    if deployment.starts_on and reviewed_on < deployment.starts_on:
        raise DeploymentError(
            f"The date of the review must be on or after {deployment.starts_on:%-d %B %Y}, "
            "when the support started",
            field="reviewed_on",
        )
    review = ProgressReview(
        deployment=deployment,
        reviewed_on=reviewed_on,
        summary=summary,
        next_review_on=next_review_on,
        reviewed_by=actor,
    )
    validated(review, fields=["reviewed_on", "summary", "next_review_on"])
    progress = [
        ObjectiveProgress(review=review, objective_id=r.objective_id, rag=r.rag, evidence=r.evidence)
        for r in ratings
    ]
    for row in progress:
        validated(row, fields=["evidence"], rename={"evidence": "ratings"})
    with transaction.atomic():
        # Locked, so two reviews saved at once each see the other when choosing the latest.
        Deployment.objects.select_for_update().filter(pk=deployment.pk).exists()
        review.save()
        for row in progress:
            row.review = review
        ObjectiveProgress.objects.bulk_create(progress)
        deployment.next_review_on = next_review_on
        deployment.save(update_fields=["next_review_on"])
        refresh_latest_review(deployment)
        changefeed.record(
            EventType.REVIEW_RECORDED, deployment,
            {"review_id": review.pk, "reviewed_on": reviewed_on, "next_review_on": next_review_on,
             "ratings": {rag: sum(1 for r in ratings if r.rag == rag) for rag in Rag.values}},
        )
    return review


LATEST_REVIEW_FIELDS = ["latest_review_on", "latest_red", "latest_amber", "latest_green"]
RAG_FIELDS = {Rag.RED: "latest_red", Rag.AMBER: "latest_amber", Rag.GREEN: "latest_green"}


def _latest_review_of(deployment_id) -> QuerySet[ProgressReview]:
    return ProgressReview.objects.filter(deployment_id=deployment_id).order_by("-reviewed_on", "-pk")


def refresh_latest_review(deployment: Deployment) -> None:
    """Copies the deployment's latest review (by date, then the later recorded) and its red, amber
    and green counts onto it: call it in the transaction that saves, edits or deletes a review.
    One query to read, one to write; writes with an update, so no history row records a copy."""
    counts = {field: Count("progress", filter=Q(progress__rag=rag)) for rag, field in RAG_FIELDS.items()}
    latest = (
        _latest_review_of(deployment.pk)
        .annotate(**counts)
        .values("reviewed_on", *RAG_FIELDS.values())
        .first()
    )
    # The reviews' ratings are shown with the deployment: it changed.
    values = dict.fromkeys(LATEST_REVIEW_FIELDS, 0) | {"latest_review_on": None, "updated_at": timezone.now()}
    if latest is not None:
        values |= {field: latest[field] for field in RAG_FIELDS.values()}
        values["latest_review_on"] = latest["reviewed_on"]
    Deployment.objects.filter(pk=deployment.pk).update(**values)
    for field, value in values.items():
        setattr(deployment, field, value)


def refresh_latest_reviews(deployments: QuerySet[Deployment]) -> int:
    """``refresh_latest_review`` for many deployments in one update, for data written in bulk (the
    benchmark generators); returns how many were updated."""
    latest_id = Subquery(_latest_review_of(OuterRef(OuterRef("pk"))).values("pk")[:1])

    def rated(rag: str) -> Coalesce:
        counts = (
            ObjectiveProgress.objects.filter(review_id=latest_id, rag=rag)
            .order_by()
            .values("review_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))

    return deployments.order_by().update(
        updated_at=timezone.now(),
        latest_review_on=Subquery(_latest_review_of(OuterRef("pk")).values("reviewed_on")[:1]),
        **{field: rated(rag) for rag, field in RAG_FIELDS.items()},
    )


def record_final_evaluation(
    deployment: Deployment,
    *,
    actor,
    impact: str,
    outcomes: dict[int, str],
    capacity_built: str = "",
    evaluated_on: datetime.date | None = None,
) -> FinalEvaluation:
    """The broker evaluates impact against each objective; the deployment is then completed."""
    if not actor.has_perm("deployments.review", deployment):
        raise DeploymentError(
            refusal_for(actor, deployment, "Only the broker can record the final evaluation.")
        )
    if deployment.state != State.AWAITING_FINAL_EVALUATION:
        raise InvalidTransition(
            "The final evaluation follows the end of support; "
            f"this deployment is {deployment.get_state_display().lower()}."
        )
    if not impact.strip():
        raise DeploymentError("Describe the impact of the support.", field="impact")
    objectives = {o.pk for o in current_objectives(deployment)}
    if set(outcomes) != objectives or any(v not in ObjectiveOutcome.values for v in outcomes.values()):
        raise DeploymentError("Say whether each objective was met.", field="outcomes")
    evaluation = FinalEvaluation(
        deployment=deployment,
        impact=impact,
        capacity_built=capacity_built,
        evaluated_on=evaluated_on or timezone.localdate(),
        evaluated_by=actor,
    )
    validated(evaluation, fields=["impact", "capacity_built", "evaluated_on"])
    with transaction.atomic():
        evaluation.save()
        ObjectiveOutcomeRecord.objects.bulk_create(
            ObjectiveOutcomeRecord(evaluation=evaluation, objective_id=pk, outcome=value)
            for pk, value in outcomes.items()
        )
        transition(deployment, State.COMPLETED, actor=actor, check_permission=False)
    return evaluation
