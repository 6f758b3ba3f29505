"""Risk assessments: LA officers only, their own schools, the latest answers with whether support is
live, and the "at risk without support" list."""

import datetime

import pytest
from django.urls import reverse

from brokerage.choices import RequestStatus
from brokerage.models import RiskAssessment
from brokerage.queries import schools_at_risk_without_support
from deployments.choices import DeploymentState
from schools.choices import SchoolStatus
from tests.factories import SchoolFactory
from tests.factories.brokerage import RiskAssessmentFactory, SupportRequestFactory
from tests.factories.deployments import DeploymentFactory

ANSWERS = {"likely_good_outcomes": "no", "effective_leadership": "yes", "good_next_inspection": "yes"}
REFUSED = ["national_admin", "commissioner", "teaching_school_lead", "school_leader", "associate", "outsider"]


@pytest.mark.parametrize(
    "persona, status", [("la_officer", 200), ("other_la_officer", 200), *((p, 403) for p in REFUSED)]
)
def test_who_sees_risk_assessments(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("brokerage:risk-list")).status_code == status


@pytest.mark.parametrize(
    "persona, status", [("la_officer", 200), ("other_la_officer", 403), *((p, 403) for p in REFUSED)]
)
def test_who_may_assess_a_norfolk_school(client, request, home_school, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("brokerage:risk-new", args=[home_school.urn])
    assert client.get(url).status_code == status
    assert client.post(url, ANSWERS).status_code == (302 if status == 200 else 403)
    assert RiskAssessment.objects.exists() == (status == 200)


def test_signed_out_people_are_sent_to_sign_in(client, home_school):
    for url in (reverse("brokerage:risk-list"), reverse("brokerage:risk-new", args=[home_school.urn])):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and "sign-in" in response.url
    assert not RiskAssessment.objects.exists()


def test_an_unknown_school_is_not_found(client, la_officer):
    client.force_login(la_officer)
    assert client.get(reverse("brokerage:risk-new", args=[1])).status_code == 404


def test_an_officer_assesses_their_own_school(client, la_officer, home_school):
    client.force_login(la_officer)
    url = reverse("brokerage:risk-new", args=[home_school.urn])
    page = client.get(url).content.decode()
    assert "Is the school likely to have good outcomes?" in page and 'type="radio"' in page

    response = client.post(url, {**ANSWERS, "notes": "Falling KS2 results."})

    assert response.status_code == 302
    assert response.url == reverse("brokerage:risk-list") + "?show=at-risk-unsupported"
    assessment = RiskAssessment.objects.get()
    assert assessment.is_at_risk and assessment.assessed_by == la_officer
    assert (assessment.likely_good_outcomes, assessment.effective_leadership) == (False, True)
    assert assessment.notes == "Falling KS2 results."
    assert "Falling KS2 results." in client.get(url).content.decode()  # listed as an earlier assessment


def test_every_question_must_be_answered(client, la_officer, home_school):
    client.force_login(la_officer)
    response = client.post(
        reverse("brokerage:risk-new", args=[home_school.urn]), {"likely_good_outcomes": "no"}
    )
    assert response.context["form"].errors["effective_leadership"] == ["Answer yes or no"]
    assert response.context["form"].errors["good_next_inspection"] == ["Answer yes or no"]
    assert "There is a problem" in response.content.decode()
    assert not RiskAssessment.objects.exists()


def test_not_another_authoritys_school(client, la_officer, other_school):
    client.force_login(la_officer)
    url = reverse("brokerage:risk-new", args=[other_school.urn])
    assert client.get(url).status_code == 403
    assert client.post(url, ANSWERS).status_code == 403
    assert not RiskAssessment.objects.exists()


@pytest.fixture
def norfolk_schools(home_la, home_la_org, lle_type):
    """One Norfolk school for each case the list tells apart."""
    schools = {
        name: SchoolFactory(local_authority=home_la, name=f"{name} Primary")
        for name in ("Unsupported", "Requested", "Deployed", "Withdrawn", "Recovered", "Fine", "Unassessed")
    }
    for name in ("Unsupported", "Requested", "Deployed", "Withdrawn"):
        RiskAssessmentFactory(school=schools[name], good_next_inspection=False)
    SupportRequestFactory(school=schools["Requested"], commissioner=home_la_org)
    SupportRequestFactory(
        school=schools["Withdrawn"], commissioner=home_la_org, status=RequestStatus.WITHDRAWN
    )
    closed = SupportRequestFactory(
        school=schools["Deployed"], commissioner=home_la_org, status=RequestStatus.CLOSED
    )
    DeploymentFactory(support_request=closed, state=DeploymentState.ACTIVE)
    today = datetime.date.today()
    RiskAssessmentFactory(
        school=schools["Recovered"],
        likely_good_outcomes=False,
        assessed_on=today - datetime.timedelta(days=90),
    )
    RiskAssessmentFactory(school=schools["Recovered"], assessed_on=today)
    RiskAssessmentFactory(school=schools["Fine"])
    return schools


def shown(client, show: str = "") -> str:
    url = reverse("brokerage:risk-list") + (f"?show={show}" if show else "")
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    "show, expected",
    [
        ("", {"Unsupported", "Requested", "Deployed", "Withdrawn", "Recovered", "Fine", "Unassessed"}),
        ("at-risk-unsupported", {"Unsupported", "Withdrawn"}),
        ("at-risk", {"Unsupported", "Requested", "Deployed", "Withdrawn"}),
        ("not-assessed", {"Unassessed"}),
    ],
)
def test_the_list_filters(client, la_officer, norfolk_schools, home_school, other_school, show, expected):
    client.force_login(la_officer)
    body = shown(client, show)
    for name, school in norfolk_schools.items():
        assert (school.name in body) == (name in expected), name
    assert other_school.name not in body


