"""The change feed and the webhook subscriptions through the API: who sees which events, the
cursor, malformed input, query counts, and a token managing its organisation's subscriptions."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from changefeed import services as changefeed
from changefeed.choices import EventType
from deployments import services as deployment_services
from deployments.choices import DeploymentState, StateReason
from designations.models import DesignationType
from tests.apiclients import client_for, client_with_token, error_fields
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.designations import DesignationFactory
from webhooks import services
from webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db

FEED_URL = reverse("webhooks-api:event-feed")
LIST_URL = reverse("webhooks-api:subscription-list")
FEED_QUERIES = 12


def pause(deployment):
    deployment_services.transition(
        deployment, DeploymentState.PAUSED, reason=StateReason.OTHER, check_permission=False
    )


def feed(client, **params):
    response = client.get(FEED_URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_feed_needs_a_token_or_a_session():
    assert APIClient().get(FEED_URL).status_code == 401


def test_the_feed_shows_only_events_of_resources_the_token_may_see(
    home_la_org, other_la_org, home_deployment, other_deployment
):
    pause(home_deployment)
    pause(other_deployment)
    changefeed.publish_pending()
    home = feed(client_with_token(home_la_org), since=0)
    other = feed(client_with_token(other_la_org), since=0)
    assert [e["resource"]["id"] for e in home["events"]] == [home_deployment.pk]
    assert [e["resource"]["id"] for e in other["events"]] == [other_deployment.pk]


@pytest.mark.parametrize(
    "persona, sees_home, sees_other",
    [
        ("national_admin", True, True),
        ("la_officer", True, False),
        ("other_la_officer", False, True),
        ("school_leader", True, False),
        ("outsider", False, False),
    ],
)
def test_who_sees_which_events(request, persona, sees_home, sees_other, home_deployment, other_deployment):
    pause(home_deployment)
    pause(other_deployment)
    changefeed.publish_pending()
    seen = {e["resource"]["id"] for e in feed(client_for(request.getfixturevalue(persona)))["events"]}
    assert (home_deployment.pk in seen, other_deployment.pk in seen) == (sees_home, sees_other)


def test_a_proposed_deployment_appears_in_the_feed_when_created(home_school, home_la_org, la_officer):
    from deployments.services import propose

    designation = DesignationFactory(
        designation_type=DesignationType.objects.get(code="LLE"), availability_days_per_week=Decimal("2.0")
    )
    request = SupportRequestFactory(
        school=home_school,
        commissioner=home_la_org,
        broker=home_la_org,
        designation_types=[designation.designation_type],
    )
    deployment = propose(request, designation, actor=la_officer)
    changefeed.publish_pending()
    events = feed(client_with_token(home_la_org))["events"]
    created = [e for e in events if e["type"] == EventType.DEPLOYMENT_CREATED]
    assert [(e["resource"]["id"], e["details"]["state"]) for e in created] == [(deployment.pk, "proposed")]


def test_following_next_since_pages_through_every_event_once(home_la_org, home_deployment):
    for _ in range(3):
        pause(home_deployment)
        deployment_services.transition(home_deployment, DeploymentState.ACTIVE, check_permission=False)
    changefeed.publish_pending()
    client, since, seen = client_with_token(home_la_org), 0, []
    while True:
        page = feed(client, since=since, limit=4)
        seen += [e["id"] for e in page["events"]]
        since = page["next_since"]
        if not page["has_more"]:
            break
    assert len(seen) == 6 and seen == sorted(set(seen))
    assert feed(client, since=since) == {"events": [], "next_since": since, "has_more": False}


def test_a_state_changes_time_is_the_deployments(home_deployment):
    pause(home_deployment)
    home_deployment.refresh_from_db()
    transition = home_deployment.transitions.order_by("-at").first()
    assert transition.at == home_deployment.state_changed_at


@pytest.mark.parametrize(
    "params, field",
    [
        ({"since": "abc"}, "since"),
        ({"since": "-1"}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"cursor": "1"}, "cursor"),
    ],
)
def test_malformed_feed_parameters_are_a_400(home_la_org, params, field):
    response = client_with_token(home_la_org).get(FEED_URL, params)
    assert response.status_code == 400
    assert field in error_fields(response)


@pytest.mark.parametrize("changes", [1, 6])
def test_the_feed_costs_a_fixed_number_of_queries(
    django_assert_max_num_queries, home_la_org, home_deployment, la_officer, changes
):
    for _ in range(changes):
        pause(home_deployment)
        deployment_services.transition(home_deployment, DeploymentState.ACTIVE, check_permission=False)
    changefeed.publish_pending()
    token, person = client_with_token(home_la_org), client_for(la_officer)
    with django_assert_max_num_queries(FEED_QUERIES):
        assert len(feed(token)["events"]) == 2 * changes
    with django_assert_max_num_queries(FEED_QUERIES):
        assert len(feed(person)["events"]) == 2 * changes


# --- subscriptions --------------------------------------------------------------------------------


def test_a_token_subscribes_and_sees_the_secret_once_created(httpserver, home_la_org):
    client = client_with_token(home_la_org)
    response = client.post(
        LIST_URL, {"url": httpserver.url_for("/hook"), "event_types": ["deployment.created"]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response["Location"].endswith(f"/api/v1/webhooks/{response.json()['id']}/")
    body = response.json()
    assert body["secret"].startswith("whsec_") and body["organisation"] == home_la_org.pk
    assert "secret" not in client.get(LIST_URL).json()["results"][0]
    assert (
        client.get(reverse("webhooks-api:subscription-detail", args=[body["id"]])).json()["secret"]
        == body["secret"]
    )


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "https://10.0.0.1/hook", "event_types": ["deployment.created"]}, "url"),
        ({"url": "https://example.org/hook", "event_types": ["deployment.exploded"]}, "event_types.0"),
        ({"url": "https://example.org/hook", "event_types": []}, "event_types"),
    ],
)
def test_a_bad_subscription_is_a_400_on_its_field(settings, home_la_org, body, field):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    response = client_with_token(home_la_org).post(LIST_URL, body, format="json")
    assert response.status_code == 400
    assert field in error_fields(response)
    assert not Subscription.objects.exists()


def test_another_organisations_token_cannot_see_or_change_a_subscription(
    httpserver, home_la_org, other_la_org
):
    subscription = services.create_subscription(
        organisation=home_la_org, url=httpserver.url_for("/hook"), event_types=["deployment.created"]
    )
    other = client_with_token(other_la_org)
    detail = reverse("webhooks-api:subscription-detail", args=[subscription.pk])
    assert other.get(LIST_URL).json()["results"] == []
    assert other.get(detail).status_code == 404
    assert other.delete(detail).status_code == 404
    assert other.post(reverse("webhooks-api:subscription-test", args=[subscription.pk])).status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_token_tests_turns_off_and_deletes_its_subscription(httpserver, home_la_org):
    httpserver.expect_request("/hook").respond_with_data("ok")
    subscription = services.create_subscription(
        organisation=home_la_org, url=httpserver.url_for("/hook"), event_types=["deployment.created"]
    )
    client = client_with_token(home_la_org)
    response = client.post(reverse("webhooks-api:subscription-test", args=[subscription.pk]))
    assert response.status_code == 202
    assert response.json()["status"] == "succeeded"
    deliveries = client.get(reverse("webhooks-api:subscription-deliveries", args=[subscription.pk])).json()
    assert [d["event_type"] for d in deliveries["results"]] == ["webhook.test"]
    detail = reverse("webhooks-api:subscription-detail", args=[subscription.pk])
    assert client.patch(detail, {"is_active": False}, format="json").json()["is_active"] is False
    assert client.patch(detail, {"is_active": True}, format="json").json()["is_active"] is True
    assert client.delete(detail).status_code == 204
    assert not Delivery.objects.exists()


def test_a_person_who_is_no_administrator_sees_no_subscriptions(httpserver, home_la_org, commissioner):
    services.create_subscription(
        organisation=home_la_org, url=httpserver.url_for("/hook"), event_types=["deployment.created"]
    )
    assert client_for(commissioner).get(LIST_URL).json()["results"] == []
