"""Which events a person, a token or an organisation may see: those whose resource they may see,
asked of each resource's own visibility function, so the feed and the webhooks can never show
more than the resource's own list does."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.api.authentication import ApiClient
from brokerage.queries import requests_visible_to
from changefeed.choices import ResourceKind
from changefeed.models import Event
from deployments.queries import deployments_visible_to
from designations.queries import designations_visible_to
from funding.services import claims_visible_to

VISIBLE_RESOURCES = {
    ResourceKind.DEPLOYMENT: deployments_visible_to,
    ResourceKind.SUPPORT_REQUEST: requests_visible_to,
    ResourceKind.DESIGNATION: designations_visible_to,
    ResourceKind.CLAIM: claims_visible_to,
}


def event_scope(principal) -> Q:
    """One IN (subquery) per kind of resource, ORed."""
    scope = Q(pk__in=[])
    for kind, visible_to in VISIBLE_RESOURCES.items():
        ids = visible_to(principal).order_by().values("pk")
        scope |= Q(resource_kind=kind, resource_id__in=ids)
    return scope


def events_visible_to(principal) -> QuerySet[Event]:
    """Published events the principal may see, in feed order."""
    if not getattr(principal, "is_authenticated", False):
        return Event.objects.none()
    return Event.objects.filter(position__isnull=False).filter(event_scope(principal)).order_by("position")


def organisation_principal(organisation) -> ApiClient:
    """The organisation as its tokens see the service: what its webhooks may be told."""
    return ApiClient(organisation=organisation, token=None)
