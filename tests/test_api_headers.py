"""Headers on every API answer: an ETag with 304 for an unchanged GET, no-store, and where the caller
stands against its rate limit (counted per token in the shared cache)."""

import pytest
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse
from rest_framework.test import APIClient, APIRequestFactory

from accounts.api.authentication import ApiClient as TokenCaller
from accounts.api.throttling import OrganisationTokenRateThrottle
from tests.apiclients import client_with_token
from tests.factories import ApiTokenFactory

pytestmark = pytest.mark.django_db

SCHOOLS_URL = reverse("schools-api:school-list")


def test_a_get_has_an_etag_and_an_unchanged_repeat_is_a_304(home_la_org, home_school):
    client = client_with_token(home_la_org)
    first = client.get(SCHOOLS_URL)

    again = client.get(SCHOOLS_URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_resource_is_sent_again(home_la_org, home_school):
    client = client_with_token(home_la_org)
    etag = client.get(SCHOOLS_URL)["ETag"]
    home_school.name = "Renamed Primary"
    home_school.save()

    response = client.get(SCHOOLS_URL, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_api_answers_are_never_stored(home_la_org):
    response = client_with_token(home_la_org).get(SCHOOLS_URL)

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_pages_get_no_etag(client):
    assert not client.get(reverse("accounts:sign-in")).has_header("ETag")


def test_every_answer_says_where_the_token_stands(home_la_org, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/hour"}}
    client = client_with_token(home_la_org)

    answers = [client.get(SCHOOLS_URL) for _ in range(4)]

    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert {a["RateLimit-Limit"] for a in answers} == {"3"}
    assert {a["RateLimit-Policy"] for a in answers} == {"3;w=3600"}
    assert all(0 < int(a["RateLimit-Reset"]) <= 3600 for a in answers)
    assert answers[-1].status_code == 429
    assert int(answers[-1]["Retry-After"]) > 0


def test_a_post_carries_the_rate_limit_too(home_la_org):
    response = client_with_token(home_la_org).post(reverse("brokerage-api:support-request-list"), {})

    assert response.status_code == 400
    assert response.has_header("RateLimit-Remaining")


def test_a_refused_token_gets_no_rate_limit_headers():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nonsense")

    assert not client.get(SCHOOLS_URL).has_header("RateLimit-Limit")


@pytest.mark.redis
def test_two_workers_count_one_tokens_requests_together_in_redis(home_la_org, settings):
    """Each gunicorn worker has its own cache client; with Redis they share one count per token."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/hour"}}
    location = "redis://127.0.0.1:6379/14"
    workers = [RedisCache(location, {}), RedisCache(location, {})]
    workers[0].clear()
    token, _ = ApiTokenFactory.create(home_la_org)
    request = APIRequestFactory().get(SCHOOLS_URL)

    def allowed_by(cache) -> bool:
        from rest_framework.request import Request

        drf_request = Request(request)
        drf_request.user, drf_request.auth = TokenCaller(organisation=home_la_org, token=token), token
        throttle = OrganisationTokenRateThrottle()
        throttle.cache = cache
        return throttle.allow_request(drf_request, view=None)

    try:
        outcomes = [allowed_by(workers[n % 2]) for n in range(4)]
    finally:
        workers[0].clear()

    assert outcomes == [True, True, True, False]
