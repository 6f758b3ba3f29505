"""The partner sandbox: X-With-Server-Date runs an API request as if it were that date, only with
SANDBOX_MODE on; a malformed value, or the header anywhere else, is a 400 problem."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from apiguide.sandbox import MalformedServerDate, parse_server_date
from tests.apiclients import client_with_token, error_messages
from tests.test_settings import SETUP, _production, _run

pytestmark = pytest.mark.django_db

ME_URL = reverse("brokerage-api:me")


@pytest.fixture
def sandbox(settings):
    settings.SANDBOX_MODE = True


def test_a_request_in_the_sandbox_runs_at_the_date_it_gives(sandbox, home_la_org):
    client = client_with_token(home_la_org)
    token = ApiToken.objects.get(organisation=home_la_org)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=None)

    response = client.get(ME_URL, HTTP_X_WITH_SERVER_DATE="2027-03-01")

    assert response.status_code == 200
    assert response["X-Server-Date"].startswith("2027-03-01T")
    # What the request wrote, it wrote at the simulated date.
    token.refresh_from_db()
    assert timezone.localtime(token.last_used_at).date() == dt.date(2027, 3, 1)


def test_the_simulated_date_lasts_only_for_its_request(sandbox, home_la_org):
    client = client_with_token(home_la_org)
    client.get(ME_URL, HTTP_X_WITH_SERVER_DATE="2030-01-01T09:00:00Z")

    response = client.get(ME_URL)

    assert response.status_code == 200
    assert not response.has_header("X-Server-Date")
    assert timezone.now().year < 2030


def test_a_token_past_its_expiry_at_the_simulated_date_is_refused(sandbox, home_la_org):
    _, key = ApiToken.issue(
        organisation=home_la_org, name="Expires soon", expires_at=timezone.now() + dt.timedelta(days=30)
    )
    later = (timezone.localdate() + dt.timedelta(days=60)).isoformat()

    response = client_with_token(home_la_org)
    response.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert response.get(ME_URL).status_code == 200
    assert response.get(ME_URL, HTTP_X_WITH_SERVER_DATE=later).status_code == 401


MALFORMED = ["tomorrow", "2027-02-30", "01/03/2027", "2027-03-01T25:00", "1999-12-31", ""]


@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_date_is_a_400_problem(sandbox, home_la_org, value):
    response = client_with_token(home_la_org).get(ME_URL, HTTP_X_WITH_SERVER_DATE=value)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["code"] == "invalid"
    assert "X-With-Server-Date" in error_messages(response)[0]


def test_outside_the_sandbox_the_header_is_refused(settings, home_la_org):
    settings.SANDBOX_MODE = False

    response = client_with_token(home_la_org).get(ME_URL, HTTP_X_WITH_SERVER_DATE="2027-03-01")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "sandbox_only"


def test_pages_ignore_the_header(client, sandbox):
    response = client.get(reverse("apiguide:index"), HTTP_X_WITH_SERVER_DATE="not a date")

    assert response.status_code == 200
    assert not response.has_header("X-Server-Date")


def test_a_date_alone_keeps_the_time_of_day_in_the_service_time_zone():
    now = timezone.make_aware(dt.datetime(2026, 12, 2, 14, 30))

    moment = parse_server_date("2027-06-15", now=now)

    expected = timezone.make_aware(dt.datetime(2027, 6, 15, 14, 30))
    assert timezone.localtime(moment).replace(microsecond=0) == expected


def test_a_date_and_time_without_an_offset_is_the_service_time_zone():
    assert parse_server_date("2027-06-15T09:00:00") == timezone.make_aware(dt.datetime(2027, 6, 15, 9))
    assert parse_server_date("2027-06-15T09:00:00Z") == dt.datetime(2027, 6, 15, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", ["2100-01-01", "2027-13-01", "2027-03-01T09:00:00+25:00"])
def test_out_of_range_values_are_malformed(value):
    with pytest.raises(MalformedServerDate):
        parse_server_date(value)


def test_production_settings_refuse_the_sandbox():
    result = _run(["-c", SETUP], **_production(SANDBOX_MODE="true"))

    assert result.returncode != 0
    assert "SANDBOX_MODE" in result.stderr
