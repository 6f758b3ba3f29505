"""The task record every app's worklist provider returns, for the "Your tasks" home page.

A provider is ``def <name>(user, today: datetime.date) -> list[Task]``: everything of one or more
kinds that waits for ``user``, read in a fixed number of queries whatever the number of tasks.
Each app keeps its providers in its own ``worklist.py``; the ``worklist`` app composes them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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
