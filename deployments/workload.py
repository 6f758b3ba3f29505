"""Deployments' answer to brokerage's questions about leaders' committed work
(brokerage.workload.Workload), registered in DeploymentsConfig.ready().

Capacity is the deployments app's: committed deployments and periods of unavailability are its
models and ``services.capacity.headroom`` its rule, so the free days brokerage ranks candidates by
are the same days ``check_capacity`` would allow when the agreement is made.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from brokerage.models import SupportRequest
from brokerage.workload import TrackRecord
from schooldays.calendar import calendars_for

from .choices import COMMITTED_STATES, LIVE_STATES, DeploymentState, ObjectiveOutcome
from .models import Deployment, Unavailability
from .services.capacity import Commitment, SchoolDayCounts, headroom

DAYS = DecimalField(max_digits=6, decimal_places=2)


def _by_leader(rows, key) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


class DeploymentsWorkload:
    """Implements brokerage.workload.Workload from deployments' models and capacity rules."""

    def free_days(
        self, available: Mapping[int, Decimal], starts_on: datetime.date, ends_on: datetime.date
    ) -> dict[int, Decimal]:
        """Three queries: the committed deployments, the unavailability overlapping the period and
        the term dates of the supported schools' authorities (one calendar for them all)."""
        leader_ids = sorted(available)
        rows = Deployment.objects.filter(
            leader_id__in=leader_ids,
            state__in=sorted(COMMITTED_STATES),
            starts_on__lte=ends_on,
            ends_on__gte=starts_on,
        )
        committed_rows = list(
            rows.annotate(authority_id=F("supported_school__local_authority_id")).only(
                "leader_id", "starts_on", "ends_on", "days_per_week"
            )
        )
        committed = _by_leader(committed_rows, key=lambda d: d.leader_id)
        unavailable = _by_leader(
            Unavailability.objects.filter(
                leader_id__in=leader_ids, starts_on__lte=ends_on, ends_on__gte=starts_on
            ),
            key=lambda u: u.leader_id,
        )
        calendars = calendars_for(starts_on, ends_on, [d.authority_id for d in committed_rows])
        counts = SchoolDayCounts(calendars)
        return {
            leader_id: headroom(
                available=days,
                committed=[
                    Commitment(d.starts_on, d.ends_on, d.days_per_week, d.authority_id)
                    for d in committed[leader_id]
                ],
                unavailable=unavailable[leader_id],
                starts_on=starts_on,
                ends_on=ends_on,
                calendars=calendars,
                counts=counts,
            )
            for leader_id, days in available.items()
        }

    def track_records(self, leader_ids: Iterable[int]) -> dict[int, TrackRecord]:
        """One grouped query over the leaders' deployments: how many completed, and the outcomes of
        their evaluated objectives (a deployment has at most one final evaluation, so counting
        outcomes does not double count). A queryset of ids stays a subquery."""
        if not isinstance(leader_ids, QuerySet):
            leader_ids = list(leader_ids)
        outcomes = "final_evaluation__outcomes"
        rows = (
            Deployment.objects.filter(leader_id__in=leader_ids)
            .order_by()
            .values("leader_id")
            .annotate(
                completed=Count("pk", filter=Q(state=DeploymentState.COMPLETED), distinct=True),
                evaluated=Count(outcomes),
                met=Count(outcomes, filter=Q(**{f"{outcomes}__outcome": ObjectiveOutcome.MET})),
            )
        )
        return {
            row["leader_id"]: TrackRecord(row["completed"], row["met"], row["evaluated"])
            for row in rows
            if row["completed"] or row["evaluated"]
        }

    def committed_during(self, leader: OuterRef, starts_on: datetime.date, ends_on: datetime.date) -> Q:
        """The deployments and unavailability ``free_days`` counts against the leader."""
        committed = Deployment.objects.filter(
            leader=leader, state__in=sorted(COMMITTED_STATES), starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        away = Unavailability.objects.filter(leader=leader, starts_on__lte=ends_on, ends_on__gte=starts_on)
        return Q(Exists(committed)) | Q(Exists(away))

    def committed_days_now(self, leader: OuterRef, today: datetime.date) -> Subquery:
        """Committed deployments under way today (an open start or end counts as under way).

        Their full days a week, in holidays too, unlike ``headroom``, which frees a leader in the
        supported school's half term: this is the partner search's "free days now", a measure of
        the leader's ongoing load for a partnership that runs on into term, so a week of holiday
        must not make every committed leader look free."""
        committed = (
            Deployment.objects.filter(leader=leader, state__in=sorted(COMMITTED_STATES))
            .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=today))
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .order_by()
            .values("leader")
            .annotate(total=Sum("days_per_week"))
            .values("total")
        )
        return Subquery(committed, output_field=DAYS)

    def live_support_at(self, school: OuterRef) -> Exists:
        return Exists(Deployment.objects.filter(supported_school=school, state__in=sorted(LIVE_STATES)))

    def for_request_page(self, support_request: SupportRequest) -> QuerySet[Deployment]:
        return support_request.deployments.select_related(
            "leader", "leader_school", "designation__designation_type"
        )
