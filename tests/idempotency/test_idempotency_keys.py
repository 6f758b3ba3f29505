"""Idempotency-Key on API POSTs: a repeat gets the first response, a reused key with another body is
refused, a concurrent repeat is told the first is in progress, and keys are forgotten after a day."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from brokerage.models import SupportRequest
from idempotency.models import IdempotentRequest
from idempotency.services import clear_expired_keys
from tests.apiclients import client_with_token, error_messages
from tests.factories import ApiTokenFactory
from tests.factories.designations import SpecialismFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("brokerage-api:support-request-list")


@pytest.fixture
def maths(db):
    return SpecialismFactory(slug="maths", name="Maths")


def body(school, broker, **overrides) -> dict:
    return {
        "school": school.urn, "broker": broker.pk, "title": "Maths leadership", "needs": ["maths"],
        "needs_description": "The maths lead is new.", "designation_types": ["LLE"], **overrides,
    }


def post(client, data, key="key-1"):
    return client.post(LIST_URL, data, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_repeat_with_the_same_key_gets_the_first_response_and_raises_nothing_more(
    home_la_org, home_school, maths,
):
    client = client_with_token(home_la_org)

    first = post(client, body(home_school, home_la_org))
    again = post(client, body(home_school, home_la_org))

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert SupportRequest.objects.filter(school=home_school).count() == 1


def test_the_same_key_with_another_body_is_refused(home_la_org, home_school, maths):
    client = client_with_token(home_la_org)
    post(client, body(home_school, home_la_org))

    response = post(client, body(home_school, home_la_org, title="Something else"))

    assert response.status_code == 422
    assert "different request" in error_messages(response)[0]
    assert SupportRequest.objects.count() == 1


def test_a_refused_request_is_replayed_too(home_la_org, home_school, maths):
    client = client_with_token(home_la_org)

    first = post(client, body(home_school, home_la_org, title=""))
    again = post(client, body(home_school, home_la_org, title=""))

    assert first.status_code == again.status_code == 400
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"


def test_keys_are_each_callers_own(home_la_org, home_school, maths):
    post(client_with_token(home_la_org), body(home_school, home_la_org, title=""))

    # Another token of the same organisation, same key: its own request, not the first one's reply.
    response = post(client_with_token(home_la_org), body(home_school, home_la_org))

    assert response.status_code == 201
    assert not response.has_header("Idempotent-Replayed")


def test_a_request_without_a_key_runs_every_time(home_la_org, home_school, maths):
    client = client_with_token(home_la_org)
    client.post(LIST_URL, body(home_school, home_la_org, title=""), format="json")

    assert IdempotentRequest.objects.count() == 0


def test_a_refused_token_is_not_remembered(home_la_org, home_school, maths):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")

    assert post(client, body(home_school, home_la_org)).status_code == 401
    assert IdempotentRequest.objects.count() == 0


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "tab\there"])
def test_a_malformed_key_is_a_400(home_la_org, home_school, maths, key):
    response = post(client_with_token(home_la_org), body(home_school, home_la_org), key=key)

    assert response.status_code == 400
    assert "Idempotency-Key" in error_messages(response)[0]
    assert SupportRequest.objects.count() == 0


def test_a_key_still_in_progress_is_a_409(home_la_org, home_school, maths):
    token, key = ApiTokenFactory.create(home_la_org)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    first = post(client, body(home_school, home_la_org), key="k")
    IdempotentRequest.objects.filter(key="k").update(response_status=None)

    response = post(client, body(home_school, home_la_org), key="k")

    assert first.status_code == 201
    assert response.status_code == 409
    assert "in progress" in error_messages(response)[0]


def test_an_expired_key_runs_again_and_is_cleared_nightly(home_la_org, home_school, maths, other_school):
    client = client_with_token(home_la_org)
    post(client, body(home_school, home_la_org, title=""))
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))

    response = post(client, body(home_school, home_la_org, title=""))

    assert not response.has_header("Idempotent-Replayed")
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert clear_expired_keys() == 1
    call_command("clear_idempotency_keys")
    assert IdempotentRequest.objects.count() == 0


def test_gets_ignore_the_key(home_la_org):
    response = client_with_token(home_la_org).get(LIST_URL, HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 200
    assert IdempotentRequest.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_with_one_key_raise_one_request(home_la_org, home_school, maths):
    assert connection.vendor == "postgresql"
    _, key = ApiTokenFactory.create(home_la_org)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def double_click():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            barrier.wait(timeout=10)
            statuses.append(post(client, body(home_school, home_la_org), key="double-click").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=double_click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert SupportRequest.objects.filter(school=home_school).count() == 1
    # The second either waited for the first's key and was told it is in progress, or came after
    # and got the first's response again.
    assert sorted(statuses) in ([201, 201], [201, 409])
