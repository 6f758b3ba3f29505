"""Keeping a copy in sync: every API list says when each row was created and last updated, takes
``updated_since`` (inclusive) and ``sort``, and refuses unknown parameters and malformed values."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.urls import reverse

from deployments.choices import DeploymentState
from deployments.models import DeploymentTransition
from designations.models import DesignationType
from tests.apiclients import client_for, client_with_token, error_fields
from tests.factories import SchoolFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import DeploymentFactory
from tests.factories.designations import (
    ApplicationFactory,
    ApplicationRoundFactory,
    DesignationFactory,
    DesignationTypeFactory,
)
from tests.factories.funding import ClaimSetting, make_claim

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
FIRST = datetime.datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=datetime.UTC)
SECOND = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def two_transitions():
    deployment = DeploymentFactory()
    return [
        DeploymentTransition.objects.create(
            deployment=deployment, from_state=DeploymentState.PROPOSED, to_state=to_state
        )
        for to_state in (DeploymentState.AGREED, DeploymentState.ACTIVE)
    ]


def two_claims():
    setting = ClaimSetting.create()
    days = [entry.worked_on for entry in setting.log_days(2)]
    return [make_claim(setting, period_start=day, period_end=day) for day in days]


@dataclass
class Listing:
    url_name: str
    make_two: Callable[[], list]
    key: str = "id"

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def __str__(self) -> str:
        return self.url_name


LISTS = [
    Listing("schools-api:school-list", lambda: SchoolFactory.create_batch(2), key="urn"),
    Listing(
        "designations-api:designation-type-list", lambda: DesignationTypeFactory.create_batch(2), key="code"
    ),
    Listing("designations-api:round-list", lambda: ApplicationRoundFactory.create_batch(2)),
    Listing("designations-api:designation-list", lambda: DesignationFactory.create_batch(2)),
    Listing("designations-api:application-list", lambda: ApplicationFactory.create_batch(2)),
    Listing("brokerage-api:support-request-list", lambda: SupportRequestFactory.create_batch(2)),
    Listing("deployments-api:deployment-list", lambda: DeploymentFactory.create_batch(2)),
    Listing("deployments-api:deployment-transition-list", two_transitions),
    Listing("funding-api:claim-list", two_claims),
]


@pytest.fixture(params=LISTS, ids=str)
def listing(request) -> Listing:
    return request.param


@pytest.fixture
def two_rows(listing: Listing) -> list:
    """Two rows of the list, updated at FIRST and SECOND; every other row of its model long ago."""
    rows = listing.make_two()
    model = type(rows[0])
    model.objects.update(updated_at=LONG_AGO)
    for row, moment in zip(rows, (FIRST, SECOND), strict=True):
        model.objects.filter(pk=row.pk).update(updated_at=moment)
    return rows


def keys(response, listing: Listing) -> list:
    assert response.status_code == 200, response.json()
    return [row[listing.key] for row in response.json()["results"]]


def listed(client, listing: Listing, **params) -> list:
    return keys(client.get(listing.url, params), listing)


def key_of(row, listing: Listing):
    return getattr(row, listing.key) if listing.key != "id" else row.pk


def test_every_list_row_says_when_it_was_created_and_updated(listing, two_rows, national_admin):
    response = client_for(national_admin).get(listing.url, {"updated_since": FIRST.isoformat()})
    listed = {row[listing.key]: row for row in response.json()["results"]}
    assert set(listed) == {key_of(row, listing) for row in two_rows}
    newer = listed[key_of(two_rows[1], listing)]
    assert newer["updated_at"].startswith("2026-03-02T09:00:00")
    assert newer["created_at"]


def test_updated_since_is_inclusive(listing, two_rows, national_admin):
    client = client_for(national_admin)
    first, second = (key_of(row, listing) for row in two_rows)
    just_after = SECOND + datetime.timedelta(microseconds=1)
    assert set(listed(client, listing, updated_since=FIRST.isoformat())) == {first, second}
    assert listed(client, listing, updated_since=SECOND.isoformat()) == [second]
    assert listed(client, listing, updated_since=just_after.isoformat()) == []


def test_updated_since_takes_any_offset_and_means_the_same_moment(listing, two_rows, national_admin):
    in_paris = SECOND.astimezone(datetime.timezone(datetime.timedelta(hours=1))).isoformat()
    response = client_for(national_admin).get(listing.url, {"updated_since": in_paris})
    assert keys(response, listing) == [key_of(two_rows[1], listing)]


def test_sort_orders_by_updated_at_either_way(listing, two_rows, national_admin):
    client = client_for(national_admin)
    first, second = (key_of(row, listing) for row in two_rows)
    since = FIRST.isoformat()
    assert listed(client, listing, sort="updated_at", updated_since=since) == [first, second]
    assert listed(client, listing, sort="-updated_at", updated_since=since) == [second, first]


def test_sort_breaks_ties_by_id_so_pages_are_stable(listing, two_rows, national_admin):
    model = type(two_rows[0])
    model.objects.filter(pk__in=[row.pk for row in two_rows]).update(updated_at=SECOND)
    client = client_for(national_admin)
    since = SECOND.isoformat()
    ascending = listed(client, listing, sort="updated_at", updated_since=since)
    descending = listed(client, listing, sort="-updated_at", updated_since=since)
    by_id = sorted(two_rows, key=lambda row: row.pk)
    assert ascending == [key_of(row, listing) for row in by_id]
    assert descending == list(reversed(ascending))
    paged = [
        key for page in (1, 2)
        for key in listed(client, listing, sort="updated_at", updated_since=since, page_size=1, page=page)
    ]
    assert paged == ascending


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("updated_since", "2099-13-01T00:00:00Z"),
        ("updated_since", "yesterday"),
        ("updated_since", "9999-12-31T23:59:59-10:00"),
        ("sort", "name"),
        ("sort", "updated"),
        ("foo", "1"),
        ("updated_sinse", "2026-01-01T00:00:00Z"),
    ],
)
def test_a_malformed_value_or_an_unknown_parameter_is_a_400_naming_it(
    listing, national_admin, parameter, value
):
    response = client_for(national_admin).get(listing.url, {parameter: value})
    assert response.status_code == 400, response.json()
    assert parameter in error_fields(response)


def test_the_pagination_and_format_parameters_are_still_known(listing, national_admin):
    response = client_for(national_admin).get(listing.url, {"page": 1, "page_size": 5, "format": "json"})
    assert response.status_code == 200, response.json()


def test_a_token_filters_and_sorts_too(home_la_org):
    schools = SchoolFactory.create_batch(2, local_authority=home_la_org.local_authority)
    for school, moment in zip(schools, (FIRST, SECOND), strict=True):
        type(school).objects.filter(pk=school.pk).update(updated_at=moment)
    client = client_with_token(home_la_org)
    response = client.get(
        reverse("schools-api:school-list"), {"updated_since": FIRST.isoformat(), "sort": "-updated_at"}
    )
    assert [row["urn"] for row in response.json()["results"]] == [schools[1].urn, schools[0].urn]


def test_a_future_updated_since_lists_nothing_rather_than_everything(national_admin):
    DesignationType.objects.update(updated_at=LONG_AGO)
    response = client_for(national_admin).get(
        reverse("designations-api:designation-type-list"), {"updated_since": "2099-01-01T00:00:00Z"}
    )
    assert response.json()["results"] == []


def test_the_schema_documents_updated_since_as_a_date_time_and_sort_as_a_choice(client, national_admin):
    client.force_login(national_admin)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path in (
        "/api/v1/schools/", "/api/v1/applications/", "/api/v1/designation-types/", "/api/v1/rounds/"
    ):
        parameters = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}
        assert parameters["updated_since"]["format"] == "date-time"
        assert set(parameters["sort"]["enum"]) >= {"updated_at", "-updated_at"}
