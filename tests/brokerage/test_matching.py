"""The ranking of candidates for a request, its reasons, and every exclusion reason."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.choices import OrganisationKind
from brokerage.matching import match
from deployments.choices import DeploymentState, ObjectiveOutcome
from designations.choices import DesignationStatus
from designations.models import DesignationType
from schools.choices import Phase
from tests.factories import OrganisationFactory, SchoolFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import DeploymentFactory, UnavailabilityFactory
from tests.factories.designations import DesignationFactory, SpecialismFactory
from tests.factories.schools import TrustFactory

TODAY = timezone.localdate()


@pytest.fixture
def lle(db):
    return DesignationType.objects.get(code="LLE")


@pytest.fixture
def sle(db):
    return DesignationType.objects.get(code="SLE")


@pytest.fixture
def maths(db):
    return SpecialismFactory(name="Maths", slug="maths")


@pytest.fixture
def request_for(home_school, home_la_org, lle, maths):
    return SupportRequestFactory(
        school=home_school,
        commissioner=home_la_org,
        broker=home_la_org,
        designation_types=[lle],
        needs=[maths],
    )


def leader(
    designation_type, *, km: float = 5, phase=Phase.PRIMARY, days="2.0", specialisms=(), near=None, **kw
):
    base = near
    school = SchoolFactory(
        phase=phase, easting=base.easting + int(km * 1000), northing=base.northing, **kw.pop("school_kw", {})
    )
    designation = DesignationFactory(
        designation_type=designation_type, school=school, availability_days_per_week=Decimal(days), **kw
    )
    designation.specialisms.set(specialisms)
    return designation


def ids(candidates):
    return [c.designation.pk for c in candidates]


def test_closer_leader_with_the_needed_specialism_ranks_first(request_for, lle, maths, home_school):
    far_no_maths = leader(lle, km=40, near=home_school)
    near_maths = leader(lle, km=3, specialisms=[maths], near=home_school)
    far_maths = leader(lle, km=30, specialisms=[maths], near=home_school)

    result = match(request_for, today=TODAY)

    assert ids(result.ranked) == [near_maths.pk, far_maths.pk, far_no_maths.pk]
    top = result.ranked[0]
    assert "Specialisms match the needs: Maths." in top.reasons
    assert "3.0 km from the school." in top.reasons
    assert any(r.startswith("Same phase") for r in top.reasons)
    assert "No specialism matches the needs." in result.ranked[2].reasons


def test_phase_match_counts(request_for, lle, home_school):
    secondary = leader(lle, km=5, phase=Phase.SECONDARY, near=home_school)
    primary = leader(lle, km=5, phase=Phase.PRIMARY, near=home_school)

    result = match(request_for, today=TODAY)

    assert ids(result.ranked) == [primary.pk, secondary.pk]
    assert any(r.startswith("Different phase: their school is secondary") for r in result.ranked[1].reasons)


def test_track_record_lifts_a_leader_and_is_explained(request_for, lle, home_school):
    from deployments.models import FinalEvaluation, ObjectiveOutcomeRecord
    from tests.factories.deployments import AgreementFactory, ObjectiveFactory

    novice = leader(lle, km=5, near=home_school)
    veteran = leader(lle, km=5, near=home_school)
    done = DeploymentFactory(
        designation=veteran,
        state=DeploymentState.COMPLETED,
        starts_on=TODAY - datetime.timedelta(days=400),
        ends_on=TODAY - datetime.timedelta(days=200),
    )
    objective = ObjectiveFactory(agreement=AgreementFactory(deployment=done))
    evaluation = FinalEvaluation.objects.create(deployment=done, impact="Better", evaluated_on=TODAY)
    ObjectiveOutcomeRecord.objects.create(
        evaluation=evaluation, objective=objective, outcome=ObjectiveOutcome.MET
    )

    result = match(request_for, today=TODAY)

    assert ids(result.ranked) == [veteran.pk, novice.pk]
    assert "Track record: 1 deployment completed; 1 of 1 objectives met." in result.ranked[0].reasons
    assert "Track record: no completed deployments yet." in result.ranked[1].reasons


def test_spare_capacity_is_reported_and_ranked(request_for, lle, home_school):
    busy = leader(lle, km=5, days="2.0", near=home_school)
    DeploymentFactory(
        designation=busy,
        days_per_week=Decimal("1.5"),
        starts_on=TODAY - datetime.timedelta(days=10),
        ends_on=TODAY + datetime.timedelta(days=300),
    )
    free = leader(lle, km=5, days="2.0", near=home_school)

    result = match(request_for, today=TODAY)

    assert ids(result.ranked) == [free.pk, busy.pk]
    assert "0.5 of 2 days a week free." in result.ranked[1].reasons
    assert "2 of 2 days a week free." in result.ranked[0].reasons


def excluded_reasons(result, designation):
    return next(c.exclusions for c in result.excluded if c.designation.pk == designation.pk)


def test_suspended_leader_is_excluded_with_the_reason(request_for, lle, home_school):
    suspended = leader(lle, near=home_school, status=DesignationStatus.SUSPENDED)
    result = match(request_for, today=TODAY)
    assert suspended.pk not in ids(result.ranked)
    assert excluded_reasons(result, suspended) == ["Suspended: the designation is suspended."]


def test_untrained_leader_is_excluded(request_for, lle, home_school):
    untrained = leader(lle, near=home_school, training_completed_on=None)
    result = match(request_for, today=TODAY)
    assert excluded_reasons(result, untrained) == ["Not yet trained: the LLE training is not all recorded."]


def test_leader_at_the_supported_school_is_a_conflict_of_interest(request_for, lle, home_school):
    own = DesignationFactory(designation_type=lle, school=home_school, availability_days_per_week=2)
    result = match(request_for, today=TODAY)
    assert excluded_reasons(result, own) == [
        f"Conflict of interest: they work at {home_school.name}, the school to be supported."
    ]


def test_leader_in_the_same_trust_is_a_conflict_of_interest(request_for, lle, home_school):
    trust = TrustFactory(name="Broadland Trust")
    home_school.trust = trust
    home_school.save()
    same_trust = leader(lle, near=home_school, school_kw={"trust": trust})
    result = match(request_for, today=TODAY)
    assert excluded_reasons(result, same_trust) == [
        "Conflict of interest: their school is in the same trust (Broadland Trust)."
    ]


def test_leader_with_no_time_left_is_over_capacity(request_for, lle, home_school):
    full = leader(lle, days="1.0", near=home_school)
    DeploymentFactory(
        designation=full,
        days_per_week=Decimal("1.0"),
        starts_on=TODAY - datetime.timedelta(days=10),
        ends_on=TODAY + datetime.timedelta(days=300),
    )
    result = match(request_for, today=TODAY)
    assert excluded_reasons(result, full)[0].startswith("Over capacity: no time free between")


def test_unavailability_in_the_window_is_over_capacity(request_for, lle, home_school):
    away = leader(lle, days="2.0", near=home_school)
    start = request_for.preferred_start_on
    UnavailabilityFactory(leader=away.holder, starts_on=start, ends_on=start + datetime.timedelta(days=20))
    result = match(request_for, today=TODAY)
    assert excluded_reasons(result, away)[0].startswith("Over capacity")


def test_only_the_requested_types_and_current_designations_are_considered(request_for, home_school):
    nle = DesignationFactory(
        designation_type=DesignationType.objects.get(code="NLE"), availability_days_per_week=2
    )
    lapsed = leader(request_for.designation_types.get(), near=home_school, status=DesignationStatus.LAPSED)
    result = match(request_for, today=TODAY)
    assert nle.pk not in ids(result.ranked) + ids(result.excluded)
    assert lapsed.pk not in ids(result.ranked) + ids(result.excluded)


def test_a_teaching_school_sees_only_its_own_pool(home_school, sle, maths):
    pool_owner = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, name="Pool TS", school=SchoolFactory()
    )
    other_pool = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, name="Other TS", school=SchoolFactory()
    )
    mine = leader(sle, near=home_school, designating_organisation=pool_owner)
    theirs = leader(sle, near=home_school, designating_organisation=other_pool)
    request = SupportRequestFactory(
        school=home_school, broker=pool_owner, designation_types=[sle], needs=[maths]
    )

    result = match(request, today=TODAY)

    assert ids(result.ranked) == [mine.pk]
    assert theirs.pk not in ids(result.excluded)


def test_a_local_authority_brokers_no_sles(home_school, home_la_org, sle):
    leader(sle, near=home_school)
    request = SupportRequestFactory(school=home_school, broker=home_la_org, designation_types=[sle])
    result = match(request, today=TODAY)
    assert result.ranked == [] and result.excluded == []


@pytest.mark.parametrize("count", [2, 12])
def test_matching_costs_the_same_queries_at_any_size(
    request_for, lle, maths, home_school, count, django_assert_max_num_queries
):
    for _ in range(count):
        leader(lle, near=home_school, specialisms=[maths])
    with django_assert_max_num_queries(6):
        result = match(request_for, today=TODAY)
        for candidate in result.ranked:
            assert candidate.reasons
    assert len(result.ranked) == count
