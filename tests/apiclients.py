"""API clients for tests: with an organisation's token, or as a signed-in person."""

from rest_framework.test import APIClient

from tests.factories import ApiTokenFactory


def client_with_token(organisation) -> APIClient:
    _, key = ApiTokenFactory.create(organisation)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def error_fields(response) -> set[str]:
    """The fields an API error response names (``None`` stands for the request as a whole).

    Tolerates both the field-map body and the ``{"errors": [{"field": …}]}`` problem body, so
    tests written against either keep asserting the same thing."""
    body = response.json()
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return {error.get("field") for error in body["errors"]}
    return {None if name in ("detail", "non_field_errors") else name for name in body}


def error_messages(response) -> list[str]:
    """Every message in an API error response, in order, whichever body shape it has."""
    body = response.json()
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return [error["message"] for error in body["errors"]]
    messages: list[str] = []
    for value in body.values():
        messages.extend(value if isinstance(value, list) else [str(value)])
    return messages


def errors_by_field(response) -> dict[str | None, list[str]]:
    """Each field an API error response names (``None`` for the request as a whole), with its messages."""
    grouped: dict[str | None, list[str]] = {}
    for error in response.json()["errors"]:
        grouped.setdefault(error["field"], []).append(error["message"])
    return grouped
