"""The deployments API: who sees which deployment and its money, the filters, the feed of state
changes partners follow, and the broker's state changes (403, 400 and 409 refusals)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind
from deployments.choices import DeploymentState, Rag, StateReason
from deployments.models import DeploymentTransition, ObjectiveProgress
from designations.models import DesignationType
from tests.apiclients import client_for, client_with_token, error_fields
from tests.apiclients import ids as listed_ids
from tests.factories import OrganisationFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import (
    DeploymentFactory,
    ProgressReviewFactory,
    TimeEntryFactory,
    agreed_deployment,
)
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db

State = DeploymentState
LIST_URL = reverse("deployments-api:deployment-list")
FEED_URL = reverse("deployments-api:deployment-transition-list")
NOW = timezone.now()
TODAY = timezone.localdate()


def detail_url(deployment) -> str:
    return reverse("deployments-api:deployment-detail", args=[deployment.pk])


def action_url(deployment, name: str) -> str:
    return reverse(f"deployments-api:deployment-{name}", args=[deployment.pk])


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return listed_ids(response)


@pytest.fixture
def home_deployment(home_school, home_la_org):
    """An LLE at home_school, commissioned and brokered by Norfolk, with two objectives."""
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    return agreed_deployment(
        support_request=request,
        designation=DesignationFactory(designation_type=DesignationType.objects.get(code="LLE")),
    )


@pytest.fixture
def other_deployment(other_school, other_la_org):
    """A deployment at another authority's school, commissioned and brokered by it."""
    request = SupportRequestFactory(school=other_school, commissioner=other_la_org, broker=other_la_org)
    return agreed_deployment(support_request=request)


# --- reading ----------------------------------------------------------------------------------------


def test_the_api_needs_a_token_or_a_session():
    assert APIClient().get(LIST_URL).status_code == 401
    assert APIClient().get(FEED_URL).status_code == 401


@pytest.mark.parametrize(
    "persona, sees_home, sees_other",
    [
        ("national_admin", True, True),
        ("la_officer", True, False),
        ("commissioner", True, False),
        ("other_la_officer", False, True),
        ("school_leader", True, False),
        ("associate", False, False),
        ("outsider", False, False),
    ],
)
def test_who_sees_which_deployment(
    request, persona, sees_home, sees_other, home_deployment, other_deployment
):
    client = client_for(request.getfixturevalue(persona))

    listed = ids(client.get(LIST_URL))

    assert (home_deployment.pk in listed) is sees_home
    assert (other_deployment.pk in listed) is sees_other
    assert client.get(detail_url(home_deployment)).status_code == (200 if sees_home else 404)
    assert client.get(detail_url(other_deployment)).status_code == (200 if sees_other else 404)


def test_a_supported_school_sees_only_its_own_deployments(school_leader, home_school, home_deployment):
    elsewhere = DeploymentFactory(
        support_request=SupportRequestFactory(school__local_authority=home_school.local_authority)
    )
    client = client_for(school_leader)

    assert ids(client.get(LIST_URL)) == {home_deployment.pk}
    assert client.get(detail_url(elsewhere)).status_code == 404


def test_the_leader_sees_their_own_deployment(home_deployment, other_deployment):
    assert ids(client_for(home_deployment.leader).get(LIST_URL)) == {home_deployment.pk}


def test_a_token_sees_what_its_organisation_commissioned_or_brokers(
    home_la_org, home_deployment, other_deployment
):
    teaching_school = OrganisationFactory(kind=OrganisationKind.TEACHING_SCHOOL)
    brokered = DeploymentFactory(support_request=SupportRequestFactory(broker=teaching_school))

    assert ids(client_with_token(home_la_org).get(LIST_URL)) == {home_deployment.pk}
    assert ids(client_with_token(teaching_school).get(LIST_URL)) == {brokered.pk}
    assert client_with_token(home_la_org).get(detail_url(other_deployment)).status_code == 404


