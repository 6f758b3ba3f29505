"""A boolean query parameter is true or false, as the schema's ``type: boolean`` says: any other
value is a 400 on it, never read as "not given" (which would list every row)."""

import pytest
from django.urls import reverse

from tests.apiclients import client_with_token, error_fields

pytestmark = pytest.mark.django_db

BOOLEAN_PARAMETERS = [
    (reverse("schools-api:school-list"), "include_closed"),
    (reverse("designations-api:round-list"), "open"),
]


@pytest.fixture
def client(national_body):
    return client_with_token(national_body)


@pytest.mark.parametrize("url, name", BOOLEAN_PARAMETERS)
@pytest.mark.parametrize("value", ["AAA", "", "yes", "on", "1", "True"])
def test_a_boolean_parameter_other_than_true_or_false_is_a_400(client, url, name, value):
    response = client.get(url, {name: value})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert error_fields(response) == {name}


@pytest.mark.parametrize("url, name", BOOLEAN_PARAMETERS)
@pytest.mark.parametrize("value", ["true", "false"])
def test_true_and_false_are_taken(client, url, name, value):
    assert client.get(url, {name: value}).status_code == 200


def test_the_schools_page_still_takes_its_checkbox(client, national_admin):
    from django.test import Client

    page = Client()
    page.force_login(national_admin)
    assert page.get("/schools/", {"include_closed": "on"}).status_code == 200
