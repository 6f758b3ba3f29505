"""Retention: each kind of record is kept for its rule's period (``RetentionRule``, edited in the
admin), then deleted or anonymised by ``apply_retention``, daily and from ``manage.py
apply_retention``.

Each rule finds what is past its period in batches of ids (``RETENTION_BATCH_SIZE``) and acts on
a batch in a fixed number of queries, so a run's queries grow with its batches, not its records.
What a rule has acted on no longer matches it, so a second run finds nothing more: idempotent."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import AccessRequest, Invitation, User
from deployments.choices import FINISHED_STATES, LIVE_STATES
from deployments.models import Agreement, Deployment, RecordedSignoff, Unavailability
from designations.choices import CURRENT_DESIGNATION_STATUSES, ApplicationState
from designations.models import Application
from designations.services.lifecycle import add_months
from funding.models import Claim, ClaimLine, Clawback, Payment, Sample

from . import anonymise
from .choices import ExportStatus, RetentionKind
from .models import DataRequest, RetentionRule, RetentionRun

UNSUCCESSFUL_STATES = (ApplicationState.REJECTED, ApplicationState.WITHDRAWN)



@dataclass(frozen=True)
class Rule:
    kind: str
    due: Callable[[datetime.datetime], QuerySet]
    act: Callable[[list[int]], object]


def _due_applications(cutoff: datetime.datetime) -> QuerySet:
    return (
        Application.objects.filter(state__in=UNSUCCESSFUL_STATES, designation__isnull=True)
        .annotate(decided=Coalesce("decided_at", "updated_at"))
        .filter(decided__lt=cutoff)
    )


def _due_accounts(cutoff: datetime.datetime) -> QuerySet:
    return (
        User.objects.annotate(used=Coalesce("last_login", "date_joined"))
        .filter(used__lt=cutoff, is_superuser=False)
        .exclude(email__endswith=f"@{anonymise.ANONYMISED_DOMAIN}")
        .exclude(designations__status__in=sorted(CURRENT_DESIGNATION_STATUSES))
        .exclude(deployments_led__state__in=sorted(LIVE_STATES))
    )


def _due_deployments(cutoff: datetime.datetime) -> QuerySet:
    return Deployment.objects.filter(state__in=sorted(FINISHED_STATES), state_changed_at__lt=cutoff).filter(
        Q(ends_on__isnull=True) | Q(ends_on__lt=timezone.localdate(cutoff))
    )


def _delete_deployments(ids: list[int]) -> dict[str, int]:
    """Money first (payments and samples protect their claims, claims their deployments), then the
    deployments with everything that hangs off them; their files once the rows are gone."""
    claims = Claim.objects.filter(deployment_id__in=ids)
    samples = Sample.objects.filter(claim__deployment_id__in=ids)
    agreements = list(Agreement.objects.filter(deployment_id__in=ids).values_list("pk", flat=True))
    recorded = RecordedSignoff.objects.filter(agreement_id__in=agreements)
    file_names = [
        *samples.values_list("evidence", flat=True),
        *ClaimLine.objects.filter(claim__deployment_id__in=ids).values_list("evidence", flat=True),
        *recorded.values_list("copy", flat=True),
    ]
    recorded_ids = list(recorded.values_list("pk", flat=True))
    anonymise.delete_rows(Clawback.objects.filter(sample__claim__deployment_id__in=ids))
    anonymise.delete_rows(samples)
    payments = anonymise.delete_rows(Payment.objects.filter(claim__deployment_id__in=ids))
    claim_count = claims.count()
    anonymise.delete_rows(claims)
    anonymise.delete_rows(Deployment.objects.filter(pk__in=ids))
    anonymise.scrub_history(Deployment, ids)
    anonymise.scrub_history(Agreement, agreements)
    anonymise.scrub_history(RecordedSignoff, recorded_ids)
    return {"claims": claim_count, "payments": payments, "files": anonymise.delete_files(file_names)}


def _due_access_requests(cutoff: datetime.datetime) -> QuerySet:
    settled = Coalesce("decided_at", "created_at")
    return AccessRequest.objects.annotate(settled=settled).filter(settled__lt=cutoff)


def _due_invitations(cutoff: datetime.datetime) -> QuerySet:
    return Invitation.objects.filter(
        Q(accepted_at__lt=cutoff) | Q(cancelled_at__lt=cutoff)
        | Q(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__lt=cutoff)
    )


def _deleting(model, history: bool = True) -> Callable[[list[int]], int]:
    def act(ids: list[int]) -> int:
        deleted = anonymise.delete_rows(model.objects.filter(pk__in=ids))
        if history:
            anonymise.scrub_history(model, ids)
        return deleted
    return act


RULES: tuple[Rule, ...] = (
    Rule(RetentionKind.UNSUCCESSFUL_APPLICATIONS, _due_applications, anonymise.delete_applications),
    Rule(RetentionKind.UNUSED_ACCOUNTS, _due_accounts, anonymise.anonymise_accounts),
    Rule(RetentionKind.ENDED_DEPLOYMENTS, _due_deployments, _delete_deployments),
    Rule(RetentionKind.ACCESS_REQUESTS, _due_access_requests, _deleting(AccessRequest)),
    Rule(RetentionKind.INVITATIONS, _due_invitations, _deleting(Invitation)),
    Rule(RetentionKind.UNAVAILABILITY, lambda cutoff: Unavailability.objects.filter(
        ends_on__lt=timezone.localdate(cutoff)), _deleting(Unavailability, history=False)),
)

# The most ids a report lists for a rule; the count is always the whole number.
REPORT_IDS = 1000


def _run_rule(rule: Rule, months: int, *, now: datetime.datetime, dry_run: bool, batch_size: int) -> dict:
    # Calendar months before now, at the same time of day (31 March less a month is 28 or 29 February).
    local = timezone.localtime(now)
    cutoff = datetime.datetime.combine(add_months(local.date(), -months), local.timetz())
    done: list[int] = []
    last = 0
    while True:
        batch = list(
            rule.due(cutoff).filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
            .distinct()[:batch_size]
        )
        if not batch:
            break
        if not dry_run:
            with transaction.atomic():
                rule.act(batch)
        done += batch
        last = batch[-1]
    return {"count": len(done), "ids": done[:REPORT_IDS], "before": cutoff.isoformat(), "months": months}


def expire_exports(*, now: datetime.datetime, dry_run: bool) -> dict:
    """Copies of people's data are deleted when their link expires."""
    expired = DataRequest.objects.filter(status=ExportStatus.READY, expires_at__lte=now)
    ids = list(expired.values_list("pk", flat=True))
    if not dry_run and ids:
        with transaction.atomic():
            anonymise.delete_files(expired.values_list("archive", flat=True))
            DataRequest.objects.filter(pk__in=ids).update(status=ExportStatus.EXPIRED, archive="")
    return {"count": len(ids), "ids": ids[:REPORT_IDS]}


def apply_retention(*, dry_run: bool = False, batch_size: int | None = None) -> RetentionRun:
    """Run every rule (in order: applications before the accounts they name) and record the report.
    A dry run finds the same records and changes nothing but its own report."""
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    now = timezone.now()
    run = RetentionRun.objects.create(started_at=now, dry_run=dry_run)
    months = dict(RetentionRule.objects.values_list("kind", "months"))
    report = {
        rule.kind: _run_rule(rule, months[rule.kind], now=now, dry_run=dry_run, batch_size=batch_size)
        for rule in RULES
        if rule.kind in months
    }
    report["expired_exports"] = expire_exports(now=now, dry_run=dry_run)
    run.report = report
    run.finished_at = timezone.now()
    run.save(update_fields=["report", "finished_at"])
    return run
