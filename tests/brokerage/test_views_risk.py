"""Risk assessments: LA officers only, their own schools, and the "at risk without support" list."""

import pytest
from django.urls import reverse

from brokerage.models import RiskAssessment
from brokerage.queries import schools_at_risk_without_support
from tests.factories import SchoolFactory
from tests.factories.brokerage import RiskAssessmentFactory, SupportRequestFactory


@pytest.mark.parametrize(
    "persona, status",
    [
        ("la_officer", 200),
        ("other_la_officer", 200),
        ("national_admin", 403),
        ("commissioner", 403),
        ("teaching_school_lead", 403),
        ("school_leader", 403),
        ("associate", 403),
        ("outsider", 403),
    ],
)
def test_who_sees_risk_assessments(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("brokerage:risk-list")).status_code == status


def test_an_officer_assesses_their_own_school(client, la_officer, home_school):
    client.force_login(la_officer)
    url = reverse("brokerage:risk-new", args=[home_school.urn])
    response = client.post(
        url,
        {
            "likely_good_outcomes": "no",
            "effective_leadership": "yes",
            "good_next_inspection": "yes",
            "notes": "Falling KS2 results.",
        },
    )
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get()
    assert assessment.is_at_risk and assessment.assessed_by == la_officer


def test_every_question_must_be_answered(client, la_officer, home_school):
    client.force_login(la_officer)
    response = client.post(
        reverse("brokerage:risk-new", args=[home_school.urn]), {"likely_good_outcomes": "no"}
    )
    assert response.context["form"].errors["effective_leadership"] == ["Answer yes or no"]
    assert not RiskAssessment.objects.exists()


def test_not_another_authoritys_school(client, la_officer, other_school):
    client.force_login(la_officer)
    url = reverse("brokerage:risk-new", args=[other_school.urn])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"likely_good_outcomes": "no", "effective_leadership": "no", "good_next_inspection": "no"}
    )
    assert response.status_code == 403
    assert not RiskAssessment.objects.exists()


def test_at_risk_without_support(client, la_officer, home_la, home_la_org):
    unsupported = SchoolFactory(local_authority=home_la, name="Unsupported Primary")
    supported = SchoolFactory(local_authority=home_la, name="Supported Primary")
    recovered = SchoolFactory(local_authority=home_la, name="Recovered Primary")
    fine = SchoolFactory(local_authority=home_la, name="Fine Primary")
    for school in (unsupported, supported):
        RiskAssessmentFactory(school=school, good_next_inspection=False)
    RiskAssessmentFactory(school=recovered, likely_good_outcomes=False, assessed_on="2025-01-01")
    RiskAssessmentFactory(school=recovered, assessed_on="2026-01-01")
    RiskAssessmentFactory(school=fine)
    SupportRequestFactory(school=supported, commissioner=home_la_org, broker=home_la_org)

    assert list(schools_at_risk_without_support([home_la.pk])) == [unsupported]
    client.force_login(la_officer)
    body = client.get(reverse("brokerage:risk-list") + "?show=at-risk-unsupported").content.decode()
    assert "Unsupported Primary" in body
    assert "Supported Primary" not in body and "Recovered Primary" not in body and "Fine Primary" not in body


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_at_any_size(
    client, la_officer, home_la, count, django_assert_max_num_queries
):
    for _ in range(count):
        RiskAssessmentFactory(school=SchoolFactory(local_authority=home_la))
    client.force_login(la_officer)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("brokerage:risk-list")).status_code == 200
