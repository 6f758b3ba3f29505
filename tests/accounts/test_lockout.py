"""The sign-in lockout counts failures per (email, IP address) pair, with the client's address read
through the configured number of trusted proxies."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.client_ip import client_ip
from accounts.lockout import lockout_client_ip
from tests.factories import UserFactory
from tests.factories.accounts import DEFAULT_PASSWORD

SIGN_IN_URL = reverse("accounts:sign-in")
LOCKED = "You cannot sign in at the moment"


@pytest.fixture(autouse=True)
def three_failures_lock(settings):
    settings.AXES_FAILURE_LIMIT = 3


def _sign_in(client, email, password, **meta):
    return client.post(SIGN_IN_URL, {"username": email, "password": password}, **meta)


def _fail_three_times(client, email, **meta):
    for _ in range(3):
        _sign_in(client, email, "not-the-password", **meta)


def test_failures_from_one_address_do_not_lock_the_email_from_another(client, db):
    person = UserFactory(email="ada@example.org")
    _fail_three_times(client, person.email, REMOTE_ADDR="203.0.113.1")

    locked = _sign_in(client, person.email, DEFAULT_PASSWORD, REMOTE_ADDR="203.0.113.1")
    elsewhere = _sign_in(client, person.email, DEFAULT_PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert LOCKED in locked.content.decode()
    assert elsewhere.status_code == 302


def test_failures_for_one_email_do_not_lock_other_people_at_the_same_address(client, db):
    UserFactory(email="ada@example.org")
    other = UserFactory(email="bob@example.org")
    _fail_three_times(client, "ada@example.org", REMOTE_ADDR="203.0.113.1")

    response = _sign_in(client, other.email, DEFAULT_PASSWORD, REMOTE_ADDR="203.0.113.1")

    assert response.status_code == 302


def test_behind_the_proxy_each_client_address_is_locked_on_its_own(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    person = UserFactory(email="ada@example.org")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    _fail_three_times(client, person.email, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)

    locked = _sign_in(client, person.email, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.1", **proxy)
    other = _sign_in(client, person.email, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)

    assert LOCKED in locked.content.decode()
    assert other.status_code == 302


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    request = _request(REMOTE_ADDR="203.0.113.1", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert client_ip(request) == "203.0.113.1"


def test_behind_one_proxy_the_address_the_proxy_saw_counts_not_what_the_client_wrote(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1")

    assert client_ip(spoofed) == "203.0.113.1"


def test_behind_two_proxies_the_second_entry_from_the_right_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request(REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1, 10.0.0.2")

    assert client_ip(request) == "203.0.113.1"


@pytest.mark.parametrize("header", ["", "not-an-address"])
def test_a_missing_or_garbled_forwarded_address_falls_back_to_the_connection(settings, header):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=header)) == "10.0.0.2"


def test_the_lockout_records_no_address_for_a_sign_in_without_a_connection():
    """django-axes stores the address as an IP (inet on PostgreSQL): "unknown" would fail the sign-in."""
    assert lockout_client_ip(_request(REMOTE_ADDR="")) is None
    assert lockout_client_ip(_request(REMOTE_ADDR="203.0.113.1")) == "203.0.113.1"
