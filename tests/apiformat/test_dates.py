"""Date and date-time query parameters are checked before they reach a query, on every filter that
takes one: an offset PostgreSQL cannot hold, an empty value or a range given backwards is a 400 on
the parameter, never a 500 or a silently ignored filter."""

import pytest
from django.urls import reverse

from apiformat.filters import CheckedDatesFilterSet
from tests.apiclients import client_with_token, error_fields

pytestmark = pytest.mark.django_db

SUPPORT_REQUESTS = reverse("brokerage-api:support-request-list")
DEPLOYMENTS = reverse("deployments-api:deployment-list")
TRANSITIONS = reverse("deployments-api:deployment-transition-list")
CLAIMS = reverse("funding-api:claim-list")
ROUNDS = reverse("designations-api:round-list")

DATE_TIME_PARAMETERS = [
    (DEPLOYMENTS, "changed_since"),
    (TRANSITIONS, "since"),
    (CLAIMS, "submitted_since"),
    (CLAIMS, "changed_since"),
    (ROUNDS, "updated_since"),
    (SUPPORT_REQUESTS, "updated_since"),
]
DATE_PARAMETERS = [
    (SUPPORT_REQUESTS, "created_after"),
    (SUPPORT_REQUESTS, "created_before"),
    (DEPLOYMENTS, "starts_after"),
    (DEPLOYMENTS, "ends_before"),
    (CLAIMS, "period_from"),
    (CLAIMS, "period_to"),
    (ROUNDS, "open_on"),
]
RANGES = [
    (SUPPORT_REQUESTS, "created_after", "created_before"),
    (DEPLOYMENTS, "starts_after", "ends_before"),
    (CLAIMS, "period_from", "period_to"),
]


@pytest.fixture
def client(national_body):
    return client_with_token(national_body)


@pytest.mark.parametrize("url, name", DATE_TIME_PARAMETERS)
@pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+23:59"])
def test_an_offset_beyond_15_59_is_a_400(client, url, name, offset):
    response = client.get(url, {name: f"2026-01-01T00:00:00{offset}"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert error_fields(response) == {name}


@pytest.mark.parametrize("url, name", DATE_TIME_PARAMETERS)
@pytest.mark.parametrize("offset", ["+15:59", "-15:59", "Z", "+01:00"])
def test_an_offset_within_15_59_is_accepted(client, url, name, offset):
    assert client.get(url, {name: f"2026-01-01T00:00:00{offset}"}).status_code == 200


@pytest.mark.parametrize("url, name", DATE_TIME_PARAMETERS + DATE_PARAMETERS)
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_date_or_date_time_is_a_400(client, url, name, value):
    response = client.get(url, {name: value})

    assert response.status_code == 400
    assert error_fields(response) == {name}


@pytest.mark.parametrize("url, earliest, latest", RANGES)
def test_a_range_given_backwards_is_a_400_on_its_end(client, url, earliest, latest):
    response = client.get(url, {earliest: "2026-03-02", latest: "2026-03-01"})

    assert response.status_code == 400
    assert error_fields(response) == {latest}


@pytest.mark.parametrize("url, earliest, latest", RANGES)
def test_a_range_of_one_day_is_accepted(client, url, earliest, latest):
    assert client.get(url, {earliest: "2026-03-01", latest: "2026-03-01"}).status_code == 200


def test_every_api_filterset_with_a_date_checks_its_dates():
    """A new date filter on an API list is checked too: its FilterSet must be a CheckedDatesFilterSet."""
    import django_filters
    from django.urls import get_resolver

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            elif hasattr(pattern.callback, "cls"):
                yield pattern.callback.cls

    for view in set(views(get_resolver().url_patterns)):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            continue
        dated = [
            name for name, declared in filterset_class.base_filters.items()
            if isinstance(declared, (django_filters.DateFilter, django_filters.DateTimeFilter))
        ]
        if dated:
            assert issubclass(filterset_class, CheckedDatesFilterSet), (view, dated)
