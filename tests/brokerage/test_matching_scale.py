"""Candidates ranked in the database: the same order as ranking every leader by their explained
score, a fixed number of queries at any size on the request page and in the API, the API a page
at a time, and the exclusions counted by reason."""

import datetime
import math
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from brokerage.matching import Exclusion, match
from deployments.choices import DeploymentState, ObjectiveOutcome
from deployments.models import FinalEvaluation, ObjectiveOutcomeRecord
from designations.choices import DesignationStatus
from schools.choices import Phase
from tests.apiclients import client_with_token
from tests.factories import SchoolFactory
from tests.factories.deployments import (
    AgreementFactory,
    DeploymentFactory,
    ObjectiveFactory,
    UnavailabilityFactory,
)
from tests.factories.designations import DesignationFactory, SpecialismFactory
from tests.factories.schools import TrustFactory

TODAY = timezone.localdate()


@pytest.fixture
def reading(db):
    return SpecialismFactory(name="Reading", slug="reading")


def leader(lle_type, home_school, *, km=5.0, phase=Phase.PRIMARY, days="2.0", specialisms=(), **kw):
    school_kw = kw.pop("school_kw", {})
    if km is None:
        school = SchoolFactory(phase=phase, easting=None, northing=None, **school_kw)
    else:
        school = SchoolFactory(
            phase=phase, easting=home_school.easting + int(km * 1000), northing=home_school.northing,
            **school_kw,
        )
    designation = DesignationFactory(
        designation_type=lle_type, school=school, availability_days_per_week=Decimal(days), **kw
    )
    designation.specialisms.set(specialisms)
    return designation


def committed(designation, days):
    return DeploymentFactory(
        designation=designation,
        days_per_week=Decimal(days),
        starts_on=TODAY - datetime.timedelta(days=10),
        ends_on=TODAY + datetime.timedelta(days=300),
    )


def completed_with(designation, outcomes):
    done = DeploymentFactory(
        designation=designation,
        state=DeploymentState.COMPLETED,
        starts_on=TODAY - datetime.timedelta(days=400),
        ends_on=TODAY - datetime.timedelta(days=200),
    )
    agreement = AgreementFactory(deployment=done)
    evaluation = FinalEvaluation.objects.create(deployment=done, impact="Better", evaluated_on=TODAY)
    for outcome in outcomes:
        ObjectiveOutcomeRecord.objects.create(
            evaluation=evaluation, objective=ObjectiveFactory(agreement=agreement), outcome=outcome
        )


@pytest.fixture
def scenario(support_request, lle_type, home_school, maths, reading):
    """Leaders differing in every scored respect, ties included, and one of each exclusion."""
    support_request.needs.set([maths, reading])
    trust = TrustFactory(name="Broadland Trust")
    home_school.trust = trust
    home_school.save()
    kept = [
        leader(lle_type, home_school, km=3, specialisms=[maths, reading]),
        leader(lle_type, home_school, km=3, specialisms=[reading, maths]),  # a tie: the pk decides
        leader(lle_type, home_school, km=12.5, specialisms=[maths], phase=Phase.SECONDARY),
        leader(lle_type, home_school, km=70, specialisms=[maths, reading], days="1.0"),
        leader(lle_type, home_school, km=None, specialisms=[maths]),
        leader(lle_type, home_school, km=8, days="0.5"),
        leader(lle_type, home_school, km=8, days="1.5"),
        leader(lle_type, home_school, km=33.3, phase=Phase.SECONDARY),
    ]
    partly_busy = leader(lle_type, home_school, km=4, days="2.0", specialisms=[reading])
    committed(partly_busy, "1.5")
    away = leader(lle_type, home_school, km=6, days="2.0")
    start = support_request.preferred_start_on or TODAY
    UnavailabilityFactory(
        leader=away.holder, starts_on=start, ends_on=start + datetime.timedelta(days=20),
        days_per_week_available=Decimal("1.0"),
    )
    veteran = leader(lle_type, home_school, km=20)
    completed_with(veteran, [ObjectiveOutcome.MET, ObjectiveOutcome.MET, ObjectiveOutcome.NOT_MET])
    kept += [partly_busy, away, veteran]
    full = leader(lle_type, home_school, days="1.0")
    committed(full, "1.0")
    excluded = {
        "suspended": leader(lle_type, home_school, status=DesignationStatus.SUSPENDED),
        "not_trained": leader(lle_type, home_school, training_completed_on=None),
        "same_school": DesignationFactory(
            designation_type=lle_type, school=home_school, availability_days_per_week=2
        ),
        "same_trust": leader(lle_type, home_school, school_kw={"trust": trust}),
        "over_capacity": full,
    }
    return kept, excluded