def test_the_detail_shows_the_agreement_days_and_latest_ratings(home_la_org, home_deployment):
    agreement = home_deployment.agreements.get()
    first, second = agreement.objectives.order_by("order")
    earlier = ProgressReviewFactory(
        deployment=home_deployment, reviewed_on=TODAY - datetime.timedelta(days=40)
    )
    later = ProgressReviewFactory(deployment=home_deployment, reviewed_on=TODAY - datetime.timedelta(days=5))
    ObjectiveProgress.objects.create(review=earlier, objective=first, rag=Rag.RED, evidence="Slow start.")
    ObjectiveProgress.objects.create(review=later, objective=first, rag=Rag.GREEN, evidence="On track.")
    TimeEntryFactory(deployment=home_deployment, days=Decimal("1.5"))
    TimeEntryFactory(deployment=home_deployment, days=Decimal("1.0"))

    body = client_with_token(home_la_org).get(detail_url(home_deployment)).json()

    assert body["state"] == "active"
    assert body["designation_type"] == "LLE"
    assert body["leader_name"] == home_deployment.leader.full_name
    assert body["supported_school"]["urn"] == home_deployment.supported_school_id
    assert body["days_used"] == 2.5
    assert body["days_allowed"] == 26.0
    summary = body["agreement"]
    assert summary["version"] == 1
    assert summary["starts_on"] == home_deployment.starts_on.isoformat()
    ratings = {row["id"]: (row["latest_rag"], row["latest_rag_on"]) for row in summary["objectives"]}
    assert ratings == {first.pk: ("green", later.reviewed_on.isoformat()), second.pk: (None, None)}
    money = summary["financial_terms"]
    # Amounts are decimal strings in pounds and pence, never floats.
    assert money["day_rate"] == "450.00"
    assert money["total"] == money["cost"]
    assert money["cost_lines"] == [] and money["over_budget_by"] is None
    assert money["payee_school"] == home_deployment.leader_school_id
    assert money["payer"]["id"] == home_la_org.pk


@pytest.mark.parametrize(
    "persona, sees_money",
    [("national_admin", True), ("la_officer", True), ("commissioner", True), ("school_leader", False)],
)
def test_money_is_shown_to_the_commissioner_broker_and_national_admins_only(
    request, persona, sees_money, home_deployment
):
    body = client_for(request.getfixturevalue(persona)).get(detail_url(home_deployment)).json()

    assert (body["agreement"]["financial_terms"] is not None) is sees_money


def test_the_leader_does_not_see_the_money(home_deployment):
    body = client_for(home_deployment.leader).get(detail_url(home_deployment)).json()

    assert body["agreement"]["financial_terms"] is None
    # The £450 day rate appears nowhere (as a number of its own, not inside a timestamp's digits).
    assert not re.search(r"(?<![\d.])450(\.\d+)?(?!\d)", str(body))


def test_a_proposed_deployment_has_no_agreement_yet(home_la_org, home_school):
    proposed = DeploymentFactory(
        state=State.PROPOSED,
        support_request=SupportRequestFactory(school=home_school, commissioner=home_la_org),
    )

    body = client_with_token(home_la_org).get(detail_url(proposed)).json()

    assert body["agreement"] is None
    assert body["days_used"] == 0


