"""Every error under /api/ is RFC 9457 problem details of one shape, whichever status and whichever
part of the stack answered it."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.apiclients import client_with_token, error_fields, error_messages
from tests.factories import OrganisationFactory
from tests.factories.deployments import DeploymentFactory
from tests.factories.designations import SpecialismFactory

pytestmark = pytest.mark.django_db

SCHOOLS_URL = reverse("schools-api:school-list")
REQUESTS_URL = reverse("brokerage-api:support-request-list")


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "errors"}
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["errors"], "every problem lists at least one error"
    for error in body["errors"]:
        assert set(error) == {"code", "message", "field"}
        assert error["code"] and error["message"]
    return body


def test_a_bad_parameter_is_a_400_on_that_field(home_la_org):
    response = client_with_token(home_la_org).get(SCHOOLS_URL, {"page_size": "0"})

    body = assert_problem(response, 400)
    assert body["title"] == "Bad request"
    assert body["errors"] == [
        {"code": "invalid", "message": "Give a whole number of at least 1.", "field": "page_size"}
    ]
    assert body["detail"] == "Give a whole number of at least 1."


def test_no_token_is_a_401_that_keeps_www_authenticate():
    response = APIClient().get(SCHOOLS_URL)

    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert body["errors"][0]["code"] == "not_authenticated"
    assert body["errors"][0]["field"] is None


def test_a_revoked_token_is_a_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-key")

    body = assert_problem(client.get(SCHOOLS_URL), 401)
    assert error_messages(client.get(SCHOOLS_URL)) == ["Invalid or revoked token."]
    assert body["errors"][0]["code"] == "authentication_failed"


def test_a_refused_caller_is_a_403():
    not_a_commissioner = OrganisationFactory(kind="agency")

    response = client_with_token(not_a_commissioner).post(REQUESTS_URL, {}, format="json")

    body = assert_problem(response, 403)
    assert body["errors"][0]["code"] == "permission_denied"
    assert "commissioning organisation" in body["detail"]


def test_an_unknown_record_is_a_404(home_la_org):
    response = client_with_token(home_la_org).get(reverse("schools-api:school-detail", args=[999999]))

    assert assert_problem(response, 404)["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/v1/schools/1/no-such-action/", "/api/nope"])
def test_an_unrouted_path_under_api_is_a_404_problem(home_la_org, path):
    response = client_with_token(home_la_org).get(path)

    assert assert_problem(response, 404)["errors"][0]["code"] == "not_found"


def test_an_unrouted_page_outside_the_api_stays_html(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_page_beyond_the_last_is_a_404_saying_so(home_la_org, home_school):
    response = client_with_token(home_la_org).get(SCHOOLS_URL, {"page": "9"})

    body = assert_problem(response, 404)
    assert body["errors"][0]["field"] == "page"
    assert body["detail"] == "There is no page 9: give a page number from 1 to 1."


def test_a_wrong_method_is_a_405(home_la_org):
    response = client_with_token(home_la_org).delete(SCHOOLS_URL)

    assert assert_problem(response, 405)["errors"][0]["code"] == "method_not_allowed"


def test_a_state_change_from_the_wrong_state_is_a_409_with_the_current_state(home_la_org):
    deployment = DeploymentFactory(
        support_request__commissioner=home_la_org, support_request__broker=home_la_org
    )
    url = reverse("deployments-api:deployment-resume", args=[deployment.pk])

    response = client_with_token(home_la_org).post(url, {}, format="json")

    body = assert_problem(response, 409)
    assert body["state"] == deployment.state
    assert body["errors"] == [{"code": "conflict", "message": body["detail"], "field": None}]


def test_an_unsupported_body_is_a_415(home_la_org):
    response = client_with_token(home_la_org).post(REQUESTS_URL, "x", content_type="text/plain")

    assert assert_problem(response, 415)["errors"][0]["code"] == "unsupported_media_type"


def test_too_many_requests_is_a_429_that_keeps_retry_after(settings, home_la_org):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1/minute"}}
    client = client_with_token(home_la_org)
    client.get(SCHOOLS_URL)

    response = client.get(SCHOOLS_URL)

    assert assert_problem(response, 429)["errors"][0]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("path", ["/api/v1/test-failure", "/api/v1/test-plain-failure"])
def test_an_unexpected_failure_is_a_500_problem(settings, path):
    settings.ROOT_URLCONF = "tests.apiformat.urls"
    settings.DEBUG = False

    response = Client(raise_request_exception=False).get(path)

    body = assert_problem(response, 500)
    assert body["title"] == "Internal server error"
    assert "a bug" not in response.content.decode()


def test_nested_field_errors_are_dotted(home_la_org, home_school):
    SpecialismFactory(slug="maths")
    response = client_with_token(home_la_org).post(
        REQUESTS_URL,
        {"school": home_school.urn, "broker": home_la_org.pk, "title": "", "needs_description": "x",
         "designation_types": ["LLE"], "priority_reasons": ["vulnerable", "nonsense"]},
        format="json",
    )

    assert_problem(response, 400)
    assert error_fields(response) == {"title", "priority_reasons.1"}


def test_a_reference_to_a_school_out_of_reach_says_so_in_the_domains_words(home_la_org, other_school):
    response = client_with_token(home_la_org).post(
        REQUESTS_URL, {"school": other_school.urn}, format="json"
    )

    body = assert_problem(response, 400)
    school_errors = [e for e in body["errors"] if e["field"] == "school"]
    assert school_errors[0]["code"] == "does_not_exist"
    assert "you may commission support for" in school_errors[0]["message"]
    assert "pk" not in school_errors[0]["message"]


def test_a_school_reference_that_is_no_number_is_refused_in_the_domains_words(home_la_org):
    response = client_with_token(home_la_org).post(REQUESTS_URL, {"school": [1]}, format="json")

    messages = [e["message"] for e in response.json()["errors"] if e["field"] == "school"]
    assert messages == ["Give the school's URN, a whole number."]

