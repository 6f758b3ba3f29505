"""The daily deployment jobs: remind brokers of progress reviews, flag stalled deployments, close
deployments past their end date (and start agreed ones whose start date has come), and tell
teaching schools about SLEs not deployed within three months of designation.

Each walks its rows in primary-key batches whose query count does not grow with the batch, and
records what it told people (ReviewReminder, Notice: unique rows) in the same transaction as the
email, committed only once the email backend accepted it. So running a job twice, or again after
a crash mid-run, sends nothing twice and misses nothing. Each returns counts for the log and the
command line.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, Organisation
from designations.choices import BrokeringRule, DesignationStatus
from designations.emails import DESIGNATING_BODY_ROLES
from designations.models import Designation
from designations.services.lifecycle import add_months

from . import emails, services
from .choices import DeploymentState, NoticeKind, ReminderKind
from .errors import DeploymentError
from .models import Deployment, Notice, ReviewReminder
from .queries import quiet_since, stalled_on

logger = logging.getLogger(__name__)

State = DeploymentState
BATCH_SIZE = 500
REMINDER_WINDOW_DAYS = 14
REVIEWED_STATES = [State.ACTIVE, State.PAUSED, State.AWAITING_FINAL_EVALUATION]
# A designation in a deployment in one of these states has been deployed.
DEPLOYED_STATES = [State.AGREED, State.ACTIVE, State.PAUSED, State.AWAITING_FINAL_EVALUATION, State.COMPLETED]
UNDEPLOYED_KEY = "3-months"
CLOSING_NOTE = "Past its end date: moved to awaiting final evaluation by the daily job."


class _NoRecipient(Exception):
    """Nobody to tell: roll the record back so a later run tells them once someone can be."""


def _batches(queryset: QuerySet, batch_size: int) -> Iterator[list]:
    """Rows in primary-key order, a batch at a time; each batch runs the queryset's prefetches once."""
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


def _memberships() -> QuerySet[Membership]:
    return Membership.objects.select_related("user")


def _school_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=emails.SCHOOL_KINDS).prefetch_related(
        Prefetch("memberships", queryset=_memberships())
    )


def with_recipients(queryset: QuerySet[Deployment]) -> QuerySet[Deployment]:
    """Everything deployments.emails reads to address a deployment's people, fetched per batch."""
    return queryset.select_related(
        "broker",
        "commissioner",
        "leader",
        "supported_school",
        "leader_school",
        "designation__designation_type",
    ).prefetch_related(
        Prefetch("broker__memberships", queryset=_memberships()),
        Prefetch("commissioner__memberships", queryset=_memberships()),
        Prefetch("supported_school__organisations", queryset=_school_organisations()),
        Prefetch("leader_school__organisations", queryset=_school_organisations()),
    )


def _record_and_send(record: Callable[[], object], send: Callable[[], bool], what: str) -> str:
    """Records and sends one notice in one transaction; returns "sent", "already_sent",
    "no_recipient" or "failed".

    The transaction commits only after the email backend accepted the message. If sending fails
    the record is rolled back and the next run retries: nothing is missed. Once committed, no run
    sends it again, and a concurrent run's insert hits the unique constraint: nothing is sent
    twice. A crash between the backend accepting and the commit sends it again on the next run; a
    notice sent twice is the safer failure than one never sent.
    """
    try:
        with transaction.atomic():
            record()
            if not send():
                raise _NoRecipient
    except _NoRecipient:
        logger.warning("%s: no one to tell; a later run retries", what)
        return "no_recipient"
    except IntegrityError:
        return "already_sent"
    except Exception:
        # Ids only: the log must carry no addresses.
        logger.exception("%s failed; the next run retries it", what)
        return "failed"
    return "sent"


def _count(counts: dict[str, int], outcome: str, sent_as: str) -> None:
    if outcome == "sent":
        counts[sent_as] += 1
    elif outcome in ("no_recipient", "failed"):
        counts[outcome] += 1


# --- send_deployment_review_reminders ----------------------------------------------------------


def reminder_kind_due(due_on: datetime.date, today: datetime.date) -> ReminderKind | None:
    """The reminder a review due on ``due_on`` is owed today. A window ("within 14 days"), not an
    exact day, so a day the job did not run loses nothing; only the most urgent applies."""
    if due_on < today:
        return ReminderKind.OVERDUE
    if due_on == today:
        return ReminderKind.DUE_TODAY
    if due_on <= today + datetime.timedelta(days=REMINDER_WINDOW_DAYS):
        return ReminderKind.DUE_SOON
    return None


