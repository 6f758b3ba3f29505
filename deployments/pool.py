"""A teaching school's pool and its deployments: each leader's live and completed deployments and
the national body's target, that at least half of SLEs are deployed within three months of their
designation. One query for a whole pool."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from designations.models import Designation
from designations.services.lifecycle import add_months

from .choices import LIVE_STATES, DeploymentState
from .models import Deployment

TARGET_TYPE = "SLE"
WINDOW_MONTHS = 3
TARGET_SHARE = Decimal("0.5")
# A deployment that went ahead (agreed, even if it has not started or has finished).
DEPLOYED_STATES = {
    DeploymentState.AGREED,
    DeploymentState.ACTIVE,
    DeploymentState.PAUSED,
    DeploymentState.AWAITING_FINAL_EVALUATION,
    DeploymentState.COMPLETED,
}


@dataclass
class LeaderDeployments:
    live: int = 0
    completed: int = 0
    last_on: datetime.date | None = None
    deployed_in_window: bool = False
    ever_deployed: bool = False
    counts_towards_target: bool = False

    @property
    def never_deployed_flag(self) -> bool:
        """Designated at least three months ago and never deployed."""
        return self.counts_towards_target and not self.ever_deployed


@dataclass
class PoolShare:
    eligible: int
    deployed_in_window: int
    never_deployed: list[Designation] = field(default_factory=list)

    @property
    def share(self) -> Decimal | None:
        if not self.eligible:
            return None
        return Decimal(self.deployed_in_window) / Decimal(self.eligible)

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else int((share * 100).to_integral_value())

    @property
    def meets_target(self) -> bool | None:
        share = self.share
        return None if share is None else share >= TARGET_SHARE

    @property
    def target_percent(self) -> int:
        return int(TARGET_SHARE * 100)


def started_on(deployment: Deployment) -> datetime.date:
    """When a deployment began: its start date, or the day it was proposed when it has none."""
    return deployment.starts_on or timezone.localdate(deployment.created_at)


def is_eligible(designation: Designation, today: datetime.date) -> bool:
    """An SLE designated at least three months ago counts towards the target."""
    return (
        designation.designation_type.code == TARGET_TYPE
        and add_months(designation.designated_on, WINDOW_MONTHS) <= today
    )


def leader_deployments(
    designation: Designation, deployments: list[Deployment], today: datetime.date
) -> LeaderDeployments:
    window_ends = add_months(designation.designated_on, WINDOW_MONTHS)
    stats = LeaderDeployments(counts_towards_target=is_eligible(designation, today))
    for deployment in deployments:
        began = started_on(deployment)
        stats.live += deployment.state in LIVE_STATES
        stats.completed += deployment.state == DeploymentState.COMPLETED
        stats.last_on = max(filter(None, [stats.last_on, began]))
        if deployment.state in DEPLOYED_STATES:
            stats.ever_deployed = True
            stats.deployed_in_window |= designation.designated_on <= began <= window_ends
    return stats


def summarise(designations: list[Designation], today: datetime.date) -> PoolShare:
    """Sets ``deployment_stats`` on each designation and returns the pool's share against the
    target, counting SLEs designated at least three months ago."""
    by_designation: dict[int, list[Deployment]] = defaultdict(list)
    rows = Deployment.objects.filter(designation__in=[d.pk for d in designations]).only(
        "designation_id", "state", "starts_on", "created_at"
    )
    for deployment in rows:
        by_designation[deployment.designation_id].append(deployment)
    eligible = deployed = 0
    never: list[Designation] = []
    for designation in designations:
        stats = leader_deployments(designation, by_designation[designation.pk], today)
        designation.deployment_stats = stats
        if stats.counts_towards_target:
            eligible += 1
            deployed += stats.deployed_in_window
            if stats.never_deployed_flag:
                never.append(designation)
    return PoolShare(eligible=eligible, deployed_in_window=deployed, never_deployed=never)
