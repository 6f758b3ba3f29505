"""Everything that waits for a person, composed from each app's worklist providers.

To add a kind of task, write a provider in the app that knows about it (``<app>/worklist.py``,
``def <name>(user, today) -> list[accounts.worklist.Task]``, a fixed number of queries, none when
the person's memberships or the facts in FACTS show it cannot apply) and add it to PROVIDERS
below: one line."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.cache import cache
from django.utils import timezone

from accounts import worklist as account_tasks
from accounts.principals import acting_person
from accounts.rules import HAS_ACCESS_REQUESTS_ROUTED, answer_all, forget
from accounts.worklist import Task
from brokerage import worklist as brokerage_tasks
from brokerage.rules import HAS_A_RECENT_HEADSHIP, HAS_PARTNERSHIPS, HOLDS_CURRENT_LLE
from deployments import worklist as deployment_tasks
from deployments.rules import WORKS_ON_A_DEPLOYMENT
from designations import worklist as designation_tasks
from designations.rules import HAS_APPLIED, HOLDS_A_DESIGNATION
from funding import worklist as funding_tasks
from funding import worklist_assurance as funding_assurance_tasks

Provider = Callable[[object, datetime.date], list[Task]]

PROVIDERS: list[Provider] = [
    deployment_tasks.agreements_to_agree_or_change,
    brokerage_tasks.requests_to_broker,
    deployment_tasks.deployments_to_follow_up,
    funding_tasks.claims_to_decide_and_pay,
    funding_tasks.claims_to_answer,
    designation_tasks.applications_to_assess,
    designation_tasks.references_awaited,
    designation_tasks.cases_to_decide,
    designation_tasks.designation_reviews_due,
    brokerage_tasks.partnership_requests,
    account_tasks.invitations_to_answer,
    account_tasks.access_requests_to_decide,
    funding_assurance_tasks.sample_evidence_to_give,
    funding_assurance_tasks.clawbacks_to_approve,
    funding_assurance_tasks.bursaries_to_approve,
]

# What the providers ask about the person's own work, the navigation's questions
# (navigation.menu.PERSONAL_FACTS) among them: read with the person as a request loads them
# (accounts.rules.load_with_the_person, registered in WorklistConfig.ready), so that listing or
# counting the tasks asks nothing more about the person; asked again in one query once forgotten.
FACTS = (
    WORKS_ON_A_DEPLOYMENT, HAS_APPLIED, HAS_PARTNERSHIPS, HAS_ACCESS_REQUESTS_ROUTED,
    HOLDS_A_DESIGNATION, HAS_A_RECENT_HEADSHIP, HOLDS_CURRENT_LLE,
)

# The navigation's count may lag others' actions by this long; the person's own actions and a
# visit to their tasks page refresh it at once.
COUNT_TTL_SECONDS = 60


def tasks_for(user, today: datetime.date | None = None) -> list[Task]:
    """Every task waiting for the user, most urgent first. None for a partner system's token."""
    if acting_person(user) is None:
        return []
    today = today or timezone.localdate()
    answer_all(user, FACTS)
    tasks = [task for provider in PROVIDERS for task in provider(user, today)]
    return sorted(tasks, key=lambda task: task.urgency(today))


def _count_key(user) -> str:
    return f"worklist:task-count:{user.pk}"


def remember_count(user, count: int) -> int:
    cache.set(_count_key(user), count, COUNT_TTL_SECONDS)
    return count


def refresh_count(user) -> int:
    """Count the user's tasks afresh, as they sign in or once they have acted: what is known about
    their own work is asked again rather than taken from earlier in the request, and not kept
    for the rest of it."""
    forget(user, FACTS)
    try:
        return remember_count(user, len(tasks_for(user)))
    finally:
        forget(user, FACTS)


def task_count_for(user) -> int | None:
    """The number of the user's tasks, from the cache when it is fresh. None when signed out."""
    if acting_person(user) is None:
        return None
    count = cache.get(_count_key(user))
    return remember_count(user, len(tasks_for(user))) if count is None else count