def test_the_list_filters(home_la_org, home_school, home_deployment):
    lle = DesignationType.objects.get(code="LLE")
    sle = DesignationType.objects.get(code="SLE")
    request = home_deployment.support_request
    paused = DeploymentFactory(
        support_request=request, state=State.PAUSED, designation=DesignationFactory(designation_type=sle),
        starts_on=TODAY + datetime.timedelta(days=30),
    )
    DeploymentFactory(
        support_request=SupportRequestFactory(school=home_school, commissioner=home_la_org),
        designation=DesignationFactory(designation_type=lle),
    )
    type(paused).objects.filter(pk=paused.pk).update(state_changed_at=NOW + datetime.timedelta(hours=1))
    client = client_with_token(home_la_org)

    assert ids(client.get(LIST_URL, {"state": "paused"})) == {paused.pk}
    assert ids(client.get(LIST_URL, {"designation_type": "SLE"})) == {paused.pk}
    assert ids(client.get(LIST_URL, {"support_request": request.pk})) == {home_deployment.pk, paused.pk}
    assert ids(client.get(LIST_URL, {"leader_school": paused.leader_school_id})) == {paused.pk}
    assert len(ids(client.get(LIST_URL, {"supported_school": home_school.urn}))) == 3
    assert ids(client.get(LIST_URL, {"starts_after": TODAY.isoformat()})) == {paused.pk}
    in_160_days = (TODAY + datetime.timedelta(days=160)).isoformat()
    assert paused.pk not in ids(client.get(LIST_URL, {"ends_before": in_160_days}))
    since = (NOW + datetime.timedelta(minutes=30)).isoformat()
    assert ids(client.get(LIST_URL, {"changed_since": since})) == {paused.pk}


@pytest.mark.parametrize(
    "query, field",
    [
        ({"state": "asleep"}, "state"),
        ({"designation_type": "XYZ"}, "designation_type"),
        ({"supported_school": "999999999"}, "supported_school"),
        ({"leader_school": "abc"}, "leader_school"),
        ({"support_request": "abc"}, "support_request"),
        ({"changed_since": "last week"}, "changed_since"),
        ({"starts_after": "2026-13-01"}, "starts_after"),
    ],
)
def test_a_bad_filter_is_a_400_on_its_field(home_la_org, query, field):
    response = client_with_token(home_la_org).get(LIST_URL, query)

    assert response.status_code == 400
    assert field in error_fields(response)


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_query_count_does_not_grow_with_rows(
    rows, home_la_org, home_school, django_assert_max_num_queries
):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    for _ in range(rows):
        DeploymentFactory(support_request=request)
    client = client_with_token(home_la_org)
    client.get(LIST_URL)  # the token's last use is recorded once

    with django_assert_max_num_queries(4):
        response = client.get(LIST_URL)

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_a_person_s_list_query_count_does_not_grow_with_rows(
    rows, school_leader, home_school, django_assert_max_num_queries
):
    request = SupportRequestFactory(school=home_school)
    for _ in range(rows):
        DeploymentFactory(support_request=request)
    client = client_for(school_leader)

    with django_assert_max_num_queries(6):
        response = client.get(LIST_URL)

    assert len(response.json()["results"]) == rows


# --- state changes: the feed ------------------------------------------------------------------------


def change(deployment, from_state, to_state, at, **kwargs) -> DeploymentTransition:
    row = DeploymentTransition.objects.create(
        deployment=deployment, from_state=from_state, to_state=to_state, **kwargs
    )
    DeploymentTransition.objects.filter(pk=row.pk).update(at=at)
    return row


@pytest.fixture
def history(home_deployment, other_deployment):
    """Three changes of the home deployment out of order of creation, one of the other."""
    third = change(home_deployment, State.ACTIVE, State.PAUSED, NOW - datetime.timedelta(hours=1),
                   reason=StateReason.LEADER_UNAVAILABLE, note="Leader on leave.")
    first = change(home_deployment, State.PROPOSED, State.AGREED, NOW - datetime.timedelta(days=3))
    second = change(home_deployment, State.AGREED, State.ACTIVE, NOW - datetime.timedelta(days=2))
    change(other_deployment, State.PROPOSED, State.AGREED, NOW - datetime.timedelta(days=1))
    return first, second, third


def test_the_feed_lists_visible_changes_oldest_first(home_la_org, history):
    first, second, third = history

    response = client_with_token(home_la_org).get(FEED_URL)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk, third.pk]
    assert rows[2] == {
        "id": third.pk, "deployment": third.deployment_id, "from_state": "active", "to_state": "paused",
        "reason": "leader_unavailable", "note": "Leader on leave.", "at": rows[2]["at"],
        "created_at": rows[2]["created_at"], "updated_at": rows[2]["updated_at"],
    }


