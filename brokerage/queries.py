"""What each person or partner system may see of support requests. Every list starts here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.choices import OrganisationKind

from .choices import WAITING_REQUEST_STATUSES
from .models import AlliancePartner, SupportRequest
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


def _live_support():
    """Exists() subqueries: a live request for the school, a live deployment at it (asked of the
    workload port: deployments are the app above)."""
    from django.db.models import Exists, OuterRef

    from .choices import RequestStatus
    from .workload import workload

    live_request = SupportRequest.objects.filter(school=OuterRef("pk")).exclude(
        status__in=[RequestStatus.WITHDRAWN, RequestStatus.CLOSED]
    )
    return Exists(live_request) | workload().live_support_at(OuterRef("pk"))


def schools_with_latest_risk(local_authority_ids):
    """Open schools of these authorities, each annotated with its latest risk assessment's answers
    (``risk_*``, None when never assessed), ``at_risk`` and ``has_support``. No N+1."""
    from django.db.models import OuterRef, Subquery

    from schools.choices import OPEN_STATUSES
    from schools.models import School

    from .models import RiskAssessment

    latest = RiskAssessment.objects.filter(school=OuterRef("pk")).order_by("-assessed_on", "-pk")
    return (
        School.objects.filter(local_authority_id__in=local_authority_ids, status__in=sorted(OPEN_STATUSES))
        .annotate(
            risk_assessed_on=Subquery(latest.values("assessed_on")[:1]),
            risk_outcomes=Subquery(latest.values("likely_good_outcomes")[:1]),
            risk_leadership=Subquery(latest.values("effective_leadership")[:1]),
            risk_inspection=Subquery(latest.values("good_next_inspection")[:1]),
            has_support=_live_support(),
        )
        .order_by("name", "urn")
    )


def at_risk_filter() -> Q:
    return Q(risk_outcomes=False) | Q(risk_leadership=False) | Q(risk_inspection=False)


def schools_at_risk_without_support(local_authority_ids):
    """Schools whose latest risk assessment says at risk, with no live request or deployment."""
    return schools_with_latest_risk(local_authority_ids).filter(at_risk_filter(), has_support=False)


def alliance_schools_of_token(principal) -> Q | None:
    """A teaching school's token also sees the schools in its alliance: it may commission support for
    them (``services.may_commission_for``), so the schools API lists them. A person of a teaching
    school chooses them on the request form (``services.commissionable_schools``)."""
    if not getattr(principal, "is_api_client", False):
        return None
    if principal.organisation.kind != OrganisationKind.TEACHING_SCHOOL:
        return None
    partners = AlliancePartner.objects.filter(teaching_school=principal.organisation)
    return Q(pk__in=partners.values("school_id"))
