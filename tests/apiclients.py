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