def test_the_query_for_the_dashboard_matches_the_list(home_la, other_la, norfolk_schools):
    at_risk = set(schools_at_risk_without_support([home_la.pk]).values_list("name", flat=True))
    assert at_risk == {"Unsupported Primary", "Withdrawn Primary"}
    assert not schools_at_risk_without_support([other_la.pk]).exists()


def test_the_list_shows_the_latest_answers_and_support(client, la_officer, norfolk_schools):
    client.force_login(la_officer)
    response = client.get(reverse("brokerage:risk-list"))
    rows = {school.name: school for school in response.context["schools"]}
    recovered, deployed = rows["Recovered Primary"], rows["Deployed Primary"]
    assert (recovered.risk_outcomes, recovered.risk_assessed_on) == (True, datetime.date.today())
    assert deployed.risk_inspection is False and deployed.has_support
    assert not rows["Unsupported Primary"].has_support and rows["Unassessed Primary"].risk_assessed_on is None
    body = response.content.decode()
    assert body.count("govuk-tag--red") == 4  # "At risk" on the four at-risk schools
    assert "Requested or under way" in body and "Never" in body


def test_closed_schools_are_not_listed(client, la_officer, home_la):
    SchoolFactory(local_authority=home_la, name="Shut Primary", status=SchoolStatus.CLOSED)
    client.force_login(la_officer)
    assert "Shut Primary" not in shown(client)


def test_an_empty_filter_says_so(client, la_officer, home_school):
    client.force_login(la_officer)
    assert "No school matches “at risk without support”." in shown(client, "at-risk-unsupported")


def test_the_list_is_paginated(client, la_officer, home_la):
    SchoolFactory.create_batch(51, local_authority=home_la)
    client.force_login(la_officer)
    first = client.get(reverse("brokerage:risk-list"))
    second = client.get(reverse("brokerage:risk-list") + "?page=2")
    assert len(first.context["schools"]) == 50 and len(second.context["schools"]) == 1


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_at_any_size(
    client, la_officer, home_la, home_la_org, count, django_assert_max_num_queries
):
    for _ in range(count):
        school = SchoolFactory(local_authority=home_la)
        RiskAssessmentFactory(school=school, effective_leadership=False)
        SupportRequestFactory(school=school, commissioner=home_la_org)
    client.force_login(la_officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("brokerage:risk-list") + "?show=at-risk")
    assert len(response.context["schools"]) == count
