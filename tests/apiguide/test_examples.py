"""The worked examples of the guidance are what the API answers: each request and response is
checked against the API's own schema, strictly (no field the serializer lacks), and the error
examples' statuses and codes are what the live API gives for the same mistake."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apiguide.errors import ERRORS
from apiguide.resources import RESOURCES
from config.api import API_RESOURCES
from tests.apiclients import client_with_token

from .schemacheck import problem_errors, request_errors, response_errors

EXAMPLES = [
    pytest.param(example, id=f"{name}: {example.title}")
    for name, resource in RESOURCES.items()
    for example in resource.examples
]


def test_every_resource_has_its_page_and_examples():
    assert set(RESOURCES) == set(API_RESOURCES)
    assert all(resource.examples for resource in RESOURCES.values())


@pytest.mark.parametrize("example", EXAMPLES)
def test_each_example_answer_is_valid_against_the_schema(example):
    if example.status >= 400:
        errors = problem_errors(example.status, example.response)
    else:
        errors = response_errors(example.operation, example.method, example.status, example.response)
    assert errors == []


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.values[0].request is not None])
def test_each_example_request_is_valid_against_the_schema(example):
    assert request_errors(example.operation, example.method, example.request) == []


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: str(error.status))
def test_each_error_example_is_a_problem_document(error):
    assert error.response["status"] == error.status
    assert problem_errors(error.status, error.response) == []


LIVE_MISTAKES = {
    400: lambda client: client.get("/api/v1/schools/?updated_since=yesterday&colour=blue"),
    401: lambda client: APIClient().get("/api/v1/schools/"),
    404: lambda client: client.get("/api/v1/schools/999999/"),
    405: lambda client: client.delete("/api/v1/schools/"),
    415: lambda client: client.post("/api/v1/support-requests/", "title=Maths", content_type="text/plain"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("status", sorted(LIVE_MISTAKES))
def test_the_error_examples_are_what_the_api_answers(status, home_la_org):
    example = next(error for error in ERRORS if error.status == status)

    response = LIVE_MISTAKES[status](client_with_token(home_la_org))

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == example.response


def test_every_status_the_errors_page_promises_has_an_example():
    assert {error.status for error in ERRORS} >= {400, 401, 403, 404, 405, 409, 415, 429, 500}
    assert reverse("apiguide:guide", args=["errors"])
