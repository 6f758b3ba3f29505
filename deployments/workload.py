"""Deployments' answer to brokerage's questions about leaders' committed work
(brokerage.workload.Workload), registered in DeploymentsConfig.ready().

Capacity is the deployments app's: committed deployments and periods of unavailability are its
models and ``services.capacity.headroom`` its rule, so the free days brokerage ranks candidates by
are the same days ``check_capacity`` would allow when the agreement is made.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)

from brokerage.models import SupportRequest
from brokerage.workload import TrackRecord
from designations.queries import most_available_days
from schooldays.calendar import calendars_for

from .choices import COMMITTED_STATES, LIVE_STATES, DeploymentState, ObjectiveOutcome
from .models import Deployment, Unavailability
from .services.capacity import Away, Commitment, SchoolDayCounts, headroom

DAYS = DecimalField(max_digits=6, decimal_places=2)


class DeploymentsWorkload:
    """Implements brokerage.workload.Workload from deployments' models and capacity rules."""

    def free_days(
        self, leader_ids: Iterable[int], starts_on: datetime.date, ends_on: datetime.date
    ) -> dict[int, Decimal]:
        """Two queries at most: the leaders' committed deployments and their unavailability
        overlapping the period together (each row with its leader's availability), and the term
        dates of the supported schools' authorities (one calendar for them all) when there are
        commitments. Only the leaders with either are worked out: the others have every day they
        can give free."""
        if not isinstance(leader_ids, QuerySet):
            leader_ids = list(leader_ids)
        overlapping = {"leader_id__in": leader_ids, "starts_on__lte": ends_on, "ends_on__gte": starts_on}
        columns = ("leader_id", "starts_on", "ends_on")
        availability = most_available_days("leader_id")
        committed_rows = (
            Deployment.objects.filter(state__in=sorted(COMMITTED_STATES), **overlapping)
            .order_by()
            .values_list(
                *columns, "days_per_week", "supported_school__local_authority_id", availability, Value(True),
            )
        )
        away_rows = (
            Unavailability.objects.filter(**overlapping)
            .order_by()
            .values_list(
                *columns, "days_per_week_available", Value(None, IntegerField()), availability, Value(False),
            )
        )
        available: dict[int, Decimal] = {}
        committed: dict[int, list[Commitment]] = defaultdict(list)
        unavailable: dict[int, list[Away]] = defaultdict(list)
        for leader_id, starts, ends, days, authority_id, most, is_committed in committed_rows.union(
            away_rows, all=True
        ):
            available[leader_id] = most or Decimal(0)
            if is_committed:
                committed[leader_id].append(Commitment(starts, ends, days, authority_id))
            else:
                unavailable[leader_id].append(Away(starts, ends, days))
        authorities = [c.local_authority_id for commitments in committed.values() for c in commitments]
        # Only commitments count school days: time away alone needs no term dates.
        calendars = calendars_for(starts_on, ends_on, authorities) if authorities else {}
        counts = SchoolDayCounts(calendars)
        return {
            leader_id: headroom(
                available=days,
                committed=committed[leader_id],
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
