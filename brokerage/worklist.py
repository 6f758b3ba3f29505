"""What waits for a person in brokerage: requests to broker, shortlists without a proposal, and
requests for a professional partnership (see accounts.worklist for the provider contract)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from accounts.worklist import Task, as_date

from .choices import PartnershipStatus, RequestStatus
from .models import ProfessionalPartnership
from .queries import requests_waiting_for

BROKER_STEPS = {
    RequestStatus.OPEN: ("find-leader", "Find a leader for the support request"),
    RequestStatus.SHORTLISTING: ("propose-leader", "Propose a leader from the shortlist"),
}


def requests_to_broker(user, today: datetime.date) -> list[Task]:
    """Requests the user brokers that wait for a leader: open ones, and shortlists with no one
    proposed yet. One query."""
    requests = (
        requests_waiting_for(user)
        .filter(status__in=sorted(BROKER_STEPS))
        .prefetch_related(None)
    )
    return [
        Task(
            kind=BROKER_STEPS[request.status][0],
            what=BROKER_STEPS[request.status][1],
            detail=request.title,
            school=request.school.name,
            since=as_date(request.created_at),
            url=reverse("brokerage:request-detail", args=[request.pk]),
        )
        for request in requests
    ]


def partnership_requests(user, today: datetime.date) -> list[Task]:
    """New heads' requests for the user, as an LLE, to be their professional partner. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
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
            url=reverse("partners:detail", args=[partnership.pk]),
        )
        for partnership in partnerships
    ]
