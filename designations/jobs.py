"""The daily jobs: raise de-designation cases from the facts, and remind designating bodies of
reviews. Both walk their rows in primary-key batches whose query count does not grow with the
batch, are safe to run again, and return counts for the log and the command line."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Membership
from schools.choices import SchoolStatus

from . import emails
from .choices import (
    CURRENT_DESIGNATION_STATUSES,
    CaseReason,
    CaseStatus,
    CriterionCheck,
    LeadershipRole,
    ReminderKind,
)
from .models import Criterion, DeDesignationCase, Designation, LeadershipPost, Review, SentReminder
from .services.lifecycle import latest_inspection_meets, open_case

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
CHECKED_REASONS = [
    CaseReason.OFSTED_BELOW_REQUIREMENT,
    CaseReason.SCHOOL_CLOSED,
    CaseReason.ROLE_LOST,
    CaseReason.TERM_ENDED,
]


def _batches(queryset: QuerySet, batch_size: int) -> Iterator[list]:
    """Rows in primary-key order, a batch at a time; each batch runs the queryset's prefetches once."""
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


def _designating_body_memberships(path: str = "designating_organisation") -> Prefetch:
    """The memberships `emails.designating_body_recipients` reads, with their users."""
    return Prefetch(
        f"{path}__memberships",
        queryset=Membership.objects.filter(role__in=emails.DESIGNATING_BODY_ROLES).select_related("user"),
    )


# --- check_designations ------------------------------------------------------------------------


def _designations_to_check(today: datetime.date) -> QuerySet[Designation]:
    current_posts = LeadershipPost.objects.filter(started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )
    return (
        Designation.objects.filter(status__in=CURRENT_DESIGNATION_STATUSES)
        .select_related("designation_type", "holder", "school__latest_inspection", "designating_organisation")
        .prefetch_related(
            "school__latest_inspection__judgements",
            Prefetch("holder__posts", queryset=current_posts, to_attr="current_posts"),
            Prefetch(
                "cases",
                queryset=DeDesignationCase.objects.filter(status=CaseStatus.OPEN),
                to_attr="open_cases",
            ),
            _designating_body_memberships(),
        )
    )


def _monitored_criteria() -> dict[int, list[Criterion]]:
    """Each type's active criteria that the daily check re-applies to designations it has made."""
    by_type: dict[int, list[Criterion]] = defaultdict(list)
    criteria = (
        Criterion.objects.filter(
            is_active=True, kind__in=[CriterionCheck.SCHOOL_OFSTED, CriterionCheck.HOLDS_ROLE]
        )
        .select_related("ofsted_rule")
        .prefetch_related("ofsted_rule__clauses")
    )
    for criterion in criteria:
        by_type[criterion.designation_type_id].append(criterion)
    return by_type


def _ofsted_finding(designation: Designation, criteria: list[Criterion]) -> str | None:
    school = designation.school
    for criterion in criteria:
        if criterion.kind != CriterionCheck.SCHOOL_OFSTED or criterion.ofsted_rule is None:
            continue
        if latest_inspection_meets(criterion.ofsted_rule, school) is False:
            inspection = school.latest_inspection
            return (
                f"{school.name} (URN {school.urn}) was inspected on {inspection.start_date:%-d %B %Y} "
                f"({inspection.headline}), which does not meet “{criterion.ofsted_rule.name}”."
            )
    return None


def _role_finding(designation: Designation, criteria: list[Criterion]) -> str | None:
    holder = designation.holder
    if holder is None:
        return None
    for criterion in criteria:
        if criterion.kind != CriterionCheck.HOLDS_ROLE or not criterion.roles:
            continue
        holds_role = any(
            post.school_id == designation.school_id and post.role in criterion.roles
            for post in holder.current_posts
        )
        if not holds_role:
            roles = ", ".join(LeadershipRole(role).label.lower() for role in criterion.roles)
            return f"{holder} no longer holds a qualifying role ({roles}) at {designation.school.name}."
    return None


def designation_findings(
    designation: Designation, criteria: list[Criterion], today: datetime.date
) -> list[tuple[str, str]]:
    """The (reason, detail) pairs the facts give for considering an end to the designation."""
    findings = []
    school = designation.school
    if designation.term_ends_on and designation.term_ends_on <= today:
        findings.append(
            (
                CaseReason.TERM_ENDED,
                f"The {designation.designation_type.code} term ended on "
                f"{designation.term_ends_on:%-d %B %Y} without renewal.",
            )
        )
    if school.status == SchoolStatus.CLOSED:
        closed = f" on {school.close_date:%-d %B %Y}" if school.close_date else ""
        findings.append((CaseReason.SCHOOL_CLOSED, f"{school.name} (URN {school.urn}) closed{closed}."))
    elif detail := _ofsted_finding(designation, criteria):
        findings.append((CaseReason.OFSTED_BELOW_REQUIREMENT, detail))
    if detail := _role_finding(designation, criteria):
        findings.append((CaseReason.ROLE_LOST, detail))
    return findings


