"""The OpenAPI schema documents every error each operation can give, as problem details, and the
shapes partners rely on (ids, amounts, Location)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}
PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_every_path_is_listed_once_with_its_trailing_slash(schema):
    assert schema["paths"]
    assert all(path.endswith("/") for path in schema["paths"])
    assert not any(path.endswith("?") or "/?" in path for path in schema["paths"])


def test_every_operation_documents_the_errors_it_can_give(schema):
    for path, method, operation in operations(schema):
        statuses = set(operation["responses"])
        assert {"401", "403", "429"} <= statuses, (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        takes_input = "requestBody" in operation or bool(query)
        if takes_input:
            assert "400" in statuses, (method, path)
        if method == "post" and "{" in path:
            assert "409" in statuses, (method, path)


def test_every_error_response_is_problem_json(schema):
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                content = response["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)
                expected = "ConflictProblem" if status == "409" else "Problem"
                assert content["application/problem+json"]["schema"] == {
                    "$ref": f"#/components/schemas/{expected}"
                }


def test_the_problem_component_has_the_documented_shape(schema):
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "errors"}
    error = schema["components"]["schemas"]["ProblemError"]
    assert set(error["properties"]) == {"code", "message", "field"}
    assert "ErrorSerializer" not in str(schema)


def test_a_paginated_list_documents_the_404_of_a_page_beyond_the_last(schema):
    assert "404" in schema["paths"]["/api/v1/schools/"]["get"]["responses"]


def test_a_201_declares_its_location_header(schema):
    created = [
        (path, operation) for path, method, operation in operations(schema) if "201" in operation["responses"]
    ]
    created_paths = {path for path, _ in created}
    assert created_paths == {"/api/v1/support-requests/", "/api/v1/claims/", "/api/v1/webhooks/"}
    for _, operation in created:
        assert "Location" in operation["responses"]["201"]["headers"]


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/v1/deployments/", "support_request"),
        ("/api/v1/deployment-transitions/", "deployment"),
        ("/api/v1/claims/", "deployment"),
    ],
)
def test_id_filters_are_whole_numbers_of_at_least_1(schema, path, name):
    parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
    assert parameters[name]["schema"] == {"type": "integer", "minimum": 1}


def test_amounts_are_decimal_strings(schema):
    budget = schema["components"]["schemas"]["SupportRequest"]["properties"]["budget"]
    assert budget["type"] == "string"
    assert budget["format"] == "decimal"


def test_every_date_time_parameter_declares_the_offsets_the_api_takes(schema):
    import re

    date_times = [
        (path, parameter) for path, _, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and parameter["schema"].get("format") == "date-time"
    ]
    assert {parameter["name"] for _, parameter in date_times} >= {"updated_since", "since", "changed_since"}
    for path, parameter in date_times:
        pattern = re.compile(parameter["schema"]["pattern"])
        assert pattern.search("2026-01-01T00:00:00+15:59"), (path, parameter["name"])
        assert pattern.search("2026-01-01T00:00:00Z")
        assert not pattern.search("2026-01-01T00:00:00+16:00")
        assert not pattern.search("2026-01-01T00:00:00-19:35")


@pytest.mark.parametrize(
    "component, name",
    [
        ("ClaimRejectionRequest", "reason"),
        ("ClaimNeededNoteRequest", "note"),
        ("ClaimAnswerRequest", "note"),
        ("ClaimPayRequest", "reference"),
    ],
)
def test_text_the_api_requires_is_declared_as_more_than_spaces(schema, component, name):
    field = schema["components"]["schemas"][component]["properties"][name]
    assert field["minLength"] == 1
    assert field["pattern"] == r"\S"
    assert name in schema["components"]["schemas"][component]["required"]


def test_a_subscription_declares_at_least_one_event_type(schema):
    request = schema["components"]["schemas"]["SubscriptionWithSecretRequest"]
    assert request["properties"]["event_types"]["minItems"] == 1
