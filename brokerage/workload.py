"""What brokerage needs to know about the work leaders are already committed to, as a port.

Deployments sit above brokerage: a deployment is made from a support request, and the
deployments app uses brokerage's rules, errors and services. Brokerage still has questions whose
answers live in deployments (how many days a leader has free, how a leader's past deployments went,
whether a school already has a leader working with it, which leaders a request has led to), so it
declares those questions here and the deployments app answers them, registering its answer when
it is ready (``DeploymentsConfig.ready``). Brokerage imports nothing from deployments; the answer
is swapped in rather than looked up, which also lets a test give brokerage a workload of its own.

Each question is asked for many leaders or schools at once (a dict by leader id, or a database
expression for an outer query), so a page's query count does not grow with the number of leaders.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Subquery


@dataclass(frozen=True)
class TrackRecord:
    """A leader's deployments so far: how many completed, and objectives met of those evaluated."""

    completed: int = 0
    met: int = 0
    evaluated: int = 0


class Workload(Protocol):
    """The questions brokerage asks about leaders' committed work."""

    def free_days(
        self, leader_ids: Iterable[int], starts_on: datetime.date, ends_on: datetime.date
    ) -> dict[int, Decimal]:
        """For each of the leaders with committed work or time away in the period: the days a week
        they have free throughout it, after those and from the most their current designations
        offer (never below 0). A leader missing from the dict has all their days free. ``leader_ids``
        may be a queryset of ids (``values("holder_id")``), read as a subquery. A fixed number of
        queries whatever the number of leaders."""
        ...

    def track_records(self, leader_ids: Iterable[int]) -> dict[int, TrackRecord]:
        """Each leader's track record; a leader with none may be missing from the dict.
        ``leader_ids`` may be a queryset of ids (``values("holder_id")``), read as a subquery."""
        ...

    def committed_days_now(self, leader: OuterRef, today: datetime.date) -> Subquery:
        """The days a week committed on ``today`` by the leader ``leader`` points at (None when
        none), for annotating a queryset of the leaders' designations."""
        ...

    def live_support_at(self, school: OuterRef) -> Exists:
        """Whether a leader is working, or proposed to work, with the school ``school`` points at."""
        ...

    def for_request_page(self, support_request: Any) -> Iterable[Any]:
        """The deployments made from a support request, as its page lists them (each with its
        ``pk``, ``state``, ``leader``, ``leader_school`` and ``designation``), lazily."""
        ...


_provided: Workload | None = None


def provide_workload(implementation: Workload) -> None:
    """Called once by the app that knows leaders' committed work (deployments) when it is ready."""
    global _provided
    _provided = implementation


def workload() -> Workload:
    """The registered workload; ImproperlyConfigured when no installed app provides one, since a
    leader's free time cannot be judged without it."""
    if _provided is None:
        raise ImproperlyConfigured(
            "No app provides brokerage's workload: install one that calls brokerage.workload.provide_workload"
        )
    return _provided