def test_the_feed_since_filter(home_la_org, history):
    first, second, third = history
    client = client_with_token(home_la_org)

    since_second = client.get(FEED_URL, {"since": (NOW - datetime.timedelta(days=2)).isoformat()})
    latest = client.get(FEED_URL, {"since": (NOW - datetime.timedelta(minutes=30)).isoformat()})

    assert [row["id"] for row in since_second.json()["results"]] == [second.pk, third.pk]
    assert latest.json()["results"] == []
    assert client.get(FEED_URL, {"since": "yesterday"}).status_code == 400


def test_the_feed_is_paginated(home_la_org, history):
    first, second, third = history

    page = client_with_token(home_la_org).get(FEED_URL, {"page_size": 2, "page": 2}).json()

    assert page["count"] == 3
    assert [row["id"] for row in page["results"]] == [third.pk]


def test_a_school_s_feed_has_only_its_own_deployments(school_leader, history, other_deployment):
    rows = client_for(school_leader).get(FEED_URL).json()["results"]

    assert {row["deployment"] for row in rows} == {history[0].deployment_id}


def test_one_deployment_s_changes(home_la_org, history, other_deployment):
    first, second, third = history
    client = client_with_token(home_la_org)

    response = client.get(action_url(first.deployment, "transitions"))

    assert [row["id"] for row in response.json()["results"]] == [first.pk, second.pk, third.pk]
    assert client.get(action_url(other_deployment, "transitions")).status_code == 404


@pytest.mark.parametrize("rows", [2, 20])
def test_the_feed_query_count_does_not_grow_with_rows(
    rows, home_la_org, home_deployment, django_assert_max_num_queries
):
    for n in range(rows):
        change(home_deployment, State.ACTIVE, State.PAUSED, NOW - datetime.timedelta(minutes=n))
    client = client_with_token(home_la_org)
    client.get(FEED_URL)

    with django_assert_max_num_queries(4):
        response = client.get(FEED_URL)

    assert len(response.json()["results"]) == rows


# --- state changes: the broker's actions ------------------------------------------------------------


def test_the_broker_pauses_resumes_and_the_change_is_recorded(la_officer, home_deployment):
    client = client_for(la_officer)

    paused = client.post(
        action_url(home_deployment, "pause"),
        {"reason": "school_will_not_engage", "note": "No replies since March."}, format="json",
    )

    assert paused.status_code == 200, paused.json()
    assert paused.json()["state"] == "paused"
    assert paused.json()["state_reason"] == "school_will_not_engage"
    change_row = DeploymentTransition.objects.get(deployment=home_deployment)
    assert (change_row.from_state, change_row.to_state, change_row.actor) == ("active", "paused", la_officer)
    assert change_row.note == "No replies since March."

    resumed = client.post(action_url(home_deployment, "resume"), {}, format="json")

    assert resumed.status_code == 200
    assert resumed.json()["state"] == "active"


def test_a_broker_token_changes_state_and_no_person_is_recorded(home_la_org, home_deployment):
    response = client_with_token(home_la_org).post(
        action_url(home_deployment, "end-early"), {"reason": "funding_ended"}, format="json"
    )

    assert response.status_code == 200, response.json()
    home_deployment.refresh_from_db()
    assert home_deployment.state == State.ENDED_EARLY
    change_row = DeploymentTransition.objects.get(deployment=home_deployment)
    assert change_row.actor is None
    assert home_deployment.history.latest().history_user is None


