"""What each person or partner system may see of deployments. Every list starts here."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from brokerage.rules import COMMISSIONER_ROLES, SCHOOL_ROLES, broker_organisations_of

from .choices import DeploymentState
from .models import Deployment

# An active deployment with no time logged for this long has stalled.
STALLED_AFTER = datetime.timedelta(weeks=4)


def quiet_since() -> Coalesce:
    """The last day time was logged on a deployment, or its start when none has been."""
    return Coalesce("last_time_logged_on", "starts_on")


def stalled_on(today: datetime.date) -> Q:
    """Active and quiet for STALLED_AFTER or longer; the queryset needs ``quiet_since``."""
    return Q(state=DeploymentState.ACTIVE, quiet_since__lte=today - STALLED_AFTER)


def _deployments() -> QuerySet[Deployment]:
    return Deployment.objects.select_related(
        "designation__designation_type",
        "leader",
        "leader_school",
        "supported_school",
        "supported_school__local_authority",
        "commissioner",
        "broker",
        "support_request",
    )


def deployment_scope(principal) -> Q | None:
    """None: every deployment. A person sees those their organisation commissioned or brokers,
    those at or from their own school, and their own (as leader or named staff); a partner
    system's token, those its organisation commissioned or brokers."""
    if getattr(principal, "is_api_client", False):
        organisation = principal.organisation
        return Q(commissioner=organisation) | Q(broker=organisation)
    if principal.is_national_administrator:
        return None
    scope = Q(leader=principal) | Q(agreements__staff__user=principal)
    for membership in principal.active_memberships:
        organisation = membership.organisation
        if membership.role in COMMISSIONER_ROLES:
            scope |= Q(commissioner=organisation)
        if membership.role in SCHOOL_ROLES and organisation.school_id:
            scope |= Q(supported_school_id=organisation.school_id) | Q(
                leader_school_id=organisation.school_id
            )
    brokers = broker_organisations_of(principal)
    if brokers:
        scope |= Q(broker__in=brokers)
    return scope


def deployments_visible_to(principal) -> QuerySet[Deployment]:
    if not getattr(principal, "is_authenticated", False):
        return Deployment.objects.none()
    scope = deployment_scope(principal)
    deployments = _deployments()
    if scope is None:
        return deployments
    ids = Deployment.objects.filter(scope).values("pk")
    return deployments.filter(pk__in=ids)