def test_the_database_ranks_as_the_explained_scores_do(support_request, scenario):
    kept, excluded = scenario

    result = match(support_request, today=TODAY)
    ranked = list(result.ranked)

    assert {c.designation.pk for c in ranked} == {d.pk for d in kept}
    # The order the reasons explain: score, then the nearer, then the older designation.
    explained = sorted(
        ranked,
        key=lambda c: (-c.score, c.distance_km if c.distance_km is not None else math.inf, c.designation.pk),
    )
    assert [c.designation.pk for c in ranked] == [c.designation.pk for c in explained]
    for candidate in ranked:
        assert candidate.designation.score == pytest.approx(candidate.score, abs=1e-9)
        assert not candidate.exclusions
    assert ranked[0].designation.pk == kept[0].pk and ranked[1].designation.pk == kept[1].pk
    assert "0.5 of 2 days a week free." in next(c for c in ranked if c.designation == kept[8]).reasons
    assert "Track record: 1 deployment completed; 2 of 3 objectives met." in next(
        c for c in ranked if c.designation == kept[10]
    ).reasons
    assert "Distance unknown: a school has no grid reference." in next(
        c for c in ranked if c.designation == kept[4]
    ).reasons
    assert {c.designation.pk for c in result.excluded} == {d.pk for d in excluded.values()}
    assert all(c.exclusions for c in result.excluded)


def test_the_exclusions_are_counted_by_reason(support_request, scenario):
    _, excluded = scenario

    result = match(support_request, today=TODAY)

    assert result.exclusion_counts == dict.fromkeys(Exclusion.values, 1)
    assert len(result.excluded) == len(excluded)
    assert ("Over capacity", 1) in result.exclusion_summary


def test_the_request_page_shows_the_exclusion_counts(client, la_officer, support_request, scenario):
    client.force_login(la_officer)
    body = client.get(reverse("brokerage:request-detail", args=[support_request.pk])).content.decode()
    assert "Works at the supported school" in body and "In the supported school&#x27;s trust" in body
    assert "1 leader<" in body


def candidates_url(support_request, name="candidates", **params) -> str:
    url = reverse(f"brokerage-api:support-request-{name}", args=[support_request.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_candidates_api_is_a_page_at_a_time_in_a_stable_order(
    home_la_org, support_request, scenario
):
    kept, _ = scenario
    client = client_with_token(home_la_org)
    everyone = client.get(candidates_url(support_request)).json()
    order = [row["designation_id"] for row in everyone["results"]]
    assert everyone["count"] == len(kept) == len(order)

    second = client.get(candidates_url(support_request, page=2, page_size=4)).json()

    assert second["count"] == len(kept)
    assert [row["designation_id"] for row in second["results"]] == order[4:8]
    assert second["previous"] and second["next"]
    assert all(row["reasons"] for row in second["results"])
    assert second["exclusion_counts"]["over_capacity"] == 1
    last = client.get(candidates_url(support_request, page=3, page_size=4)).json()
    assert [row["designation_id"] for row in last["results"]] == order[8:] and last["next"] is None


def test_the_excluded_candidates_are_a_page_at_a_time(home_la_org, support_request, scenario):
    _, excluded = scenario
    client = client_with_token(home_la_org)

    first = client.get(candidates_url(support_request, "excluded-candidates", page_size=3)).json()
    rest = client.get(candidates_url(support_request, "excluded-candidates", page=2, page_size=3)).json()

    assert first["count"] == len(excluded) and len(first["results"]) == 3 and rest["next"] is None
    listed = [row["designation_id"] for row in first["results"] + rest["results"]]
    assert sorted(listed) == sorted(d.pk for d in excluded.values())
    assert all(row["exclusions"] for row in first["results"] + rest["results"])


def many_leaders(count, lle_type, home_school, maths):
    """``count`` leaders: most free, every fifth committed, every seventh not trained."""
    for n in range(count):
        designation = leader(
            lle_type, home_school, km=n % 40, specialisms=[maths] if n % 2 else [],
            training_completed_on=None if n % 7 == 6 else TODAY - datetime.timedelta(days=30),
        )
        if n % 5 == 0:
            committed(designation, "0.5")


@pytest.mark.parametrize("count", [5, 60])
def test_the_request_page_costs_the_same_queries_at_any_size(
    client, la_officer, support_request, lle_type, home_school, maths, count,
    django_assert_max_num_queries,
):
    support_request.needs.set([maths])
    many_leaders(count, lle_type, home_school, maths)
    client.force_login(la_officer)
    # 16: the page's 15 (test_views_requests) and, with committed leaders, the term dates their
    # commitments are counted by.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("brokerage:request-detail", args=[support_request.pk]))
    assert len(response.context["ranked"]) == min(20, len(response.context["matching"].ranked))
    assert response.context["ranked"][0].reasons


@pytest.mark.parametrize("count", [5, 60])
def test_the_candidates_api_costs_the_same_queries_at_any_size(
    home_la_org, support_request, lle_type, home_school, maths, count, django_assert_max_num_queries
):
    support_request.needs.set([maths])
    many_leaders(count, lle_type, home_school, maths)
    client = client_with_token(home_la_org)
    with django_assert_max_num_queries(10):
        response = client.get(candidates_url(support_request, page_size=25))
    assert len(response.json()["results"]) == min(25, response.json()["count"])
