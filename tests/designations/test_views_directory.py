import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designations.choices import DesignationStatus
from schools.choices import Phase
from tests.factories import SchoolFactory, UserFactory
from tests.factories.designations import (
    DesignationFactory,
    DesignationStatusChangeFactory,
    ReviewFactory,
    SpecialismFactory,
    TrainingRecordFactory,
    TrainingRequirementFactory,
)

pytestmark = pytest.mark.django_db

DIRECTORY_URL = reverse("designations:designation-list")
MINE_URL = reverse("designations:mine")
PERSONAS = [
    "national_admin", "la_officer", "teaching_school_lead", "school_leader", "commissioner", "associate",
    "outsider",
]


def signed_in(client, request, persona: str):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", ["designation-list", "mine", "type-list", "round-list"])
def test_everyone_signed_in_can_open_the_shared_pages(client, request, persona, url_name):
    signed_in(client, request, persona)
    assert client.get(reverse(f"designations:{url_name}")).status_code == 200


@pytest.mark.parametrize("url_name", ["designation-list", "mine", "type-list", "round-list"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url_name):
    response = client.get(reverse(f"designations:{url_name}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_the_directory_lists_holder_type_school_specialisms_and_availability(client, outsider):
    designation = DesignationFactory(
        holder=UserFactory(full_name="Priya Shah"), school=SchoolFactory(name="Cromer Academy"),
        availability_days_per_week="1.5",
    )
    designation.specialisms.add(SpecialismFactory(slug="send"))
    client.force_login(outsider)
    page = client.get(DIRECTORY_URL).content.decode()
    expected = ("Priya Shah", "Cromer Academy", designation.designation_type.code, "SEND", "1.5 days a week")
    for text in expected:
        assert text in page


def test_the_directory_filters_by_phase_and_shows_an_empty_state(client, outsider):
    DesignationFactory(
        holder=UserFactory(full_name="Primary Head"), school=SchoolFactory(phase=Phase.PRIMARY)
    )
    client.force_login(outsider)
    page = client.get(DIRECTORY_URL, {"phase": "secondary"}).content.decode()
    assert "Primary Head" not in page
    assert "No designations match your filters" in page


def test_a_bad_postcode_is_shown_as_a_field_error(client, outsider):
    client.force_login(outsider)
    response = client.get(DIRECTORY_URL, {"near": "not a postcode"})
    assert response.status_code == 200
    assert "Enter a real postcode" in response.content.decode()


def test_people_outside_the_designating_body_do_not_see_suspended_designations(client, outsider):
    suspended = DesignationFactory(
        holder=UserFactory(full_name="Hidden Holder"), status=DesignationStatus.SUSPENDED
    )
    client.force_login(outsider)
    assert "Hidden Holder" not in client.get(DIRECTORY_URL).content.decode()
    detail_url = reverse("designations:designation-detail", kwargs={"pk": suspended.pk})
    assert client.get(detail_url).status_code == 404


def _directory_queries(client, count: int) -> int:
    specialism = SpecialismFactory()
    for _ in range(count):
        DesignationFactory().specialisms.add(specialism)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DIRECTORY_URL)
    assert response.status_code == 200
    return len(queries)


def test_the_directory_costs_the_same_queries_for_10_and_100_designations(client, outsider):
    client.force_login(outsider)
    small = _directory_queries(client, 10)
    large = _directory_queries(client, 90)
    assert small == large


def test_the_designation_page_shows_training_reviews_and_status_history(client, outsider):
    designation = DesignationFactory(training_completed_on=None)
    TrainingRecordFactory(designation=designation, requirement__name="Coaching day")
    TrainingRequirementFactory(designation_type=designation.designation_type, name="Safeguarding")
    ReviewFactory(designation=designation, notes="Going well")
    DesignationStatusChangeFactory(
        designation=designation, from_status=DesignationStatus.SUSPENDED, to_status=DesignationStatus.ACTIVE,
        reason="Concerns resolved",
    )
    client.force_login(outsider)
    detail_url = reverse("designations:designation-detail", kwargs={"pk": designation.pk})
    page = client.get(detail_url).content.decode()
    for text in ("Coaching day", "Safeguarding", "Not until the required training is recorded", "Going well",
                 "Concerns resolved"):
        assert text in page


def test_a_holder_updates_their_specialisms_and_availability(client, outsider):
    designation = DesignationFactory(holder=outsider)
    send = SpecialismFactory(slug="send")
    client.force_login(outsider)
    url = reverse("designations:mine-update", kwargs={"pk": designation.pk})
    response = client.post(url, {"specialisms": [send.pk], "availability_days_per_week": "2.5",
                                 "availability_notes": "Not in July"})
    assert response.status_code == 302
    designation.refresh_from_db()
    assert list(designation.specialisms.all()) == [send]
    assert str(designation.availability_days_per_week) == "2.5"
    assert "Not in July" in client.get(MINE_URL).content.decode()


@pytest.mark.parametrize(
    ("days", "message"),
    [("1.25", "Days a week must be between 0 and 5, in half days"),
     ("6", "Days a week must be between 0 and 5, in half days"),
     ("-1", "Days a week must be between 0 and 5, in half days"),
     ("99.99", "Days a week must be between 0 and 5, in half days"),
     ("lots", "Days a week must be a number"), ("", "Enter the days a week you can give")],
)
def test_availability_errors_are_shown_on_the_field(client, outsider, days, message):
    designation = DesignationFactory(holder=outsider, availability_days_per_week="1")
    client.force_login(outsider)
    url = reverse("designations:mine-update", kwargs={"pk": designation.pk})
    response = client.post(url, {"availability_days_per_week": days})
    assert response.status_code == 200
    assert message in response.context["form"].errors["availability_days_per_week"][0]
    designation.refresh_from_db()
    assert str(designation.availability_days_per_week) == "1.0"


def test_nobody_else_can_change_a_holders_details(client, la_officer):
    designation = DesignationFactory()
    client.force_login(la_officer)
    url = reverse("designations:mine-update", kwargs={"pk": designation.pk})
    assert client.post(url, {"availability_days_per_week": "5"}).status_code == 404


def test_an_ended_designation_can_no_longer_be_changed_by_its_holder(client, outsider):
    designation = DesignationFactory(holder=outsider, status=DesignationStatus.DE_DESIGNATED)
    client.force_login(outsider)
    url = reverse("designations:mine-update", kwargs={"pk": designation.pk})
    assert client.get(url).status_code == 403
