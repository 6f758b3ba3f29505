"""What the load benchmark requests: each URL, as whom, and the p95 the issue sets for it.

Objects are picked by query from the data, so the same plan works on the national data and on
the demo data: the busiest authority's school, the newest waiting request the broker brokers that
has candidates, a live deployment of the leader, the specialism most leaders offer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind
from accounts.models import Organisation, User
from brokerage.choices import RequestStatus
from brokerage.matching import match
from brokerage.models import SupportRequest
from deployments.choices import DeploymentState
from deployments.models import Deployment
from designations.models import Specialism
from schools.models import LocalAuthority, School

TRIVIAL_FLOOR = "floor: trivial view"
SIGNED_IN_FLOOR = "floor: signed-in empty page"
# The p95 targets (ms): pages and API lists, the request page and its candidates, the dashboard.
PAGE_TARGET_MS, CANDIDATES_TARGET_MS, DASHBOARD_TARGET_MS = 150, 200, 250
# How many of the broker's newest waiting requests to try for one with candidates.
REQUESTS_TRIED = 10
DIRECTORY_RADIUS_KM = 25


@dataclass(frozen=True)
class PlannedRequest:
    name: str
    path: str
    principal: str  # a part of bench.principals, "anonymous" or "api_token"
    target_p95_ms: int | None = PAGE_TARGET_MS
    is_list: bool = False  # a list page or API list, held to a share of the signed-in floor's throughput


def _member_organisations(user: User, kind: str | None = None):
    organisations = Organisation.objects.filter(memberships__user=user)
    return organisations.filter(kind=kind) if kind else organisations


def officer_authority(officer: User) -> LocalAuthority:
    council = _member_organisations(officer, OrganisationKind.LOCAL_AUTHORITY).exclude(
        local_authority=None
    ).select_related("local_authority").order_by("pk").first()
    if council is None:
        raise LookupError(f"{officer.email} belongs to no local authority")
    return council.local_authority


def request_with_candidates(broker: User) -> SupportRequest:
    waiting = SupportRequest.objects.filter(
        broker__in=_member_organisations(broker), status__in=[RequestStatus.OPEN, RequestStatus.SHORTLISTING]
    ).order_by("-created_at", "-pk")
    today = timezone.localdate()
    tried = list(waiting[:REQUESTS_TRIED])
    for support_request in tried:
        if match(support_request, today=today).ranked:
            return support_request
    raise LookupError(f"None of the {len(tried)} newest requests {broker.email} brokers has candidates")


def live_deployment(leader: User) -> Deployment:
    deployment = Deployment.objects.filter(
        leader=leader, state__in=[DeploymentState.ACTIVE, DeploymentState.PAUSED]
    ).order_by("-pk").first()
    if deployment is None:
        raise LookupError(f"{leader.email} leads no live deployment")
    return deployment


def _school_in(authority: LocalAuthority) -> School:
    schools = School.objects.open().filter(local_authority=authority).exclude(postcode="")
    school = schools.order_by("urn").first()
    if school is None:
        raise LookupError(f"{authority} has no open school with a postcode")
    return school


def _most_offered_specialism() -> Specialism:
    specialism = Specialism.objects.annotate(leaders=Count("designations")).order_by("-leaders", "pk").first()
    if specialism is None:
        raise LookupError("No specialism is offered")
    return specialism


def build_plan(users: dict[str, User]) -> list[PlannedRequest]:
    authority = officer_authority(users["la_officer"])
    school = _school_in(authority)
    support_request = request_with_candidates(users["broker"])
    deployment = live_deployment(users["leader"])
    specialism = _most_offered_specialism()
    schools = reverse("schools:school-list")
    directory = (
        f"{reverse('designations:designation-list')}?specialism={specialism.slug}"
        f"&near={school.postcode.replace(' ', '+')}&within_km={DIRECTORY_RADIUS_KM}"
    )
    return [
        PlannedRequest(TRIVIAL_FLOOR, reverse("livez"), "anonymous", None),
        PlannedRequest(SIGNED_IN_FLOOR, reverse("signed-in"), "national_admin", None),
        PlannedRequest("school list, national admin", schools, "national_admin", is_list=True),
        PlannedRequest(
            "school list, national admin, primary", f"{schools}?phase=primary", "national_admin", is_list=True
        ),
        PlannedRequest("school list, LA officer", schools, "la_officer", is_list=True),
        PlannedRequest("school page", reverse("schools:school-detail", args=[school.urn]), "la_officer"),
        PlannedRequest("directory by specialism near a postcode", directory, "la_officer", is_list=True),
        PlannedRequest("LA dashboard", reverse("dashboard:index"), "la_officer", DASHBOARD_TARGET_MS),
        PlannedRequest(
            "support request page with candidates, broker",
            reverse("brokerage:request-detail", args=[support_request.pk]), "broker", CANDIDATES_TARGET_MS,
        ),
        PlannedRequest(
            "candidates API, broker",
            reverse("brokerage-api:support-request-candidates", args=[support_request.pk]), "broker",
            CANDIDATES_TARGET_MS,
        ),
        PlannedRequest(
            "deployment page, leader", reverse("deployments:deployment-detail", args=[deployment.pk]),
            "leader",
        ),
        PlannedRequest("tasks home page, broker", reverse("home"), "broker"),
        PlannedRequest("API schools", reverse("schools-api:school-list"), "api_token", is_list=True),
        *(
            PlannedRequest(name, reverse(route), "api_token", is_list=True)
            for name, route in (
                ("API designations", "designations-api:designation-list"),
                ("API deployments", "deployments-api:deployment-list"),
                ("API support requests", "brokerage-api:support-request-list"),
            )
        ),
    ]
