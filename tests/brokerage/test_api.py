"""The support requests API: who sees which requests, raising one through a token or a session,
field errors for bad input, and the candidates for the request's broker only."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind, Role
from brokerage.choices import PriorityReason, RequestStatus
from brokerage.models import SupportRequest
from designations.choices import DesignationStatus
from designations.models import DesignationType
from schools.choices import Grade
from tests.apiclients import client_for, client_with_token, error_fields, error_messages, errors_by_field, ids
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    UserFactory,
    graded_inspection,
)
from tests.factories.brokerage import AlliancePartnerFactory, SupportRequestFactory
from tests.factories.designations import DesignationFactory, SpecialismFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("brokerage-api:support-request-list")
TODAY = timezone.localdate()
START = TODAY + datetime.timedelta(days=60)


def detail_url(support_request) -> str:
    return reverse("brokerage-api:support-request-detail", args=[support_request.pk])


def candidates_url(support_request) -> str:
    return reverse("brokerage-api:support-request-candidates", args=[support_request.pk])


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()




@pytest.fixture
def lle(db) -> DesignationType:
    return DesignationType.objects.get(code="LLE")


@pytest.fixture
def maths(db):
    return SpecialismFactory(slug="maths", name="Maths")


@pytest.fixture
def home_request(home_school, home_la_org, lle, maths):
    """Norfolk commissions and brokers an LLE for its own school."""
    return SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle],
        needs=[maths],
        priority_reasons=[PriorityReason.OFSTED_CONCERN],
    )


@pytest.fixture
def other_request(other_school, other_la_org, lle):
    """Suffolk commissions and brokers an LLE for its own school."""
    return SupportRequestFactory(
        school=other_school, commissioner=other_la_org, broker=other_la_org, designation_types=[lle]
    )


# --- reading ----------------------------------------------------------------------------------------


def test_the_api_needs_a_token_or_a_session():
    assert APIClient().get(LIST_URL).status_code == 401


def test_a_commissioner_token_reads_its_own_requests_only(home_la_org, home_request, other_request):
    client = client_with_token(home_la_org)

    listed = client.get(LIST_URL)

    assert listed.status_code == 200
    assert ids(listed) == {home_request.pk}
    assert client.get(detail_url(home_request)).status_code == 200
    assert client.get(detail_url(other_request)).status_code == 404


def test_a_request_shows_its_school_parties_needs_and_types(home_la_org, home_request, home_school):
    body = client_with_token(home_la_org).get(detail_url(home_request)).json()

    assert body["school"] == {"urn": home_school.urn, "name": home_school.name}
    assert body["commissioner"]["id"] == home_la_org.pk
    assert body["broker"]["id"] == home_la_org.pk
    assert body["needs"] == [{"slug": "maths", "name": "Maths"}]
    assert body["designation_types"] == ["LLE"]
    assert body["priority_reasons"] == ["ofsted_concern"]
    assert body["status"] == "open"


def test_a_broker_token_sees_the_requests_it_brokers(home_school, home_la_org, lle):
    teaching_school = OrganisationFactory(kind=OrganisationKind.TEACHING_SCHOOL)
    brokered = SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=teaching_school, designation_types=[lle]
    )
    SupportRequestFactory(school=home_school, commissioner=home_la_org, designation_types=[lle])

    assert ids(client_with_token(teaching_school).get(LIST_URL)) == {brokered.pk}


@pytest.mark.parametrize(
    "persona, sees_home, sees_other",
    [
        ("national_admin", True, True),
        ("la_officer", True, False),
        ("commissioner", True, False),
        ("other_la_officer", False, True),
        ("school_leader", True, False),
        ("associate", False, False),
        ("outsider", False, False),
    ],
)
def test_who_sees_which_request(request, persona, sees_home, sees_other, home_request, other_request):
    client = client_for(request.getfixturevalue(persona))

    listed = ids(client.get(LIST_URL))

    assert (home_request.pk in listed) is sees_home
    assert (other_request.pk in listed) is sees_other
    assert client.get(detail_url(home_request)).status_code == (200 if sees_home else 404)
    assert client.get(detail_url(other_request)).status_code == (200 if sees_other else 404)


def test_the_list_filters(home_la_org, home_school, lle, maths):
    nle = DesignationType.objects.get(code="NLE")
    wanted = SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[nle],
        priority_reasons=[PriorityReason.NEW_HEAD, PriorityReason.RISK_RATING],
    )
    SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle],
        priority_reasons=[PriorityReason.RISK_RATING],
    )
    SupportRequestFactory(
        school=SchoolFactory(local_authority=home_school.local_authority), commissioner=home_la_org,
        broker=home_la_org, designation_types=[nle], priority_reasons=[PriorityReason.NEW_HEAD],
        status=RequestStatus.WITHDRAWN,
    )
    client = client_with_token(home_la_org)

    assert ids(client.get(LIST_URL, {"designation_type": "NLE", "status": "open"})) == {wanted.pk}
    by_school_and_reason = {"school": home_school.urn, "priority_reason": "new_head"}
    assert ids(client.get(LIST_URL, by_school_and_reason)) == {wanted.pk}
    assert len(ids(client.get(LIST_URL, {"priority_reason": "risk_rating"}))) == 2
    assert len(ids(client.get(LIST_URL, {"created_after": TODAY.isoformat()}))) == 3
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    assert ids(client.get(LIST_URL, {"created_before": yesterday})) == set()


@pytest.mark.parametrize(
    "query, field",
    [
        ({"designation_type": "XYZ"}, "designation_type"),
        ({"school": "999999999"}, "school"),
        ({"status": "nonsense"}, "status"),
        ({"priority_reason": "bored"}, "priority_reason"),
        ({"created_after": "yesterday"}, "created_after"),
    ],
)
def test_a_bad_filter_is_a_400_on_its_field(home_la_org, query, field):
    response = client_with_token(home_la_org).get(LIST_URL, query)
    assert response.status_code == 400
    assert field in error_fields(response)


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_query_count_does_not_grow_with_rows(
    rows, home_la_org, home_school, lle, django_assert_max_num_queries
):
    for n in range(rows):
        SupportRequestFactory(
            school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle],
            needs=[SpecialismFactory(slug=f"need-{n}")],
        )
    client = client_with_token(home_la_org)
    client.get(LIST_URL)  # the token's last use is recorded once

    with django_assert_max_num_queries(6):
        response = client.get(LIST_URL)

    assert len(response.json()["results"]) == rows


# --- raising a request ------------------------------------------------------------------------------


def body(school_, broker_, **overrides) -> dict:
    return {
        "school": school_.urn,
        "broker": broker_.pk,
        "title": "Maths leadership",
        "needs": ["maths"],
        "needs_description": "The maths lead is new and results have fallen.",
        "designation_types": ["LLE"],
        **overrides,
    }


def test_a_commissioner_token_raises_a_request(home_la_org, home_school, maths):
    response = client_with_token(home_la_org).post(
        LIST_URL,
        body(
            home_school, home_la_org, priority_reasons=["vulnerable"], preferred_start_on=START.isoformat(),
            budget="4500.00", funded_by="other", funder_name="The diocese",
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    created = SupportRequest.objects.get(pk=response.json()["id"])
    assert created.commissioner == home_la_org
    assert created.broker == home_la_org
    assert created.raised_by is None
    assert created.priority_reasons == ["vulnerable"]
    assert created.budget == Decimal("4500.00")
    assert created.preferred_start_on == START
    assert [n.slug for n in created.needs.all()] == ["maths"]
    assert response.json()["designation_types"] == ["LLE"]
    assert response.json()["funder_name"] == "The diocese"
    # An amount is a decimal string in pounds and pence, never a float.
    assert response.json()["budget"] == "4500.00"


def test_a_post_without_the_trailing_slash_creates_and_says_where(home_la_org, home_school, maths):
    response = client_with_token(home_la_org).post(
        LIST_URL.rstrip("/"), body(home_school, home_la_org), format="json"
    )

    assert response.status_code == 201, response.content
    created = SupportRequest.objects.get()
    assert response["Location"] == "http://testserver" + detail_url(created)
    assert client_with_token(home_la_org).get(detail_url(created).rstrip("/")).status_code == 200


def test_priority_reasons_left_out_are_the_suggested_ones(home_la_org, home_school, maths):
    graded_inspection(home_school, Grade.REQUIRES_IMPROVEMENT)

    response = client_with_token(home_la_org).post(LIST_URL, body(home_school, home_la_org), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["priority_reasons"] == ["ofsted_concern"]


def test_given_empty_priority_reasons_are_kept_empty(home_la_org, home_school, maths):
    graded_inspection(home_school, Grade.REQUIRES_IMPROVEMENT)

    response = client_with_token(home_la_org).post(
        LIST_URL, body(home_school, home_la_org, priority_reasons=[]), format="json"
    )

    assert response.status_code == 201
    assert response.json()["priority_reasons"] == []


def test_a_signed_in_commissioner_raises_a_request(commissioner, home_la_org, home_school, maths):
    response = client_for(commissioner).post(LIST_URL, body(home_school, home_la_org), format="json")

    assert response.status_code == 201, response.json()
    created = SupportRequest.objects.get(pk=response.json()["id"])
    assert created.raised_by == commissioner
    assert created.commissioner == home_la_org


@pytest.mark.parametrize("kind", [OrganisationKind.AGENCY])
def test_a_token_of_an_organisation_that_does_not_commission_cannot_raise(
    kind, home_school, home_la_org, maths
):
    agency = OrganisationFactory(kind=kind)

    response = client_with_token(agency).post(LIST_URL, body(home_school, home_la_org), format="json")

    assert response.status_code == 403
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize("persona", ["school_leader", "associate", "outsider", "teaching_school_lead"])
def test_people_who_do_not_commission_cannot_raise(request, persona, home_school, home_la_org, maths):
    client = client_for(request.getfixturevalue(persona))

    response = client.post(LIST_URL, body(home_school, home_la_org), format="json")

    assert response.status_code == 403
    assert not SupportRequest.objects.exists()


def test_a_school_the_caller_cannot_see_is_a_400_on_school(home_la_org, other_school, maths):
    response = client_with_token(home_la_org).post(LIST_URL, body(other_school, home_la_org), format="json")

    assert response.status_code == 400
    assert error_fields(response) == {"school"}
    assert str(other_school.urn) in error_messages(response)[0]


def test_a_national_body_token_may_commission_for_any_school(national_body, other_school, maths):
    broker = OrganisationFactory(
        kind=OrganisationKind.LOCAL_AUTHORITY, local_authority=other_school.local_authority
    )

    response = client_with_token(national_body).post(LIST_URL, body(other_school, broker), format="json")

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"school": 12345678}, "school"),
        ({"school": "abc"}, "school"),
        ({"needs": ["no-such-need"]}, "needs"),
        ({"designation_types": ["XYZ"]}, "designation_types"),
        ({"designation_types": []}, "designation_types"),
        ({"priority_reasons": ["bored"]}, "priority_reasons.0"),
        ({"broker": 987654}, "broker"),
        ({"commissioner": 987654}, "commissioner"),
        ({"title": ""}, "title"),
        ({"budget": "-5"}, "budget"),
        ({"preferred_start_on": "soon"}, "preferred_start_on"),
        ({"funded_by": "lottery"}, "funded_by"),
        ({"funded_by": "other", "funder_name": ""}, "funder_name"),
    ],
)
def test_bad_input_is_a_400_on_its_field(home_la_org, home_school, maths, overrides, field):
    response = client_with_token(home_la_org).post(
        LIST_URL, body(home_school, home_la_org, **overrides), format="json"
    )

    assert response.status_code == 400
    assert field in error_fields(response)
    assert not SupportRequest.objects.exists()


def test_a_broker_the_rules_do_not_allow_is_a_400_on_broker(home_la_org, home_school, maths):
    agency = OrganisationFactory(kind=OrganisationKind.AGENCY)

    response = client_with_token(home_la_org).post(
        LIST_URL, body(home_school, agency, designation_types=["SLE"]), format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == {"broker"}
    assert "cannot broker SLE" in error_messages(response)[0]


def test_a_type_that_does_not_fit_is_a_400_on_designation_types(home_la_org, home_school, maths):
    response = client_with_token(home_la_org).post(
        LIST_URL, body(home_school, home_la_org, designation_types=["NLE"], priority_reasons=[]),
        format="json",
    )

    assert response.status_code == 400
    assert error_fields(response) == {"designation_types"}
    assert "priority reason" in error_messages(response)[0]


def test_a_token_cannot_commission_for_another_organisation(home_la_org, home_school, national_body, maths):
    response = client_with_token(home_la_org).post(
        LIST_URL, body(home_school, home_la_org, commissioner=national_body.pk), format="json"
    )

    assert response.status_code == 400
    assert "commissioner" in error_fields(response)


def test_a_person_commissioning_for_two_organisations_must_say_which(home_la_org, home_school, maths):
    person = MembershipFactory(user=UserFactory(), organisation=home_la_org, role=Role.COMMISSIONER).user
    MembershipFactory(user=person, organisation=OrganisationFactory(kind=OrganisationKind.DIOCESE),
                      role=Role.COMMISSIONER)
    client = client_for(person)

    refused = client.post(LIST_URL, body(home_school, home_la_org), format="json")
    raised = client.post(LIST_URL, body(home_school, home_la_org, commissioner=home_la_org.pk), format="json")

    assert refused.status_code == 400
    assert "commissioner" in error_fields(refused)
    assert raised.status_code == 201, raised.json()


# --- candidates -------------------------------------------------------------------------------------


@pytest.fixture
def leaders(home_school, lle, maths):
    near = DesignationFactory(
        designation_type=lle, availability_days_per_week=Decimal("2.0"),
        holder=UserFactory(full_name="Nadia Near", email="nadia@leader.example.org"),
        school=SchoolFactory(easting=home_school.easting + 2000, northing=home_school.northing),
    )
    near.specialisms.add(maths)
    suspended = DesignationFactory(
        designation_type=lle, status=DesignationStatus.SUSPENDED,
        holder=UserFactory(full_name="Sam Suspended"),
    )
    same_school = DesignationFactory(
        designation_type=lle, school=home_school, holder=UserFactory(full_name="Hana Home"),
    )
    return near, suspended, same_school


def test_candidate_scores_and_distances_are_rounded(home_la_org, home_request, home_school, lle):
    DesignationFactory(
        designation_type=lle, availability_days_per_week=Decimal("2.0"),
        school=SchoolFactory(easting=home_school.easting + 1234, northing=home_school.northing + 567),
    )

    [top] = client_with_token(home_la_org).get(candidates_url(home_request)).json()["results"]

    assert top["distance_km"] == 1.4  # 1.3578... km
    assert top["score"] == round(top["score"], 2)
    assert len(str(top["score"]).partition(".")[2]) <= 2


def test_the_broker_token_sees_ranked_and_excluded_candidates_with_reasons(
    home_la_org, home_request, leaders
):
    near, _, same_school = leaders

    response = client_with_token(home_la_org).get(candidates_url(home_request))

    assert response.status_code == 200
    result = response.json()
    assert result["count"] == 1 and result["next"] is None
    [top] = result["results"]
    assert top["designation_id"] == near.pk
    assert top["designation_type"] == "LLE"
    assert top["leader_name"] == "Nadia Near"
    assert top["school"]["urn"] == near.school.urn
    assert top["distance_km"] == 2.0
    assert top["spare_days"] == 2.0
    assert "Specialisms match the needs: Maths." in top["reasons"]
    assert top["exclusions"] == []
    assert result["exclusion_counts"]["suspended"] == 1
    assert result["exclusion_counts"]["same_school"] == 1
    assert set(result["window"]) == {"starts_on", "ends_on"}
    assert "nadia@leader.example.org" not in response.content.decode()
    excluded_url = reverse("brokerage-api:support-request-excluded-candidates", args=[home_request.pk])
    excluded = {
        row["designation_id"]: row
        for row in client_with_token(home_la_org).get(excluded_url).json()["results"]
    }
    assert same_school.pk in excluded
    assert excluded[same_school.pk]["exclusions"]


def test_a_broker_person_sees_the_candidates(la_officer, home_request, leaders):
    assert client_for(la_officer).get(candidates_url(home_request)).status_code == 200


@pytest.mark.parametrize(
    "persona, status_code",
    [
        ("la_officer", 200),
        ("commissioner", 403),
        ("school_leader", 403),
        ("national_admin", 403),
        ("other_la_officer", 404),
        ("outsider", 404),
    ],
)
def test_only_the_broker_sees_candidates(request, persona, status_code, home_request, leaders):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(candidates_url(home_request)).status_code == status_code


def test_a_commissioner_token_that_is_not_the_broker_cannot_see_candidates(
    home_school, home_la_org, lle, leaders
):
    teaching_school = OrganisationFactory(kind=OrganisationKind.TEACHING_SCHOOL)
    brokered_elsewhere = SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=teaching_school, designation_types=[lle]
    )

    assert client_with_token(home_la_org).get(candidates_url(brokered_elsewhere)).status_code == 403
    assert client_with_token(teaching_school).get(candidates_url(brokered_elsewhere)).status_code == 200


def test_a_teaching_school_token_raises_a_request_for_its_alliance_partner(home_la, maths):
    teaching_school = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, school=SchoolFactory(local_authority=home_la)
    )
    partner = SchoolFactory(local_authority=home_la)
    stranger = SchoolFactory(local_authority=home_la)
    AlliancePartnerFactory(teaching_school=teaching_school, school=partner)
    client = client_with_token(teaching_school)

    raised = client.post(LIST_URL, body(partner, teaching_school, designation_types=["SLE"]), format="json")
    refused = client.post(LIST_URL, body(stranger, teaching_school, designation_types=["SLE"]), format="json")

    assert raised.status_code == 201, raised.json()
    assert refused.status_code == 400
    assert "school" in error_fields(refused)


# --- every number, date and text checked as the form checks it -----------------------------------

START_MESSAGE = "The preferred start date must be between"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"preferred_start_on": "0001-01-01"}, "preferred_start_on", START_MESSAGE),
        ({"preferred_start_on": "9999-12-31"}, "preferred_start_on", START_MESSAGE),
        ({"budget": "-0"}, "budget", "The budget must be between £1 and £1,000,000, in pounds and pence"),
        ({"budget": "-5"}, "budget", "The budget must be between £1 and £1,000,000, in pounds and pence"),
        ({"budget": "12345678901.5"}, "budget", "The budget must be between £1 and £1,000,000"),
        ({"budget": "10.005"}, "budget", "The budget must be between £1 and £1,000,000, in pounds and pence"),
        ({"needs_description": "x" * 1_000_000}, "needs_description",
         "Needs description must be 5,000 characters or fewer"),
        ({"title": "x" * 201}, "title", "Title must be 200 characters or fewer"),
    ],
)
def test_the_api_refuses_what_the_form_refuses_with_the_same_message(
    home_la_org, home_school, maths, overrides, field, message
):
    response = client_with_token(home_la_org).post(
        LIST_URL, body(home_school, home_la_org, **overrides), format="json"
    )

    assert response.status_code == 400, response.json()
    assert errors_by_field(response)[field][0].startswith(message)
    assert not SupportRequest.objects.exists()


def test_the_api_removes_right_to_left_overrides_from_the_title(home_la_org, home_school, maths):
    response = client_with_token(home_la_org).post(
        LIST_URL, body(home_school, home_la_org, title="Maths \u202eSK2\u202c support"), format="json"
    )

    assert response.status_code == 201, response.json()
    assert SupportRequest.objects.get().title == "Maths SK2 support"
