"""Committed money worked out from the agreement models, as an agreement's own page works out its
total (``Agreement.cost_summary``): the reference that ``funding.finance``'s sums, read as plain
values, must equal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import money
from deployments.models import Agreement
from funding import finance


def current_agreed_versions(commissioner_ids, start: datetime.date, end: datetime.date):
    """The current agreed versions ``finance`` sums, as models with their cost lines and staff."""
    return (
        finance._current_agreed(commissioner_ids, start, end)
        .select_related("deployment__supported_school")
        .prefetch_related("cost_lines", "staff")
        .order_by("deployment_id")
    )


def committed_in(agreements: list[Agreement], start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
    """Each agreement's total pro rata to its school days from ``start`` to ``end``, by deployment id."""
    if not agreements:
        return {}
    authorities = [a.deployment.supported_school.local_authority_id for a in agreements]
    calendars = finance._calendars(agreements, authorities)
    committed = {}
    for agreement, authority in zip(agreements, authorities, strict=True):
        calendar = calendars[authority]
        agreement.count_term_weeks(calendar)
        total = agreement.cost_summary(budget=False).total or money.ZERO
        days = calendar.count_school_days(agreement.starts_on, agreement.ends_on)
        committed[agreement.deployment_id] = finance._share(
            total, calendar, agreement.starts_on, agreement.ends_on, days, start, end
        )
    return committed