def _open_cases(new_cases: list[DeDesignationCase]) -> list[DeDesignationCase]:
    """Opens the batch's cases in one insert; if someone opened one meanwhile, one at a time."""
    if not new_cases:
        return []
    try:
        with transaction.atomic():
            created = bulk_create_with_history(new_cases, DeDesignationCase)
    except IntegrityError:
        # open_case treats an existing open case as already raised and emails the ones it opens.
        opened = (open_case(c.designation, reason=c.reason, detail=c.detail) for c in new_cases)
        return [case for case in opened if case is not None]
    for case in created:
        transaction.on_commit(lambda case=case: emails.case_opened(case))
    return created


def check_designations(today: datetime.date | None = None, *, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Opens a de-designation case, for a person to decide, for every current designation whose
    school fell below its type's Ofsted rule or closed, whose holder lost the qualifying role, or
    whose term ended. A reason that already has an open case is not raised again."""
    today = today or timezone.localdate()
    counts = {"checked": 0, **{reason.value: 0 for reason in CHECKED_REASONS}}
    criteria_by_type = _monitored_criteria()
    for batch in _batches(_designations_to_check(today), batch_size):
        counts["checked"] += len(batch)
        new_cases = []
        for designation in batch:
            already_open = {case.reason for case in designation.open_cases}
            criteria = criteria_by_type.get(designation.designation_type_id, [])
            for reason, detail in designation_findings(designation, criteria, today):
                if reason not in already_open:
                    new_cases.append(DeDesignationCase(designation=designation, reason=reason, detail=detail))
        for case in _open_cases(new_cases):
            counts[case.reason] += 1
    logger.info("check_designations: %s", counts)
    return counts


# --- send_review_reminders ---------------------------------------------------------------------


def reminder_kind_due(due_on: datetime.date, today: datetime.date) -> ReminderKind | None:
    """The reminder a review is owed today. Windows ("within 30 days"), not exact days, so that a
    day the job did not run loses nothing; only the most urgent window applies."""
    if due_on < today:
        return ReminderKind.OVERDUE
    if due_on <= today + datetime.timedelta(days=7):
        return ReminderKind.DUE_IN_7_DAYS
    if due_on <= today + datetime.timedelta(days=30):
        return ReminderKind.DUE_IN_30_DAYS
    return None


def _reviews_to_remind(today: datetime.date) -> QuerySet[Review]:
    return (
        Review.objects.filter(
            completed_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=30),
            designation__status__in=CURRENT_DESIGNATION_STATUSES,
        )
        .select_related(
            "designation__designation_type",
            "designation__holder",
            "designation__school",
            "designation__designating_organisation",
        )
        .prefetch_related(
            "sent_reminders", _designating_body_memberships("designation__designating_organisation")
        )
    )


def _send_reminder(review: Review, kind: str, today: datetime.date) -> str:
    """Records and sends one reminder; returns "sent", "already_sent" or "failed".

    The SentReminder row is inserted and the email sent inside one transaction, and the
    transaction commits only after the email backend accepted the message. If sending fails the
    row is rolled back, so the next run retries: nothing is missed. Once the row is committed no
    run sends that (review, kind) again, and a concurrent run's insert hits the unique
    constraint: nothing is sent twice. The one window left is a crash after the backend accepted
    the message and before the commit, which sends it again on the next run; a reminder sent
    twice is the safer failure than one never sent.
    """
    try:
        with transaction.atomic():
            SentReminder.objects.create(review=review, kind=kind)
            emails.review_reminder(review, kind, today=today)
    except IntegrityError:
        return "already_sent"
    except Exception:
        # Ids only: the log must carry no addresses.
        logger.exception("Review reminder %s for review %s failed; the next run retries it", kind, review.pk)
        return "failed"
    return "sent"


def send_review_reminders(
    today: datetime.date | None = None, *, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Emails each designating body about reviews due within 30 days, within 7 days, and overdue,
    once per review and kind."""
    today = today or timezone.localdate()
    counts = {"checked": 0, **{kind.value: 0 for kind in ReminderKind}, "no_recipient": 0, "failed": 0}
    for batch in _batches(_reviews_to_remind(today), batch_size):
        counts["checked"] += len(batch)
        for review in batch:
            kind = reminder_kind_due(review.due_on, today)
            if kind is None or kind in {sent.kind for sent in review.sent_reminders.all()}:
                continue
            if not emails.designating_body_recipients(review.designation.designating_organisation):
                logger.warning("Review %s has no one at its designating body to remind", review.pk)
                counts["no_recipient"] += 1
                continue
            outcome = _send_reminder(review, kind, today)
            if outcome == "sent":
                counts[kind] += 1
            elif outcome == "failed":
                counts["failed"] += 1
    logger.info("send_review_reminders: %s", counts)
    return counts
