"""Each page costs a fixed number of queries, at most twelve, whatever the size of what it shows:
measured at a small size, then again once everything on the page has grown.

Each page is opened once before it is counted: the first page after signing in fills the cached
task count for the navigation (worklist.providers.COUNT_TTL_SECONDS), which later pages read."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from accounts.models import Membership
from deployments.choices import Rag
from deployments.models import AgreementStaff, ObjectiveProgress, Variation
from designations.models import DesignationType
from tests.factories import MembershipFactory, SchoolFactory
from tests.factories.brokerage import ShortlistEntryFactory, SupportRequestFactory
from tests.factories.deployments import ProgressReviewFactory, TimeEntryFactory, agreed_deployment
from tests.factories.designations import DesignationFactory

BUDGET = 12
SMALL, LARGE = 1, 6


def count_queries(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # see the module docstring
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), [query["sql"][:200] for query in context.captured_queries]


def assert_flat(client, url: str, grow, limit: int = BUDGET) -> int:
    """The page's cost is at most ``limit`` and the same once ``grow()`` has added to what it shows."""
    small, small_sql = count_queries(client, url)
    grow()
    large, large_sql = count_queries(client, url)
    assert large <= limit, "\n".join(large_sql)
    assert small == large, "\n".join(["small:", *small_sql, "large:", *large_sql])
    return large


# --- the deployment page -------------------------------------------------------------------------


def grow_deployment(deployment, n: int):
    """More of everything the deployment page lists: time, variations, reviews with their ratings,
    named staff, and people who agree for the supported school."""

    def grow() -> None:
        agreement = deployment.agreements.get()
        objectives = list(agreement.objectives.all())
        for i in range(n):
            TimeEntryFactory(
                deployment=deployment, worked_on=deployment.starts_on + datetime.timedelta(days=i)
            )
            Variation.objects.create(deployment=deployment, extra_days=Decimal("1"), reason="More phonics")
            review = ProgressReviewFactory(deployment=deployment, reviewed_on=datetime.date(2026, 1, 1 + i))
            for objective in objectives:
                ObjectiveProgress.objects.create(review=review, objective=objective, rag=Rag.GREEN)
            AgreementStaff.objects.create(agreement=agreement, name=f"Teacher {i}", role="Year 2 teacher")
            MembershipFactory(
                organisation=Membership.objects.filter(
                    organisation__school=deployment.supported_school
                ).first().organisation,
                role=Role.SCHOOL_LEADER,
            )

    return grow


# Session, user, memberships (3); the deployment with its final evaluation (1); the agreed and the
# drafted versions (1) with their named staff (1), and for who sees money their cost lines (1) and the
# term weeks they are costed over (1); objectives (1); reviews (1) and their ratings (1); variations
# (1); time (1); state changes (1) and agreements recorded on a party's behalf (1); the rules' one
# question the memberships cannot answer, whether the person is named staff (1); the parties' people
# (1) and their pending invitations (1). The navigation's facts about the person's own work come in
# the query that loads the user.
DEPLOYMENT_PAGE = {"la_officer": 19, "leader": 15, "school_leader": 16}
# The page (10) and matching (4): the leaders' committed work and time away, their track records,
# the ranking with its counts, and the rows shown (the ranked and the excluded together).
REQUEST_PAGE = 14
# Session, the user with what the providers and the navigation ask about the person's own work,
# memberships (3); invitations, found by email whoever the person is (1); agreements to agree for
# a party (1). Then only what the role can have: requests to broker and deployments to follow up
# for a broker (2); claims to decide and pay for a commissioner (1); the term dates for a leader with
# an active deployment (1); for a teaching school lead the schools they work at, applications to
# assess, cases and reviews due (4). See tests/worklist/test_count_and_queries.py.
HOME_PAGE = {
    "la_officer": 8, "leader": 7, "school_leader": 5, "commissioner": 6, "teaching_school_lead": 11,
}
SCHOOL_PAGE = 6
DIRECTORY_PAGE = 10
# The session, user and memberships (with their authorities), the figures (deployments,
# requests, schools, coverage), the at-risk page, the term dates and the money this year: see
# tests/oversight/test_dashboard.py.
DASHBOARD_PAGE = 12
# Session, the user with the navigation's facts about their own work, memberships (3). The task
# count comes from the cache.
EMPTY_PAGE = 3


