"""What each person or partner system may see of support requests. Every list starts here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .choices import WAITING_REQUEST_STATUSES
from .models import SupportRequest
from .rules import COMMISSIONER_ROLES, SCHOOL_ROLES, broker_organisations_of


def _requests() -> QuerySet[SupportRequest]:
    return SupportRequest.objects.select_related(
        "school", "school__local_authority", "commissioner", "broker"
    ).prefetch_related("designation_types", "needs")


def request_scope(principal) -> Q | None:
    """None: every request. A person sees requests their organisation commissioned (as a
    commissioner) or brokers (as a broker), and those for their own school; a partner system's
    token, requests its organisation commissioned or brokers."""
    if getattr(principal, "is_api_client", False):
        organisation = principal.organisation
        return Q(commissioner=organisation) | Q(broker=organisation)
    if principal.is_national_administrator:
        return None
    scope = Q(pk__in=[])
    for membership in principal.active_memberships:
        organisation = membership.organisation
        if membership.role in COMMISSIONER_ROLES:
            scope |= Q(commissioner=organisation)
        if membership.role in SCHOOL_ROLES and organisation.school_id:
            scope |= Q(school_id=organisation.school_id)
    brokers = broker_organisations_of(principal)
    if brokers:
        scope |= Q(broker__in=brokers)
    return scope


def requests_visible_to(principal) -> QuerySet[SupportRequest]:
    if not getattr(principal, "is_authenticated", False):
        return SupportRequest.objects.none()
    scope = request_scope(principal)
    requests = _requests()
    return requests if scope is None else requests.filter(scope)


def requests_waiting_for(user) -> QuerySet[SupportRequest]:
    """The broker's queue: requests for their organisations still to be brokered, oldest first."""
    brokers = broker_organisations_of(user)
    return (
        _requests()
        .filter(broker__in=brokers, status__in=sorted(WAITING_REQUEST_STATUSES))
        .order_by("created_at", "pk")
    )
