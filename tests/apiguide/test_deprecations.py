"""Deprecated operations and parameters announce themselves: Deprecation (RFC 9745), Sunset
(RFC 8594) and a Link to the guidance on their answers, and deprecated: true in the schema."""

import datetime as dt

import pytest
from django.urls import reverse

from apiguide.deprecations import DEPRECATIONS, Deprecation
from apiguide.schema import api_schema
from tests.apiclients import client_with_token

pytestmark = pytest.mark.django_db

SCHOOLS = "schools-api:school-list"


@pytest.fixture
def schools_deprecated(settings):
    settings.API_DEPRECATIONS = (
        Deprecation(
            slug="schools-list", url_name=SCHOOLS, methods=frozenset({"GET"}),
            deprecated_on=dt.date(2026, 12, 1), sunset_on=dt.date(2027, 12, 31), use_instead="nothing",
        ),
        Deprecation(
            slug="schools-phase", url_name="schools-api:school-detail", methods=frozenset({"GET"}),
            deprecated_on=dt.date(2026, 12, 1), sunset_on=dt.date(2027, 12, 31), use_instead="nothing",
        ),
    )


def test_a_deprecated_operation_answers_with_the_three_headers(schools_deprecated, home_la_org):
    response = client_with_token(home_la_org).get(reverse(SCHOOLS))

    assert response.status_code == 200
    assert response["Deprecation"] == "@1796083200"  # 2026-12-01T00:00:00Z
    assert response["Sunset"] == "Fri, 31 Dec 2027 00:00:00 GMT"
    guidance = "http://testserver" + reverse("apiguide:versioning") + "#schools-list"
    assert f'<{guidance}>; rel="deprecation"; type="text/html"' in response["Link"]
    assert f'<{guidance}>; rel="sunset"' in response["Link"]


def test_the_path_without_its_slash_is_deprecated_too(schools_deprecated, home_la_org):
    response = client_with_token(home_la_org).get(reverse(SCHOOLS).rstrip("/"))

    assert response.has_header("Deprecation")


def test_a_detail_route_is_matched_with_its_arguments(schools_deprecated, home_la_org, home_school):
    url = reverse("schools-api:school-detail", args=[home_school.urn])
    response = client_with_token(home_la_org).get(url)

    assert response["Link"].endswith('#schools-phase>; rel="sunset"; type="text/html"')


def test_other_operations_and_methods_carry_no_deprecation(schools_deprecated, home_la_org):
    client = client_with_token(home_la_org)

    assert not client.get(reverse("brokerage-api:me")).has_header("Deprecation")
    assert not client.post(reverse(SCHOOLS), {}).has_header("Deprecation")


def test_an_unauthenticated_answer_of_a_deprecated_operation_says_so_too(schools_deprecated, client):
    response = client.get(reverse(SCHOOLS))

    assert response.status_code == 401
    assert response.has_header("Sunset")


def test_the_transitions_feed_is_deprecated_for_the_change_feed(home_la_org):
    response = client_with_token(home_la_org).get(reverse("deployments-api:deployment-transition-list"))

    assert response.status_code == 200
    assert response["Sunset"] == "Fri, 31 Dec 2027 00:00:00 GMT"
    assert "#deployment-transitions-feed>" in response["Link"]


@pytest.mark.parametrize("url_name", ["deployments-api:deployment-list", "funding-api:claim-list"])
def test_changed_since_is_deprecated_only_when_it_is_sent(home_la_org, url_name):
    client = client_with_token(home_la_org)

    with_it = client.get(reverse(url_name), {"changed_since": "2026-09-01T00:00:00Z"})
    without_it = client.get(reverse(url_name), {"updated_since": "2026-09-01T00:00:00Z"})

    assert with_it.status_code == 200 and with_it.has_header("Deprecation")
    assert without_it.status_code == 200 and not without_it.has_header("Deprecation")


def test_the_schema_marks_what_is_deprecated():
    paths = api_schema()["paths"]

    for deprecation in DEPRECATIONS:
        operation = paths[deprecation.path]["get"]
        if deprecation.parameter:
            parameter = next(p for p in operation["parameters"] if p["name"] == deprecation.parameter)
            assert parameter["deprecated"] is True
        else:
            assert operation["deprecated"] is True
