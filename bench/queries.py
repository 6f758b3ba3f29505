"""Queries per request, counted in-process with Django's test client (gunicorn cannot report
them): a warm-up request, then the counted one, as the same principal with the same credentials."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from bench.jobs import counting_queries
from bench.principals import Credentials

HOST = "127.0.0.1"


class RequestFailed(Exception):
    pass


def client_for(credentials: Credentials) -> tuple[Client, dict[str, str]]:
    """A test client carrying the credentials: the session as its cookie, a token as a header."""
    client = Client(HTTP_HOST=HOST)
    if credentials.session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = credentials.session_key
    headers = {"Authorization": f"Token {credentials.api_key}"} if credentials.api_key else {}
    return client, headers


def count_queries(path: str, credentials: Credentials) -> int:
    client, headers = client_for(credentials)
    client.get(path, headers=headers)
    with counting_queries() as counter:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise RequestFailed(f"GET {path} answered {response.status_code}")
    return counter.count
