"""The school list and API show open establishments; closed ones only when asked for."""

import pytest

from schools.choices import SchoolStatus
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(home_la):
    return {
        status: SchoolFactory(local_authority=home_la, status=status, name=f"{status} school")
        for status in SchoolStatus.values
    }


def listed(response) -> set[str]:
    if "object_list" in (response.context or {}):
        return {school.status for school in response.context["object_list"]}
    return {row["status"] for row in response.json()["results"]}


@pytest.mark.parametrize("url", ["/schools/", "/api/v1/schools/"])
def test_closed_establishments_are_left_out_by_default(client, national_admin, schools, url):
    client.force_login(national_admin)
    assert listed(client.get(url)) == set(SchoolStatus.values) - {SchoolStatus.CLOSED}


@pytest.mark.parametrize("url", ["/schools/?include_closed=on", "/api/v1/schools/?include_closed=true"])
def test_closed_establishments_are_listed_when_asked_for(client, national_admin, schools, url):
    client.force_login(national_admin)
    assert listed(client.get(url)) == set(SchoolStatus.values)


@pytest.mark.parametrize("url", ["/schools/?status=closed", "/api/v1/schools/?status=closed"])
def test_a_status_chosen_lists_exactly_that_status(client, national_admin, schools, url):
    client.force_login(national_admin)
    assert listed(client.get(url)) == {SchoolStatus.CLOSED}


def test_include_closed_false_in_the_api_leaves_them_out(client, national_admin, schools):
    client.force_login(national_admin)
    assert SchoolStatus.CLOSED not in listed(client.get("/api/v1/schools/?include_closed=false"))


def test_the_page_offers_the_option_as_one_checkbox(client, national_admin, schools):
    client.force_login(national_admin)
    page = client.get("/schools/?include_closed=on").content.decode()
    assert 'name="include_closed" type="checkbox" checked' in page
    assert "Include closed establishments" in page
