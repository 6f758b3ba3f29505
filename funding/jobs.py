"""The daily claims jobs: remind the claiming school of days delivered and still unclaimed 60 days
after the month they were worked in, and tell the commissioner of claims waiting 30 days or more
for a decision.

Like ``deployments.jobs``, each walks its rows in primary-key batches whose query count does not
grow with the batch, and records what it told people (``FundingNotice``: unique by kind and key)
in the same transaction as the email, committed only once the email backend accepted it. So
running a job twice, or again after a crash mid-run, tells nobody twice and misses nobody. Each
returns counts for the log and the command line.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from itertools import islice

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Membership, Organisation
from deployments.choices import AgreementStatus
from deployments.emails import SCHOOL_KINDS
from deployments.jobs import _batches, _count, _record_and_send
from deployments.models import Agreement, Deployment, TimeEntry

from . import job_emails
from .choices import UNDECIDED_CLAIM_STATES, NoticeKind
from .models import Claim, FundingNotice

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
UNCLAIMED_AFTER_DAYS = 60
OVERDUE_AFTER_DAYS = 30


def _memberships() -> QuerySet[Membership]:
    return Membership.objects.select_related("user")


def _school_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=SCHOOL_KINDS).prefetch_related(
        Prefetch("memberships", queryset=_memberships())
    )


def _notice(kind: str, *, key: str, **target) -> Callable[[], FundingNotice]:
    return lambda: FundingNotice.objects.create(kind=kind, key=key, sent_at=timezone.now(), **target)


def _keys_told(kind: str, **targets) -> set[str]:
    """The keys of the notices of ``kind`` already sent for a batch's rows: one query."""
    return set(FundingNotice.objects.filter(kind=kind, **targets).values_list("key", flat=True))


# --- remind_unclaimed_days ---------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def last_month_due(today: datetime.date) -> datetime.date:
    """The last day of the latest month whose end was at least 60 days ago: time worked up to it
    and still unclaimed is owed a reminder today."""
    cutoff = today - datetime.timedelta(days=UNCLAIMED_AFTER_DAYS)
    return cutoff if month_end(cutoff) == cutoff else month_start(cutoff) - datetime.timedelta(days=1)


def unclaimed_key(deployment_pk: int, month: datetime.date) -> str:
    """One reminder per deployment and month worked."""
    return f"{deployment_pk}:{month:%Y-%m}"


def _unclaimed_entries(up_to: datetime.date) -> QuerySet[TimeEntry]:
    # The same rule as funding.services.unclaimed_time: an entry no live claim covers.
    return TimeEntry.objects.filter(worked_on__lte=up_to, claimed_by__isnull=True)


def _agreed(deployment_ref) -> Exists:
    return Exists(Agreement.objects.filter(deployment=deployment_ref, status=AgreementStatus.AGREED))


def _months_unclaimed(up_to: datetime.date) -> QuerySet:
    """(deployment id, first day of month) for each month with days unclaimed up to ``up_to`` on
    a deployment with an agreement (nothing agreed, nothing to claim against): one row per pair,
    worked out by the database, so the job reads no time entry it will not list."""
    return (
        _unclaimed_entries(up_to)
        .filter(_agreed(OuterRef("deployment")))
        .annotate(month=TruncMonth("worked_on"))
        .values_list("deployment_id", "month")
        .distinct()
        .order_by("deployment_id", "month")
    )


def months_owed(up_to: datetime.date, *, batch_size: int = BATCH_SIZE) -> tuple[int, dict[int, list]]:
    """The deployments with days unclaimed up to ``up_to`` (how many), and of them the months not
    yet reminded, by deployment id. Reads the told keys a batch of pairs at a time."""
    owed: dict[int, list[datetime.date]] = defaultdict(list)
    deployments: set[int] = set()
    pairs = _months_unclaimed(up_to).iterator(chunk_size=batch_size * 4)
    while batch := list(islice(pairs, batch_size * 4)):
        keys = {unclaimed_key(pk, month): (pk, month) for pk, month in batch}
        told = _keys_told(NoticeKind.UNCLAIMED_DAYS, key__in=keys)
        for key, (pk, month) in keys.items():
            deployments.add(pk)
            if key not in told:
                owed[pk].append(month)
    return len(deployments), owed


