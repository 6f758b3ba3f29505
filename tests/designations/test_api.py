import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from designations.choices import DesignationStatus
from schools.choices import Phase
from schools.models import OutwardCode
from tests.apiclients import error_fields
from tests.factories import ApiTokenFactory, SchoolFactory, UserFactory
from tests.factories.designations import (
    ApplicationFactory,
    ApplicationRoundFactory,
    CriterionFactory,
    DesignationFactory,
    DesignationTypeFactory,
    LeadershipPostFactory,
    RefereeRequestFactory,
    SpecialismFactory,
)

pytestmark = pytest.mark.django_db

DESIGNATIONS_URL = reverse("designations-api:designation-list")
ROUNDS_URL = reverse("designations-api:round-list")
TYPES_URL = reverse("designations-api:designation-type-list")
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def client_with_token(organisation) -> APIClient:
    _, key = ApiTokenFactory.create(organisation)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def partner(home_la_org):
    return client_with_token(home_la_org)


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_the_directory_needs_a_token_or_a_session():
    assert APIClient().get(DESIGNATIONS_URL).status_code == 401


def test_partners_see_only_name_school_type_specialisms_status_and_availability(partner):
    holder = UserFactory(full_name="Priya Shah", email="priya@school.example.org")
    designation = DesignationFactory(holder=holder, availability_days_per_week="1.5")
    designation.specialisms.add(SpecialismFactory(slug="numeracy-coaching", name="Numeracy coaching"))
    LeadershipPostFactory(person=holder, school=designation.school)
    application = ApplicationFactory(applicant=holder, referee_email="ref@la.example.org")
    RefereeRequestFactory(application=application)

    response = partner.get(DESIGNATIONS_URL)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert set(row) == {
        "id", "holder_name", "school", "designation_type", "specialisms", "status", "designated_on",
        "availability_days_per_week", "created_at", "updated_at",
    }
    assert set(row["school"]) == {"urn", "name", "local_authority"}
    assert row["holder_name"] == "Priya Shah"
    assert row["specialisms"] == [{"slug": "numeracy-coaching", "name": "Numeracy coaching"}]
    assert row["availability_days_per_week"] == 1.5
    body = response.content.decode()
    for secret in ("priya@school.example.org", "ref@la.example.org", "Robin Referee", "statement"):
        assert secret not in body


def test_partners_see_active_designations_only_unless_they_made_them(partner, home_la_org):
    active = DesignationFactory()
    DesignationFactory(status=DesignationStatus.SUSPENDED)
    own_lapsed = DesignationFactory(designating_organisation=home_la_org, status=DesignationStatus.LAPSED)
    assert ids(partner.get(DESIGNATIONS_URL)) == {active.pk, own_lapsed.pk}


def test_the_directory_filters_like_the_page(partner):
    OutwardCode.objects.create(code="NR1", easting=623000, northing=308000)
    send = SpecialismFactory(slug="send", name="SEND")
    wanted = DesignationFactory(
        designation_type=DesignationTypeFactory(code="DLE"),
        school=SchoolFactory(phase=Phase.SECONDARY, easting=623500, northing=308000),
    )
    wanted.specialisms.add(send)
    DesignationFactory(school=SchoolFactory(phase=Phase.SECONDARY, easting=623500, northing=308000))
    far = DesignationFactory(
        designation_type=wanted.designation_type,
        school=SchoolFactory(phase=Phase.SECONDARY, easting=700000, northing=308000),
    )
    far.specialisms.add(send)

    response = partner.get(
        DESIGNATIONS_URL,
        {
            "designation_type": "DLE", "specialism": "send", "phase": "secondary", "near": "NR1",
            "within_km": 5,
        },
    )

    assert response.status_code == 200
    assert ids(response) == {wanted.pk}


@pytest.mark.parametrize(
    "params",
    [{"near": "nowhere"}, {"near_school": "999999"}, {"designation_type": "NOPE"}, {"within_km": "0"}],
)
def test_bad_filters_are_a_400_naming_the_parameter(partner, params):
    response = partner.get(DESIGNATIONS_URL, params)
    assert response.status_code == 400
    assert error_fields(response) == set(params)


def _directory_queries(client, count: int) -> int:
    specialism = SpecialismFactory()
    for _ in range(count):
        DesignationFactory().specialisms.add(specialism)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DESIGNATIONS_URL, {"page_size": 100} if count > 50 else {})
    assert response.status_code == 200
    return len(queries)


def test_directory_query_count_does_not_grow_with_the_number_of_designations(home_la_org, national_body):
    small = _directory_queries(client_with_token(home_la_org), 10)
    large = _directory_queries(client_with_token(national_body), 100)
    assert small == large


def test_designation_types_show_terms_training_and_active_criteria(partner):
    retired = CriterionFactory(label="Old rule", is_active=False)
    CriterionFactory(designation_type=retired.designation_type, label="Five years as head")
    url = reverse("designations-api:designation-type-detail", kwargs={"code": retired.designation_type.code})
    response = partner.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["criteria"] == [{"label": "Five years as head", "kind": "evidence"}]
    assert {"term_months", "review_interval_months", "brokering_rule", "training_requirements"} <= set(body)


def test_seeded_types_are_listed_with_a_fixed_number_of_queries(partner):
    partner.get(TYPES_URL)
    with CaptureQueriesContext(connection) as few:
        response = partner.get(TYPES_URL)
    codes = {row["code"] for row in response.json()["results"]}
    assert {"SLE", "LLE", "NLE", "NLG", "TS"} <= codes
    DesignationTypeFactory.create_batch(5)
    with CaptureQueriesContext(connection) as more:
        partner.get(TYPES_URL)
    assert len(few) == len(more)


def test_rounds_can_be_limited_to_those_open_today(partner):
    open_now = ApplicationRoundFactory()
    ApplicationRoundFactory(closes_on=TODAY - datetime.timedelta(days=1))
    everything = partner.get(ROUNDS_URL).json()["results"]
    open_only = partner.get(ROUNDS_URL, {"open": "true"}).json()["results"]
    assert len(everything) == 2
    assert [row["id"] for row in open_only] == [open_now.pk]
    assert open_only[0]["is_open"] is True


def test_a_signed_in_person_can_use_the_api_with_their_session(client, outsider):
    DesignationFactory()
    client.force_login(outsider)
    assert client.get(DESIGNATIONS_URL).status_code == 200