def test_finish_moves_an_active_deployment_to_awaiting_final_evaluation(la_officer, home_deployment):
    response = client_for(la_officer).post(action_url(home_deployment, "finish"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["state"] == "awaiting_final_evaluation"


@pytest.mark.parametrize(
    "state, name, body",
    [
        (State.ACTIVE, "resume", {}),
        (State.COMPLETED, "finish", {}),
        (State.AGREED, "resume", {}),
        (State.COMPLETED, "pause", {"reason": "other"}),
        (State.ENDED_EARLY, "end-early", {"reason": "other"}),
        (State.AWAITING_FINAL_EVALUATION, "pause", {"reason": "other"}),
    ],
)
def test_a_change_the_state_does_not_allow_is_a_409(la_officer, home_deployment, state, name, body):
    type(home_deployment).objects.filter(pk=home_deployment.pk).update(state=state)

    response = client_for(la_officer).post(action_url(home_deployment, name), body, format="json")

    assert response.status_code == 409
    assert response.json()["state"] == state
    assert response.json()["detail"]
    assert not DeploymentTransition.objects.filter(deployment=home_deployment).exists()


@pytest.mark.parametrize("body", [{}, {"reason": "bored"}, {"reason": "other", "note": "x" * 2001}])
def test_a_pause_without_a_good_reason_is_a_400(la_officer, home_deployment, body):
    response = client_for(la_officer).post(action_url(home_deployment, "pause"), body, format="json")

    assert response.status_code == 400
    assert error_fields(response) & {"reason", "note"}
    home_deployment.refresh_from_db()
    assert home_deployment.state == State.ACTIVE


@pytest.mark.parametrize(
    "persona, status_code",
    [
        ("la_officer", 200),
        ("national_admin", 403),
        ("commissioner", 403),
        ("school_leader", 403),
        ("other_la_officer", 404),
        ("outsider", 404),
    ],
)
def test_only_the_broker_changes_state(request, persona, status_code, home_deployment):
    client = client_for(request.getfixturevalue(persona))

    response = client.post(action_url(home_deployment, "pause"), {"reason": "other"}, format="json")

    assert response.status_code == status_code
    home_deployment.refresh_from_db()
    assert (home_deployment.state == State.PAUSED) is (status_code == 200)


def test_the_leader_cannot_change_state(home_deployment):
    client = client_for(home_deployment.leader)

    response = client.post(action_url(home_deployment, "finish"), {}, format="json")

    assert response.status_code == 403


def test_a_commissioner_token_that_is_not_the_broker_cannot_change_state(home_la_org, home_school):
    teaching_school = OrganisationFactory(kind=OrganisationKind.TEACHING_SCHOOL)
    deployment = DeploymentFactory(
        support_request=SupportRequestFactory(
            school=home_school, commissioner=home_la_org, broker=teaching_school
        )
    )

    refused = client_with_token(home_la_org).post(action_url(deployment, "finish"), {}, format="json")
    allowed = client_with_token(teaching_school).post(action_url(deployment, "finish"), {}, format="json")

    assert refused.status_code == 403
    assert allowed.status_code == 200


def test_amounts_are_decimal_strings_with_cost_lines_total_and_overrun(home_la_org, home_deployment):
    from deployments.choices import CostKind
    from deployments.models import AgreementCostLine

    request = home_deployment.support_request
    request.budget = Decimal("100")
    request.save(update_fields=["budget"])
    agreement = home_deployment.agreements.get()
    AgreementCostLine.objects.create(
        agreement=agreement, kind=CostKind.SUPPLY_COVER, days=Decimal("0.5"), day_rate=Decimal("210.01")
    )
    costs = agreement.cost_summary()

    body = client_with_token(home_la_org).get(detail_url(home_deployment)).json()
    money = body["agreement"]["financial_terms"]

    assert money["cost_lines"] == [
        {"kind": "supply_cover", "description": "", "days": 0.5, "day_rate": "210.01", "amount": "105.01"}
    ]
    assert money["total"] == str(costs.total)
    assert money["budget"] == "100.00"
    assert money["over_budget_by"] == str(costs.total - Decimal("100"))
    amounts = ["day_rate", "cost", "total", "budget", "over_budget_by"]
    assert all(isinstance(money[key], str) for key in amounts)
