"""The webhooks pages: who may open them (a matrix), adding with form errors, the delivery log
with its empty state, test events, turning off and on, and deleting after confirmation."""

import pytest
from django.urls import reverse

from webhooks import services
from webhooks.models import Subscription

pytestmark = pytest.mark.django_db

LIST_URL = reverse("webhooks:subscription-list")
ADD_URL = reverse("webhooks:subscription-add")
PAGE_QUERIES = 12


@pytest.fixture
def subscription(httpserver, home_la_org):
    return services.create_subscription(
        organisation=home_la_org, url=httpserver.url_for("/hook"), event_types=["deployment.created"]
    )


@pytest.mark.parametrize(
    "persona, may",
    [
        ("la_officer", True),  # manages the authority's people: its administrator
        ("national_admin", True),
        ("commissioner", False),
        ("other_la_officer", False),
        ("school_leader", False),
        ("outsider", False),
    ],
)
def test_who_may_open_a_subscription(client, request, persona, may, subscription):
    client.force_login(request.getfixturevalue(persona))
    detail = client.get(reverse("webhooks:subscription-detail", args=[subscription.pk]))
    assert detail.status_code == (200 if may else 403)
    listed = client.get(LIST_URL)
    if persona in {"la_officer", "national_admin"}:
        assert subscription.url in listed.content.decode()
    elif listed.status_code == 200:
        assert subscription.url not in listed.content.decode()
    test = client.post(reverse("webhooks:subscription-test", args=[subscription.pk]))
    assert test.status_code == (302 if may else 403)


def test_signed_out_people_are_sent_to_sign_in(client, subscription):
    response = client.get(reverse("webhooks:subscription-detail", args=[subscription.pk]))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_an_administrator_adds_a_webhook(client, la_officer, httpserver, home_la_org):
    client.force_login(la_officer)
    response = client.post(
        ADD_URL,
        {
            "organisation": home_la_org.pk,
            "url": httpserver.url_for("/hook"),
            "description": "MIS",
            "event_types": ["deployment.created", "deployment.state_changed"],
        },
    )
    subscription = Subscription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("webhooks:subscription-detail", args=[subscription.pk])
    assert subscription.organisation == home_la_org and subscription.created_by == la_officer
    page = client.get(response["Location"]).content.decode()
    assert subscription.secret in page and "Nothing has been sent to this webhook yet" in page


def test_a_bad_address_and_no_types_are_shown_as_errors(client, la_officer, home_la_org, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    settings.WEBHOOKS_ALLOW_HTTP = False
    client.force_login(la_officer)
    response = client.post(
        ADD_URL, {"organisation": home_la_org.pk, "url": "http://10.0.0.1/", "event_types": []}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Choose at least one type of event" in page
    response = client.post(
        ADD_URL,
        {"organisation": home_la_org.pk, "url": "http://10.0.0.1/", "event_types": ["deployment.created"]},
    )
    assert "Enter an address that starts with https://" in response.content.decode()
    assert not Subscription.objects.exists()


def test_people_who_administer_nothing_cannot_add(client, commissioner):
    client.force_login(commissioner)
    assert client.get(ADD_URL).status_code == 403


def test_a_test_event_shows_in_the_delivery_log(client, la_officer, subscription, httpserver):
    httpserver.expect_request("/hook").respond_with_data("ok")
    client.force_login(la_officer)
    response = client.post(reverse("webhooks:subscription-test", args=[subscription.pk]), follow=True)
    page = response.content.decode()
    assert "Test event sent" in page and "webhook.test" in page and "Delivered" in page


def test_turning_off_and_on(client, la_officer, subscription):
    client.force_login(la_officer)
    url = reverse("webhooks:subscription-toggle", args=[subscription.pk])
    client.post(url)
    subscription.refresh_from_db()
    assert not subscription.is_active
    client.post(url)
    subscription.refresh_from_db()
    assert subscription.is_active


def test_deleting_asks_first(client, la_officer, subscription):
    client.force_login(la_officer)
    url = reverse("webhooks:subscription-delete", args=[subscription.pk])
    assert "Delete the webhook to" in client.get(url).content.decode()
    assert Subscription.objects.exists()
    assert client.post(url)["Location"] == LIST_URL
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("deliveries", [1, 30])
def test_the_delivery_log_costs_a_fixed_number_of_queries(
    client, la_officer, subscription, django_assert_max_num_queries, deliveries
):
    for _ in range(deliveries):
        services.create_test_delivery(subscription)
    client.force_login(la_officer)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(reverse("webhooks:subscription-detail", args=[subscription.pk]))
    assert response.status_code == 200


def test_the_menu_links_administrators_to_webhooks(client, la_officer, commissioner):
    client.force_login(la_officer)
    assert LIST_URL in client.get(reverse("accounts:you")).content.decode()
    client.force_login(commissioner)
    assert LIST_URL not in client.get(reverse("accounts:you")).content.decode()
