"""What waits for a person in brokerage: requests to broker, shortlists without a proposal, and
requests for a professional partnership (see accounts.worklist for the provider contract)."""

from __future__ import annotations

import datetime

from django.db.models.functions import TruncDate

from accounts.worklist import Task, as_date, url_for_each

from .choices import PartnershipStatus, RequestStatus
from .models import ProfessionalPartnership
from .queries import requests_waiting_for
from .rules import HAS_PARTNERSHIPS, broker_organisations_of

BROKER_STEPS = {
    RequestStatus.OPEN: ("find-leader", "Find a leader for the support request"),
    RequestStatus.SHORTLISTING: ("propose-leader", "Propose a leader from the shortlist"),
}


def requests_to_broker(user, today: datetime.date) -> list[Task]:
    """Requests the user brokers that wait for a leader: open ones, and shortlists with no one
    proposed yet. One query; none for who brokers for no organisation."""
    if not broker_organisations_of(user):
        return []
    # Plain rows of only what the task shows, dated by the database: a busy broker has hundreds.
    requests = (
        requests_waiting_for(user)
        .filter(status__in=sorted(BROKER_STEPS))
        .prefetch_related(None)
        .values("pk", "status", "title", "school__name", created_on=TruncDate("created_at"))
    )
    url = url_for_each("brokerage:request-detail")
    return [
        Task(
            kind=BROKER_STEPS[request["status"]][0],
            what=BROKER_STEPS[request["status"]][1],
            detail=request["title"],
            school=request["school__name"],
            since=request["created_on"],
            url=url(request["pk"]),
        )
        for request in requests
    ]


def partnership_requests(user, today: datetime.date) -> list[Task]:
    """New heads' requests for the user, as an LLE, to be their professional partner. One query;
    none for who is in no partnership."""
    if not HAS_PARTNERSHIPS(user):
        return []
    url = url_for_each("partners:detail")
    partnerships = (
        ProfessionalPartnership.objects.filter(status=PartnershipStatus.REQUESTED, partner__holder=user)
        .select_related("new_head", "school")
        .order_by("requested_at", "pk")
    )
    return [
        Task(
            kind="partnership-request",
            what="Answer a request to be a professional partner",
            detail=f"From {partnership.new_head}",
            school=partnership.school.name,
            since=as_date(partnership.requested_at),
            url=url(partnership.pk),
        )
        for partnership in partnerships
    ]