def _deployments_to_remind(today: datetime.date) -> QuerySet[Deployment]:
    return with_recipients(
        Deployment.objects.filter(
            state__in=REVIEWED_STATES,
            next_review_on__isnull=False,
            next_review_on__lte=today + datetime.timedelta(days=REMINDER_WINDOW_DAYS),
        )
    ).prefetch_related("review_reminders")


def send_deployment_review_reminders(
    today: datetime.date | None = None, *, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Emails each broker about progress reviews due within 14 days, due today and overdue: once
    per deployment, due date and kind."""
    today = today or timezone.localdate()
    counts = {"checked": 0, **{kind.value: 0 for kind in ReminderKind}, "no_recipient": 0, "failed": 0}
    for batch in _batches(_deployments_to_remind(today), batch_size):
        counts["checked"] += len(batch)
        for deployment in batch:
            due_on = deployment.next_review_on
            kind = reminder_kind_due(due_on, today)
            sent = {(r.due_on, r.kind) for r in deployment.review_reminders.all()}
            if kind is None or (due_on, kind) in sent:
                continue
            outcome = _record_and_send(
                lambda d=deployment, k=kind: ReviewReminder.objects.create(
                    deployment=d, due_on=d.next_review_on, kind=k
                ),
                lambda d=deployment, k=kind: emails.review_reminder(
                    d, k, due_on=d.next_review_on, today=today
                ),
                f"Review reminder {kind} for deployment {deployment.pk}",
            )
            _count(counts, outcome, kind)
    logger.info("send_deployment_review_reminders: %s", counts)
    return counts


# --- flag_stalled_deployments ------------------------------------------------------------------


def stall_key(deployment: Deployment) -> str:
    """One notice per stall: a stall is known by the last day time was logged before it."""
    return deployment.last_time_logged_on.isoformat() if deployment.last_time_logged_on else "start"


def _stalled_deployments(today: datetime.date) -> QuerySet[Deployment]:
    return with_recipients(
        Deployment.objects.alias(quiet_since=quiet_since()).filter(stalled_on(today))
    ).prefetch_related(
        Prefetch("notices", queryset=Notice.objects.filter(kind=NoticeKind.STALLED), to_attr="stall_notices")
    )


def _notice(kind: str, *, key: str, **target) -> Callable[[], Notice]:
    return lambda: Notice.objects.create(kind=kind, key=key, sent_at=timezone.now(), **target)


def flag_stalled_deployments(
    today: datetime.date | None = None, *, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Tells the broker and the commissioner about each active deployment with no time logged for
    four school weeks (since the last time logged, or since it started; half term and the holidays
    do not count): once per stall."""
    today = today or timezone.localdate()
    counts = {"checked": 0, "flagged": 0, "no_recipient": 0, "failed": 0}
    for batch in _batches(_stalled_deployments(today), batch_size):
        counts["checked"] += len(batch)
        for deployment in batch:
            key = stall_key(deployment)
            if any(notice.key == key for notice in deployment.stall_notices):
                continue
            since = deployment.last_time_logged_on or deployment.starts_on
            outcome = _record_and_send(
                _notice(NoticeKind.STALLED, key=key, deployment=deployment),
                lambda d=deployment, s=since: emails.stalled(d, since=s, today=today),
                f"Stalled notice for deployment {deployment.pk}",
            )
            _count(counts, outcome, "flagged")
    logger.info("flag_stalled_deployments: %s", counts)
    return counts


# --- close_ended_deployments -------------------------------------------------------------------


def _start_due(today: datetime.date, batch_size: int) -> int:
    started = 0
    due = Deployment.objects.filter(state=State.AGREED, starts_on__lte=today)
    for batch in _batches(due, batch_size):
        for deployment in batch:
            try:
                started += services.start_if_due(deployment, today)
            except DeploymentError:
                # Someone changed it meanwhile: the state machine refused, nothing to do.
                logger.info("Deployment %s was not started: its state changed meanwhile", deployment.pk)
    return started


def _close(deployment: Deployment) -> None:
    # The state machine refreshes the instance it is given; a bare one keeps the batch's prefetches.
    target = Deployment(pk=deployment.pk, state=deployment.state)
    services.transition(target, State.AWAITING_FINAL_EVALUATION, note=CLOSING_NOTE, check_permission=False)
    deployment.state, deployment.state_changed_at = target.state, target.state_changed_at


def _close_and_tell(deployment: Deployment) -> str:
    """Closes the deployment and records and sends its notice in one transaction: a failed send
    leaves it open for the next run. With no one to tell it still closes, and the notice records
    that nothing was sent."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                kind=NoticeKind.CLOSED_AT_END, deployment=deployment, key=deployment.ends_on.isoformat()
            )
            _close(deployment)
            if not emails.closed_at_end(deployment):
                logger.warning("Deployment %s closed at its end date with no one to tell", deployment.pk)
                return "no_recipient"
            notice.sent_at = timezone.now()
            notice.save(update_fields=["sent_at"])
    except (IntegrityError, DeploymentError):
        logger.info("Deployment %s was closed meanwhile", deployment.pk)
        return "already_sent"
    except Exception:
        logger.exception(
            "Closing deployment %s at its end date failed; the next run retries it", deployment.pk
        )
        return "failed"
    return "sent"


def close_ended_deployments(
    today: datetime.date | None = None, *, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Starts agreed deployments whose start date has come, then moves active or paused ones past
    their end date to awaiting final evaluation and tells the broker, the leader and the supported
    school."""
    today = today or timezone.localdate()
    counts = {
        "started": _start_due(today, batch_size),
        "checked": 0,
        "closed": 0,
        "no_recipient": 0,
        "failed": 0,
    }
    ended = with_recipients(
        Deployment.objects.filter(state__in=[State.ACTIVE, State.PAUSED], ends_on__lt=today)
    )
    for batch in _batches(ended, batch_size):
        counts["checked"] += len(batch)
        for deployment in batch:
            outcome = _close_and_tell(deployment)
            if outcome in ("sent", "no_recipient"):
                counts["closed"] += 1
            if outcome in ("no_recipient", "failed"):
                counts[outcome] += 1
    logger.info("close_ended_deployments: %s", counts)
    return counts


# --- flag_undeployed_sles ----------------------------------------------------------------------


def _undeployed_sles(today: datetime.date) -> QuerySet[Designation]:
    deployed = Deployment.objects.filter(designation=OuterRef("pk"), state__in=DEPLOYED_STATES)
    told = Notice.objects.filter(
        kind=NoticeKind.UNDEPLOYED_SLE, designation=OuterRef("pk"), key=UNDEPLOYED_KEY
    )
    return (
        Designation.objects.filter(
            designation_type__brokering_rule=BrokeringRule.TEACHING_SCHOOL_POOL,
            status=DesignationStatus.ACTIVE,
            designated_on__lt=add_months(today, -3),
        )
        .filter(~Q(Exists(deployed)), ~Q(Exists(told)))
        .select_related("holder", "school", "designation_type", "designating_organisation")
        .prefetch_related(
            Prefetch(
                "designating_organisation__memberships",
                queryset=_memberships().filter(role__in=DESIGNATING_BODY_ROLES),
            )
        )
    )


def flag_undeployed_sles(
    today: datetime.date | None = None, *, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Tells each teaching school, in one email per batch, about its SLEs designated more than
    three months ago and never deployed: each SLE once (a notice per designation)."""
    today = today or timezone.localdate()
    counts = {"checked": 0, "flagged": 0, "emails": 0, "no_recipient": 0, "failed": 0}
    for batch in _batches(_undeployed_sles(today), batch_size):
        counts["checked"] += len(batch)
        by_school: dict[int, list[Designation]] = defaultdict(list)
        for designation in batch:
            by_school[designation.designating_organisation_id].append(designation)
        for designations in by_school.values():
            organisation = designations[0].designating_organisation
            outcome = _record_and_send(
                lambda ds=designations: Notice.objects.bulk_create(
                    Notice(
                        kind=NoticeKind.UNDEPLOYED_SLE,
                        designation=d,
                        key=UNDEPLOYED_KEY,
                        sent_at=timezone.now(),
                    )
                    for d in ds
                ),
                lambda o=organisation, ds=designations: emails.undeployed_sles(o, ds, today=today),
                f"Undeployed SLE notice to organisation {organisation.pk}",
            )
            if outcome == "sent":
                counts["flagged"] += len(designations)
                counts["emails"] += 1
            elif outcome in ("no_recipient", "failed"):
                counts[outcome] += len(designations)
    logger.info("flag_undeployed_sles: %s", counts)
    return counts
