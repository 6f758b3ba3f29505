"""The task record every app's worklist provider returns, for the "Your tasks" home page.

A provider is ``def <name>(user, today: datetime.date) -> list[Task]``: everything of one or more
kinds that waits for ``user``, read in a fixed number of queries whatever the number of tasks. A
provider that cannot apply to the person, judged from their memberships (``active_memberships``)
or from the facts about their own work (``accounts.rules.UserFact``, read with the person as a
request loads them: ``worklist.providers.FACTS``), returns [] without a query. Each app keeps its
providers in its own ``worklist.py``; the ``worklist`` app composes them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class Task:
    """One thing waiting for a person: what to do, for which school, since or due when, and where."""

    kind: str  # a stable key, e.g. "agree-agreement": tests and grouping use it
    what: str  # the action, e.g. "Agree the support agreement"
    url: str  # the page where they act
    school: str = ""  # the school concerned, by name ("" when none)
    detail: str = ""  # what distinguishes it from its siblings, e.g. "LLE Lee Leader, version 2"
    due_on: datetime.date | None = None
    since: datetime.date | None = None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_on is not None and self.due_on < today

    def urgency(self, today: datetime.date) -> tuple:
        """Sort key: overdue first, then what is due soonest, then what has waited longest."""
        far = datetime.date.max
        return (
            not self.is_overdue(today),
            self.due_on is None,
            self.due_on or self.since or far,
            self.since or far,
            self.what,
            self.url,
        )


def as_date(moment: datetime.datetime | datetime.date | None) -> datetime.date | None:
    """A timestamp's local date (a date stays as it is)."""
    if moment is None or not isinstance(moment, datetime.datetime):
        return moment
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


# Stands for each integer argument while a pattern is reversed: no path of the service holds it.
_PLACEHOLDER = 987_654_321_000


def url_for_each(viewname: str, arity: int = 1) -> Callable[..., str]:
    """``reverse(viewname, args=[...])`` for many rows of integer arguments: the pattern is reversed
    once, then each row's arguments are put in (a long list reverses hundreds of links)."""
    placeholders = [str(_PLACEHOLDER + index) for index in range(arity)]
    pattern = reverse(viewname, args=[int(p) for p in placeholders]).replace("{", "{{").replace("}", "}}")
    for index, placeholder in enumerate(placeholders):
        pattern = pattern.replace(placeholder, f"{{{index}}}")
    return lambda *args: pattern.format(*(int(arg) for arg in args))


def invitations_to_answer(user, today: datetime.date) -> list[Task]:
    """Invitations to join an organisation addressed to this person's email (one query)."""
    from .queries import invitations_pending_for
    from .services import invitation_token

    return [
        Task(
            kind="answer-invitation",
            what="Answer an invitation to join an organisation",
            url=reverse("accounts:invitation-link", kwargs={"token": invitation_token(invitation)}),
            detail=f"{invitation.organisation} as {invitation.get_role_display().lower()}",
            since=as_date(invitation.sent_at),
            due_on=as_date(invitation.expires_at),
        )
        for invitation in invitations_pending_for(user)
    ]


def access_requests_to_decide(user, today: datetime.date) -> list[Task]:
    """Confirmed requests for access routed to this person, to approve or decline: one query, none
    for someone with no request routed to them (except a national administrator, who answers all)."""
    from .queries import access_requests_to_answer
    from .rules import HAS_ACCESS_REQUESTS_ROUTED

    if not getattr(user, "is_authenticated", False):
        return []
    if not (user.is_national_administrator or HAS_ACCESS_REQUESTS_ROUTED(user)):
        return []
    url = url_for_each("accounts:access-request-detail")
    return [
        Task(
            kind="answer-access-request",
            what="Approve or decline a request for access",
            url=url(access_request.pk),
            school=access_request.target_name,
            detail=f"{access_request.full_name}, as {access_request.get_role_display().lower()}",
            since=as_date(access_request.confirmed_at),
        )
        for access_request in access_requests_to_answer(user)
    ]