@pytest.mark.parametrize("persona", sorted(DEPLOYMENT_PAGE))
def test_the_deployment_page_costs_the_same_queries_however_much_it_shows(
    client, request, home_deployment, school_leader, persona
):
    grow_deployment(home_deployment, SMALL)()
    client.force_login(request.getfixturevalue(persona))

    cost = assert_flat(
        client, reverse("deployments:deployment-detail", args=[home_deployment.pk]),
        grow_deployment(home_deployment, LARGE), limit=DEPLOYMENT_PAGE[persona],
    )

    assert cost == DEPLOYMENT_PAGE[persona]


# --- the support request page --------------------------------------------------------------------


def test_the_support_request_page_costs_its_broker_the_same_queries_however_many_candidates(
    client, la_officer, home_school, home_la_org
):
    lle = DesignationType.objects.get(code="LLE")
    support_request = SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle]
    )

    def candidates(n: int) -> None:
        for _ in range(n):
            designation = DesignationFactory(
                designation_type=lle, availability_days_per_week=Decimal("2"),
                school=SchoolFactory(easting=home_school.easting + 3000, northing=home_school.northing),
            )
            ShortlistEntryFactory(request=support_request, designation=designation)

    candidates(SMALL)
    client.force_login(la_officer)

    cost = assert_flat(
        client, reverse("brokerage:request-detail", args=[support_request.pk]),
        lambda: candidates(LARGE), limit=REQUEST_PAGE,
    )

    assert cost == REQUEST_PAGE


# --- the tasks page, for several roles ---------------------------------------------------------


def requests_at(school, organisation, n: int) -> list:
    """Requests for the school that the organisation commissions and brokers."""
    return SupportRequestFactory.create_batch(
        n, school=school, commissioner=organisation, broker=organisation
    )


def more_requests(home_school, home_la_org, n: int):
    return lambda: requests_at(home_school, home_la_org, n)


@pytest.mark.parametrize("persona", sorted(HOME_PAGE))
def test_the_tasks_page_costs_each_role_the_same_queries_however_many_tasks(
    client, request, home_school, home_la_org, home_deployment, persona
):
    more_requests(home_school, home_la_org, SMALL)()
    client.force_login(request.getfixturevalue(persona))

    cost = assert_flat(
        client, reverse("home"), more_requests(home_school, home_la_org, LARGE), limit=HOME_PAGE[persona]
    )

    assert cost == HOME_PAGE[persona]


# --- a school, the leader directory, the LA dashboard, and an empty page -------------------------


def test_a_school_page_costs_the_same_queries_however_much_the_school_has(
    client, la_officer, home_school, home_la_org
):
    lle = DesignationType.objects.get(code="LLE")

    def grow(n: int):
        def add() -> None:
            DesignationFactory.create_batch(n, designation_type=lle, school=home_school)
            requests_at(home_school, home_la_org, n)

        return add

    grow(SMALL)()
    client.force_login(la_officer)

    cost = assert_flat(client, reverse("schools:school-detail", args=[home_school.urn]), grow(LARGE))

    assert cost == SCHOOL_PAGE


def test_the_leader_directory_costs_the_same_queries_however_many_leaders(client, la_officer):
    lle = DesignationType.objects.get(code="LLE")
    DesignationFactory.create_batch(SMALL, designation_type=lle)
    client.force_login(la_officer)

    cost = assert_flat(
        client, reverse("designations:designation-list"),
        lambda: DesignationFactory.create_batch(LARGE, designation_type=lle),
    )

    assert cost == DIRECTORY_PAGE


def test_the_la_dashboard_costs_the_same_queries_however_many_deployments(
    client, la_officer, home_school, home_la_org
):
    def grow(n: int):
        def add() -> None:
            for request in requests_at(home_school, home_la_org, n):
                agreed_deployment(support_request=request)

        return add

    grow(SMALL)()
    client.force_login(la_officer)

    cost = assert_flat(client, reverse("dashboard:index"), grow(LARGE), limit=DASHBOARD_PAGE)

    assert cost == DASHBOARD_PAGE


@pytest.mark.urls("tests.perf.urls")
@pytest.mark.parametrize("persona", ["la_officer", "leader", "school_leader", "national_admin", "outsider"])
def test_an_empty_page_costs_a_signed_in_person_the_same_queries_whatever_their_tasks(
    client, request, home_school, home_la_org, home_deployment, persona
):
    more_requests(home_school, home_la_org, SMALL)()
    client.force_login(request.getfixturevalue(persona))

    cost = assert_flat(client, "/perf/empty/", more_requests(home_school, home_la_org, LARGE))

    assert cost == EMPTY_PAGE
