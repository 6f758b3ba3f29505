import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind
from schools.choices import Framework, Grade, JudgementArea, Phase
from schools.models import EstablishmentLink

from ..apiclients import error_fields, error_messages
from ..factories import (
    ApiTokenFactory,
    InspectionFactory,
    JudgementFactory,
    OrganisationFactory,
    SchoolFactory,
    TrustFactory,
    graded_inspection,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("schools-api:school-list")


def detail_url(urn: int) -> str:
    return reverse("schools-api:school-detail", kwargs={"urn": urn})


def client_with_token(organisation) -> APIClient:
    _, key = ApiTokenFactory.create(organisation)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_la_client(home_la_org):
    return client_with_token(home_la_org)


@pytest.fixture
def national_client(national_body):
    return client_with_token(national_body)


def urns(response) -> set[int]:
    return {row["urn"] for row in response.json()["results"]}


# Authentication


def test_request_without_a_token_is_refused_with_401_and_a_token_challenge(home_school):
    response = APIClient().get(LIST_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_request_with_an_unknown_token_is_refused_with_401(home_school):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")

    assert client.get(LIST_URL).status_code == 401


def test_request_with_a_revoked_token_is_refused_with_401(home_la_org, home_school):
    token, key = ApiTokenFactory.create(home_la_org)
    token.revoke()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get(LIST_URL)

    assert response.status_code == 401
    assert error_messages(response) == ["Invalid or revoked token."]


def test_token_of_a_deactivated_organisation_is_refused_with_401(home_la_org, home_school):
    client = client_with_token(home_la_org)
    home_la_org.is_active = False
    home_la_org.save()

    assert client.get(LIST_URL).status_code == 401


def test_using_a_token_records_when_it_was_last_used(home_la_org, home_school):
    token, key = ApiTokenFactory.create(home_la_org)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    client.get(LIST_URL)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_signed_in_person_may_use_the_api_with_their_session(client, la_officer, home_school, other_school):
    client.force_login(la_officer)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert urns(response) == {home_school.urn}


def test_the_api_is_read_only(home_la_client, home_school):
    assert home_la_client.post(LIST_URL, {"name": "New"}, format="json").status_code == 405
    assert home_la_client.delete(detail_url(home_school.urn)).status_code == 405


# Visibility


def test_local_authority_token_lists_only_its_own_schools(home_la_client, home_school, other_school):
    response = home_la_client.get(LIST_URL)

    assert response.status_code == 200
    assert urns(response) == {home_school.urn}
    assert response.json()["count"] == 1


def test_local_authority_token_gets_404_for_another_authoritys_school(home_la_client, other_school):
    response = home_la_client.get(detail_url(other_school.urn))

    assert response.status_code == 404


def test_local_authority_token_reads_its_own_school(home_la_client, home_school):
    response = home_la_client.get(detail_url(home_school.urn))

    assert response.status_code == 200
    assert response.json()["urn"] == home_school.urn


def test_national_body_token_sees_every_school(national_client, home_school, other_school):
    response = national_client.get(LIST_URL)

    assert urns(response) == {home_school.urn, other_school.urn}
    assert national_client.get(detail_url(other_school.urn)).status_code == 200


def test_trust_token_sees_only_the_trusts_schools(home_la):
    trust = TrustFactory()
    academy = SchoolFactory(local_authority=home_la, trust=trust)
    SchoolFactory(local_authority=home_la)
    client = client_with_token(
        OrganisationFactory(kind=OrganisationKind.ACADEMY_TRUST, name=trust.name, trust=trust)
    )

    assert urns(client.get(LIST_URL)) == {academy.urn}


@pytest.mark.parametrize("urn", ["not-a-urn", "-1", "99999999999999999999"])
def test_malformed_or_unknown_urn_is_404_not_an_error(national_client, urn):
    response = national_client.get(f"{LIST_URL}{urn}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


# Representation


def test_list_row_describes_the_school_and_its_latest_inspection(national_client, home_la):
    trust = TrustFactory(code="16001", name="Broadland Learning Trust")
    school = SchoolFactory(
        urn=121000, name="Acle Academy", local_authority=home_la, phase=Phase.SECONDARY,
        type_name="Academy converter", postcode="NR13 3ER", easting=640000, northing=310000,
        trust=trust,
    )
    graded_inspection(school, Grade.GOOD, on=datetime.date(2024, 3, 5))

    row = national_client.get(LIST_URL).json()["results"][0]

    assert row == {
        "url": f"http://testserver{detail_url(121000)}",
        "urn": 121000,
        "name": "Acle Academy",
        "local_authority": {"code": "926", "name": "Norfolk"},
        "phase": "secondary",
        "type": "Academy converter",
        "status": "open",
        "postcode": "NR13 3ER",
        "easting": 640000,
        "northing": 310000,
        "trust": {"code": "16001", "name": "Broadland Learning Trust"},
        "latest_inspection": {
            "framework": "graded",
            "start_date": "2024-03-05",
            "headline": "Good",
            "overall_grade": "good",
        },
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def test_school_never_inspected_has_no_latest_inspection(national_client, home_school):
    row = national_client.get(LIST_URL).json()["results"][0]

    assert row["latest_inspection"] is None
    assert row["trust"] is None


def test_report_card_inspection_has_a_headline_but_no_overall_grade(national_client, home_school):
    inspection = InspectionFactory(school=home_school, framework=Framework.REPORT_CARD)
    home_school.latest_inspection = inspection
    home_school.save()

    summary = national_client.get(LIST_URL).json()["results"][0]["latest_inspection"]

    assert summary["framework"] == "report_card"
    assert summary["overall_grade"] is None
    assert summary["headline"] == "Report card (no overall grade)"


def test_detail_adds_facts_inspections_with_judgements_and_links(national_client, home_school):
    home_school.number_of_pupils = 321
    home_school.save()
    older = graded_inspection(home_school, Grade.REQUIRES_IMPROVEMENT, on=datetime.date(2019, 1, 8))
    latest = graded_inspection(home_school, Grade.GOOD, on=datetime.date(2023, 6, 1))
    JudgementFactory(inspection=latest, area=JudgementArea.SAFEGUARDING, grade=Grade.MET)
    EstablishmentLink.objects.create(
        urn=home_school.urn, linked_urn=100001, linked_name="Old Infant School", link_type="Predecessor"
    )
    EstablishmentLink.objects.create(
        urn=home_school.urn, linked_urn=100002, linked_name="New Academy", link_type="Successor"
    )

    body = national_client.get(detail_url(home_school.urn)).json()

    assert body["number_of_pupils"] == 321
    assert body["town"] == home_school.town
    assert [i["start_date"] for i in body["inspections"]] == [
        latest.start_date.isoformat(), older.start_date.isoformat(),
    ]
    assert body["inspections"][0]["judgements"] == [
        {"area": "overall_effectiveness", "grade": "good"},
        {"area": "safeguarding", "grade": "met"},
    ]
    assert [link["urn"] for link in body["predecessors"]] == [100001]
    assert [link["name"] for link in body["successors"]] == ["New Academy"]
    assert body["other_links"] == []


# Filters (the same FilterSet as the HTML list)


def test_phase_filter(national_client, home_la):
    primary = SchoolFactory(local_authority=home_la, phase=Phase.PRIMARY)
    secondary = SchoolFactory(local_authority=home_la, phase=Phase.SECONDARY)

    assert urns(national_client.get(LIST_URL, {"phase": "secondary"})) == {secondary.urn}
    assert urns(national_client.get(f"{LIST_URL}?phase=primary&phase=secondary")) == {
        primary.urn, secondary.urn,
    }


def test_free_text_search_matches_name_or_urn(national_client, home_la):
    acle = SchoolFactory(local_authority=home_la, name="Acle St Edmund Primary")
    other = SchoolFactory(local_authority=home_la, name="Blofield Primary")

    assert urns(national_client.get(LIST_URL, {"q": "acle"})) == {acle.urn}
    assert urns(national_client.get(LIST_URL, {"q": str(other.urn)})) == {other.urn}


def test_local_authority_filter_by_code(national_client, home_school, other_school):
    assert urns(national_client.get(LIST_URL, {"local_authority": "935"})) == {other_school.urn}


def test_filters_narrow_but_never_widen_a_tokens_view(home_la_client, home_school, other_school):
    assert urns(home_la_client.get(LIST_URL, {"local_authority": "935"})) == set()


@pytest.mark.parametrize(
    "query", [{"phase": "kindergarten"}, {"local_authority": "000"}, {"ofsted_grade": "superb"}]
)
def test_invalid_filter_value_is_a_400_naming_the_field(national_client, home_school, query):
    response = national_client.get(LIST_URL, query)

    assert response.status_code == 400
    assert error_fields(response) == set(query)


@pytest.mark.parametrize("query", ["q=acle&q=", "local_authority=926&local_authority=935", "page=1&page=2"])
def test_repeating_a_single_value_parameter_is_a_400(national_client, home_school, query):
    response = national_client.get(f"{LIST_URL}?{query}")

    assert response.status_code == 400
    assert error_fields(response) == {query.split("=")[0]}
    assert error_messages(response) == ["Give this parameter once."]


# Pagination


def test_page_size_is_capped_at_200(national_client, home_la):
    SchoolFactory.create_batch(205, local_authority=home_la)

    body = national_client.get(LIST_URL, {"page_size": 1000}).json()

    assert body["count"] == 205
    assert len(body["results"]) == 200
    assert body["next"] is not None


def test_default_page_holds_50_schools(national_client, home_la):
    SchoolFactory.create_batch(51, local_authority=home_la)

    assert len(national_client.get(LIST_URL).json()["results"]) == 50


@pytest.mark.parametrize("page", ["5", "0", "", "abc"])
def test_page_past_the_end_or_malformed_is_a_404(national_client, home_school, page):
    assert national_client.get(LIST_URL, {"page": page}).status_code == 404


@pytest.mark.parametrize("page_size", ["0", "-3", "", "ten", "²"])
def test_malformed_page_size_is_a_400_naming_the_parameter(national_client, home_school, page_size):
    response = national_client.get(LIST_URL, {"page_size": page_size})

    assert response.status_code == 400
    assert error_fields(response) == {"page_size"}
    assert error_messages(response) == ["Give a whole number of at least 1."]


# Cost


def _list_query_count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, {"page_size": 200})
    assert response.status_code == 200
    return len(queries)


def _inspected_schools(count: int, local_authority) -> None:
    trust = TrustFactory()
    for school in SchoolFactory.create_batch(count, local_authority=local_authority, trust=trust):
        inspection = graded_inspection(school, Grade.GOOD)
        JudgementFactory(inspection=inspection, area=JudgementArea.SAFEGUARDING, grade=Grade.MET)


def test_list_costs_the_same_number_of_queries_for_10_and_200_schools(national_client, home_la):
    national_client.get(LIST_URL)  # the first use of a token also records when it was used
    _inspected_schools(10, home_la)
    with_ten = _list_query_count(national_client)

    _inspected_schools(190, home_la)
    with_two_hundred = _list_query_count(national_client)

    assert with_ten == with_two_hundred


# Throttling


def test_a_token_over_its_rate_gets_429(settings, home_la_org, home_school):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "2/minute"}}
    client = client_with_token(home_la_org)

    statuses = [client.get(LIST_URL).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert "Retry-After" in client.get(LIST_URL)


def test_each_token_has_its_own_allowance(settings, home_la_org, home_school):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1/minute"}}
    first, second = client_with_token(home_la_org), client_with_token(home_la_org)

    assert first.get(LIST_URL).status_code == 200
    assert first.get(LIST_URL).status_code == 429
    assert second.get(LIST_URL).status_code == 200
