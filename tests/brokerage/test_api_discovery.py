"""Finding one's way in the API: the root lists every resource, /me/ says who the caller is and what
it may do, and a teaching school's token sees the alliance schools it may commission for."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind
from accounts.models import ApiToken
from config.api import API_RESOURCES
from tests.apiclients import client_for, client_with_token
from tests.factories import OrganisationFactory, SchoolFactory
from tests.factories.brokerage import AlliancePartnerFactory

pytestmark = pytest.mark.django_db

ROOT_URL = reverse("api-root")
ME_URL = reverse("brokerage-api:me")
SCHOOLS_URL = reverse("schools-api:school-list")


def urns(response) -> set[int]:
    return {row["urn"] for row in response.json()["results"]}


# --- the root -----------------------------------------------------------------------------------


def test_the_root_lists_every_resource_of_every_app(home_la_org):
    response = client_with_token(home_la_org).get(ROOT_URL)

    assert response.status_code == 200
    listed = response.json()
    assert list(listed) == list(API_RESOURCES)
    for name in ("schools", "support-requests", "deployments", "claims", "me", "organisations"):
        assert listed[name].startswith("http://testserver/api/v1/")


def test_every_resource_the_root_lists_answers(home_la_org):
    client = client_with_token(home_la_org)

    for name, url in client.get(ROOT_URL).json().items():
        assert client.get(url).status_code == 200, name


def test_the_root_needs_a_token():
    assert APIClient().get(ROOT_URL).status_code == 401


# --- /me/ ---------------------------------------------------------------------------------------


def test_a_local_authority_token_is_told_it_commissions_for_its_schools_and_brokers_local_types(
    home_la_org,
):
    body = client_with_token(home_la_org).get(ME_URL).json()

    assert body["kind"] == "token"
    assert body["token"]["name"] == "Partner sync"
    assert "key_digest" not in body["token"]
    [organisation] = body["organisations"]
    assert organisation["id"] == home_la_org.pk
    assert organisation["kind"] == "local_authority"
    assert organisation["may_commission"] is True
    assert organisation["commissions_for"] == "local_authority"
    assert "LLE" in organisation["brokers_types"]
    assert "SLE" not in organisation["brokers_types"]


def test_a_teaching_school_token_commissions_for_its_alliance_and_brokers_its_pool(teaching_school_org):
    [organisation] = client_with_token(teaching_school_org).get(ME_URL).json()["organisations"]

    assert organisation["commissions_for"] == "school_and_alliance"
    assert "SLE" in organisation["brokers_types"]


def test_an_agency_token_brokers_but_does_not_commission(db):
    agency = OrganisationFactory(kind=OrganisationKind.AGENCY)

    [organisation] = client_with_token(agency).get(ME_URL).json()["organisations"]

    assert organisation["may_commission"] is False
    assert organisation["commissions_for"] == "none"
    assert organisation["may_broker"] is True


def test_a_signed_in_person_sees_each_organisation_in_their_roles(la_officer, commissioner, home_la_org):
    [as_officer] = client_for(la_officer).get(ME_URL).json()["organisations"]
    [as_commissioner] = client_for(commissioner).get(ME_URL).json()["organisations"]

    assert (as_officer["may_commission"], as_officer["may_broker"]) == (True, True)
    assert (as_commissioner["may_commission"], as_commissioner["may_broker"]) == (True, False)
    assert client_for(la_officer).get(ME_URL).json()["token"] is None


def test_me_shows_a_tokens_expiry(home_la_org):
    expiry = timezone.now() + datetime.timedelta(days=30)
    _, key = ApiToken.issue(organisation=home_la_org, name="Expiring", expires_at=expiry)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    body = client.get(ME_URL).json()

    assert datetime.datetime.fromisoformat(body["token"]["expires_at"]) == expiry


def test_me_needs_a_token():
    assert APIClient().get(ME_URL).status_code == 401


def test_me_costs_a_fixed_number_of_queries(home_la_org, django_assert_max_num_queries):
    client = client_with_token(home_la_org)
    with django_assert_max_num_queries(4):
        assert client.get(ME_URL).status_code == 200


# --- which schools a token lists: the schools it may commission for --------------------------------


@pytest.fixture
def alliance(home_la, other_la, teaching_school_org):
    """The teaching school (in Norfolk) has a partner in Suffolk: listed though outside its scope."""
    partner = SchoolFactory(local_authority=other_la, name="Partner in Suffolk")
    AlliancePartnerFactory(teaching_school=teaching_school_org, school=partner)
    return partner


@pytest.mark.parametrize(
    ("caller", "sees_home", "sees_partner", "sees_other"),
    [
        ("home_la_org", True, False, False),
        ("other_la_org", False, True, True),
        ("teaching_school_org", True, True, False),
        ("national_body", True, True, True),
        ("other_teaching_school", False, False, False),
    ],
)
def test_a_token_lists_the_schools_it_may_commission_for(
    request, caller, sees_home, sees_partner, sees_other, alliance, home_school, other_school, home_la,
):
    if caller == "other_teaching_school":
        organisation = OrganisationFactory(
            kind=OrganisationKind.TEACHING_SCHOOL, school=SchoolFactory(local_authority=home_la),
        )
    else:
        organisation = request.getfixturevalue(caller)

    listed = urns(client_with_token(organisation).get(SCHOOLS_URL))

    assert (home_school.urn in listed, alliance.urn in listed, other_school.urn in listed) == (
        sees_home, sees_partner, sees_other,
    )


def test_a_teaching_school_token_reads_its_alliance_partners_detail(
    teaching_school_org, alliance, other_school,
):
    client = client_with_token(teaching_school_org)

    assert client.get(reverse("schools-api:school-detail", args=[alliance.urn])).status_code == 200
    assert client.get(reverse("schools-api:school-detail", args=[other_school.urn])).status_code == 404


def test_a_teaching_school_lead_signed_in_sees_only_their_schools_scope(
    teaching_school_lead, alliance, home_school,
):
    # People choose alliance schools on the request form; their school pages keep their own scope.
    assert urns(client_for(teaching_school_lead).get(SCHOOLS_URL)) == {home_school.urn}