def _deployments_owed(ids: list[int], up_to: datetime.date) -> list[Deployment]:
    payee = Agreement.objects.filter(status=AgreementStatus.AGREED).order_by("-version")
    return list(
        Deployment.objects.filter(pk__in=ids)
        .select_related("leader", "supported_school", "designation__designation_type")
        .prefetch_related(
            Prefetch(
                "time_entries",
                queryset=_unclaimed_entries(up_to).order_by("worked_on", "pk"),
                to_attr="unclaimed_entries",
            ),
            Prefetch("agreements", queryset=payee.select_related("payee_school"), to_attr="agreed_versions"),
            Prefetch("agreed_versions__payee_school__organisations", queryset=_school_organisations()),
        )
        .order_by("pk")
    )


def _by_month(entries: list[TimeEntry]) -> dict[datetime.date, list[TimeEntry]]:
    months: dict[datetime.date, list[TimeEntry]] = defaultdict(list)
    for entry in entries:
        months[month_start(entry.worked_on)].append(entry)
    return dict(sorted(months.items()))


def remind_unclaimed_days(
    today: datetime.date | None = None, *, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Tells the head and school business manager of the school each agreement pays about days
    delivered and still unclaimed 60 days after the end of the month they were worked in: once per
    deployment and month."""
    today = today or timezone.localdate()
    up_to = last_month_due(today)
    checked, owed = months_owed(up_to, batch_size=batch_size)
    counts = {"checked": checked, "reminded": 0, "no_recipient": 0, "failed": 0}
    ids = sorted(owed)
    for start in range(0, len(ids), batch_size):
        for deployment in _deployments_owed(ids[start:start + batch_size], up_to):
            _remind_months(deployment, owed[deployment.pk], today, counts)
    logger.info("remind_unclaimed_days: %s", counts)
    return counts


def _remind_months(
    deployment: Deployment, months: list[datetime.date], today: datetime.date, counts: dict[str, int]
) -> None:
    if not deployment.agreed_versions:
        return  # no agreement any more since its months were read
    school = deployment.agreed_versions[0].payee_school
    by_month = _by_month(deployment.unclaimed_entries)
    for month in months:
        key = unclaimed_key(deployment.pk, month)
        outcome = _record_and_send(
            _notice(NoticeKind.UNCLAIMED_DAYS, key=key, deployment=deployment),
            lambda d=deployment, s=school, m=month, e=by_month[month]: job_emails.unclaimed_days(
                d, school=s, month=m, entries=e, today=today
            ),
            f"Unclaimed days notice {key}",
        )
        _count(counts, outcome, "reminded")


# --- flag_overdue_claims -----------------------------------------------------------------------


def overdue_key(claim: Claim) -> str:
    """One notice per claim and submission: a claim is known by when it was last (re)submitted, or
    first approved when it awaits a second approval, so a resubmitted claim is flagged again."""
    return f"{claim.pk}:{claim.state_changed_at.astimezone(datetime.UTC).isoformat()}"


def _waiting_since_before(today: datetime.date) -> datetime.datetime:
    """Claims whose state last changed before this moment have waited 30 days or more by today."""
    first_day_not_due = today - datetime.timedelta(days=OVERDUE_AFTER_DAYS - 1)
    return timezone.make_aware(datetime.datetime.combine(first_day_not_due, datetime.time.min))


def _overdue_claims(today: datetime.date) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(
            state__in=sorted(UNDECIDED_CLAIM_STATES), state_changed_at__lt=_waiting_since_before(today)
        )
        .select_related("claiming_school", "commissioner", "deployment__supported_school")
        .prefetch_related(Prefetch("commissioner__memberships", queryset=_memberships()))
    )


def flag_overdue_claims(
    today: datetime.date | None = None, *, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Tells the commissioner about each claim submitted (or awaiting its second approval) and not
    decided for 30 days: once per claim and submission."""
    today = today or timezone.localdate()
    counts = {"checked": 0, "flagged": 0, "no_recipient": 0, "failed": 0}
    for batch in _batches(_overdue_claims(today), batch_size):
        counts["checked"] += len(batch)
        told = _keys_told(NoticeKind.OVERDUE_CLAIM, claim__in=batch)
        for claim in batch:
            key = overdue_key(claim)
            if key in told:
                continue
            since = timezone.localtime(claim.state_changed_at).date()
            outcome = _record_and_send(
                _notice(NoticeKind.OVERDUE_CLAIM, key=key, claim=claim),
                lambda c=claim, s=since: job_emails.claim_overdue(c, since=s, today=today),
                f"Overdue notice for claim {claim.pk}",
            )
            _count(counts, outcome, "flagged")
    logger.info("flag_overdue_claims: %s", counts)
    return counts
