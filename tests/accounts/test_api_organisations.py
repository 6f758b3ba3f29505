"""The organisations API: every active organisation, filtered by kind and local authority, with
nothing about the people who work there."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind
from tests.apiclients import client_with_token, error_fields, ids
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("accounts-api:organisation-list")


@pytest.fixture
def organisations(home_la_org, other_la_org, teaching_school_org, national_body):
    inactive = OrganisationFactory(kind=OrganisationKind.AGENCY, is_active=False)
    return {"inactive": inactive}


def test_a_token_lists_every_active_organisation(home_la_org, organisations, other_la_org, national_body):
    response = client_with_token(home_la_org).get(LIST_URL)

    assert response.status_code == 200
    listed = ids(response)
    assert {home_la_org.pk, other_la_org.pk, national_body.pk} <= listed
    assert organisations["inactive"].pk not in listed


def test_organisations_carry_no_email_or_people(home_la_org, organisations):
    home_la_org.email = "team@norfolk.example"
    home_la_org.save()

    response = client_with_token(home_la_org).get(LIST_URL)

    assert "norfolk.example" not in response.content.decode()
    assert set(response.json()["results"][0]) == {
        "url", "id", "name", "kind", "local_authority", "school_urn", "trust_code", "diocese_code",
    }


def test_filter_by_kind(home_la_org, organisations, teaching_school_org):
    response = client_with_token(home_la_org).get(LIST_URL, {"kind": "teaching_school"})

    assert ids(response) == {teaching_school_org.pk}


def test_filter_by_local_authority(home_la_org, organisations, teaching_school_org):
    response = client_with_token(home_la_org).get(LIST_URL, {"local_authority": "926"})

    assert ids(response) == {home_la_org.pk, teaching_school_org.pk}


@pytest.mark.parametrize(("parameter", "value"), [("kind", "nonsense"), ("local_authority", "999")])
def test_an_unknown_filter_value_is_a_field_error(home_la_org, parameter, value):
    response = client_with_token(home_la_org).get(LIST_URL, {parameter: value})

    assert response.status_code == 400
    assert parameter in error_fields(response)


def test_one_organisation(home_la_org, teaching_school_org):
    response = client_with_token(home_la_org).get(
        reverse("accounts-api:organisation-detail", args=[teaching_school_org.pk])
    )

    assert response.status_code == 200
    assert response.json()["school_urn"] == teaching_school_org.school.urn
    assert response.json()["local_authority"]["code"] == "926"


def test_an_inactive_organisation_is_not_found(home_la_org, organisations):
    url = reverse("accounts-api:organisation-detail", args=[organisations["inactive"].pk])

    assert client_with_token(home_la_org).get(url).status_code == 404


def test_organisations_need_a_token():
    assert APIClient().get(LIST_URL).status_code == 401


@pytest.mark.parametrize("extra", [0, 20])
def test_the_list_costs_the_same_queries_at_any_size(home_la_org, extra, django_assert_max_num_queries):
    OrganisationFactory.create_batch(extra)
    client = client_with_token(home_la_org)
    with django_assert_max_num_queries(5):
        assert client.get(LIST_URL).status_code == 200
