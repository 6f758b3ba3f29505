"""From request to final evaluation: an SLE brokered by its teaching school, and an NLE brokered
by a local authority, each through the services every page and endpoint uses."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from brokerage import services as brokerage
from brokerage.choices import PriorityReason, RequestStatus
from brokerage.errors import BrokerageError
from brokerage.matching import match
from deployments import services
from deployments.choices import DeploymentState, ObjectiveOutcome, Party, Rag, TimeBasis
from designations.models import DesignationType
from schooldays.calendar import school_days
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.designations import DesignationFactory, SpecialismFactory
from tests.factories.schooldays import in_term, latest_school_day

TODAY = timezone.localdate()
State = DeploymentState


def school_member(school, email):
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, name=school.name, school=school)
    return MembershipFactory(
        user=UserFactory(email=email), organisation=organisation, role=Role.SCHOOL_LEADER
    ).user


def draft_and_agree(deployment, broker, parties, *, starts_on, weeks, days_per_week="1.0"):
    terms = {
        "expected_impact": "Leaders sustain improvement.",
        "support_approach": "Coaching and modelling.",
        "school_participants": "Headteacher; English lead",
        "time_basis": TimeBasis.DAYS_PER_WEEK,
        "days_per_week": Decimal(days_per_week),
        "total_days": None,
        "starts_on": starts_on,
        "ends_on": starts_on + datetime.timedelta(weeks=weeks) - datetime.timedelta(days=1),
        "rate_basis": "day_rate",
        "day_rate": Decimal("350"),
        "total_amount": None,
        "payer": deployment.commissioner,
        "payee_school": deployment.leader_school,
        "backfill_note": "",
    }
    objectives = [
        services.ObjectiveData(
            "Phonics teaching is consistent",
            "90% pass the screening check",
            starts_on + datetime.timedelta(weeks=weeks) - datetime.timedelta(days=1),
        ),
        services.ObjectiveData(
            "The English lead leads training",
            "Two staff sessions led",
            starts_on + datetime.timedelta(weeks=weeks // 2),
        ),
    ]
    agreement = services.save_draft(
        deployment, actor=broker, terms=terms, objectives=objectives, drafted_on=min(starts_on, TODAY)
    )
    services.send_for_agreement(agreement, actor=broker)
    for party, person in parties.items():
        services.agree(agreement, actor=person, party=party, today=starts_on)
    deployment.refresh_from_db()
    return agreement


def review_and_evaluate(deployment, broker, reviewed_on):
    ratings = [
        services.Rating(o.pk, Rag.GREEN, "Observation notes") for o in services.current_objectives(deployment)
    ]
    services.record_review(
        deployment,
        actor=broker,
        reviewed_on=reviewed_on,
        ratings=ratings,
        next_review_on=reviewed_on + datetime.timedelta(days=42),
    )
    outcomes = {o.pk: ObjectiveOutcome.MET for o in services.current_objectives(deployment)}
    return outcomes


def test_an_sle_request_brokered_by_its_teaching_school(
    home_school, home_la_org, commissioner, teaching_school_org, teaching_school_lead
):
    phonics = SpecialismFactory(name="Phonics", slug="phonics")
    sle = DesignationType.objects.get(code="SLE")
    # An alliance school, not the teaching school itself: nobody brokers for their own school.
    alliance_school = SchoolFactory(local_authority=home_school.local_authority, name="Alliance Primary")
    pool_school = SchoolFactory(name="Pool Primary")
    in_pool = DesignationFactory(
        designation_type=sle,
        school=pool_school,
        designating_organisation=teaching_school_org,
        availability_days_per_week=Decimal("1.0"),
    )
    in_pool.specialisms.set([phonics])
    other_pool = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, name="Elsewhere TS", school=SchoolFactory()
    )
    elsewhere = DesignationFactory(
        designation_type=sle, designating_organisation=other_pool, availability_days_per_week=2
    )

    request = brokerage.raise_request(
        actor=commissioner,
        school=alliance_school,
        commissioner=home_la_org,
        broker=teaching_school_org,
        title="Phonics in KS1",
        needs_description="Phonics results fell.",
        designation_types=[sle],
        needs=[phonics],
        preferred_start_on=TODAY,
    )
    result = match(request, today=TODAY)
    assert [c.designation for c in result.ranked] == [in_pool]
    with pytest.raises(BrokerageError, match="not in its pool"):
        brokerage.shortlist(request, elsewhere, actor=teaching_school_lead)
    brokerage.shortlist(request, in_pool, actor=teaching_school_lead)
    deployment = services.propose(request, in_pool, actor=teaching_school_lead, today=TODAY)

    parties = {
        Party.SUPPORTED_SCHOOL: school_member(alliance_school, "head@home.example.org"),
        Party.LEADER_SCHOOL: school_member(pool_school, "head@pool.example.org"),
        Party.COMMISSIONER: commissioner,
    }
    # In term around today, so its four weeks hold school days; it starts on the latest school day
    # so time can be logged on its first day whatever today is.
    in_term(None, TODAY - datetime.timedelta(weeks=8), TODAY + datetime.timedelta(weeks=8))
    first_day = latest_school_day(alliance_school.local_authority, today=TODAY)
    draft_and_agree(deployment, teaching_school_lead, parties, starts_on=first_day, weeks=4)
    assert deployment.state == State.ACTIVE
    services.log_time(deployment, actor=in_pool.holder, worked_on=first_day, days=Decimal("1"), today=TODAY)
    outcomes = review_and_evaluate(deployment, teaching_school_lead, TODAY)
    services.transition(deployment, State.AWAITING_FINAL_EVALUATION, actor=teaching_school_lead)
    services.record_final_evaluation(
        deployment, actor=teaching_school_lead, impact="Screening check rose.", outcomes=outcomes
    )

    deployment.refresh_from_db()
    request.refresh_from_db()
    assert deployment.state == State.COMPLETED
    assert request.status == RequestStatus.AGREED
    assert [t.to_state for t in deployment.transitions.all()] == [
        State.AGREED,
        State.ACTIVE,
        State.AWAITING_FINAL_EVALUATION,
        State.COMPLETED,
    ]


def test_an_nle_request_brokered_by_a_local_authority(home_school, home_la_org, la_officer, commissioner):
    from deployments import jobs

    nle = DesignationType.objects.get(code="NLE")
    nss = SchoolFactory(name="Outstanding Academy")
    leader = DesignationFactory(designation_type=nle, school=nss, availability_days_per_week=Decimal("3.0"))
    with pytest.raises(BrokerageError, match="priority for support"):
        brokerage.raise_request(
            actor=commissioner,
            school=home_school,
            commissioner=home_la_org,
            broker=home_la_org,
            title="Leadership",
            needs_description="After an Inadequate judgement.",
            designation_types=[nle],
        )
    request = brokerage.raise_request(
        actor=commissioner,
        school=home_school,
        commissioner=home_la_org,
        broker=home_la_org,
        title="Leadership",
        needs_description="After an Inadequate judgement.",
        designation_types=[nle],
        priority_reasons=[PriorityReason.SIGNIFICANT_IMPROVEMENT],
    )
    assert [c.designation for c in match(request, today=TODAY).ranked] == [leader]
    deployment = services.propose(request, leader, actor=la_officer, today=TODAY)
    start = TODAY - datetime.timedelta(weeks=10)
    parties = {
        Party.SUPPORTED_SCHOOL: school_member(home_school, "head@home.example.org"),
        Party.LEADER_SCHOOL: leader.holder,
        Party.COMMISSIONER: commissioner,
    }
    draft_and_agree(deployment, la_officer, parties, starts_on=start, weeks=8, days_per_week="2.0")
    assert deployment.state == State.ACTIVE
    first_school_days = school_days(start, start + datetime.timedelta(weeks=3), home_school.local_authority)
    for day in first_school_days[2:4]:  # a day at most on each date, on school days only
        services.log_time(
            deployment,
            actor=leader.holder,
            worked_on=day,
            days=Decimal("1"),
            today=TODAY,
        )
    outcomes = review_and_evaluate(deployment, la_officer, start + datetime.timedelta(weeks=4))

    jobs.close_ended_deployments(TODAY)  # its end date has passed
    deployment.refresh_from_db()
    assert deployment.state == State.AWAITING_FINAL_EVALUATION
    services.record_final_evaluation(
        deployment, actor=la_officer, impact="Leadership is now good.", outcomes=outcomes
    )
    deployment.refresh_from_db()
    assert deployment.state == State.COMPLETED
    assert deployment.final_evaluation.outcomes.filter(outcome=ObjectiveOutcome.MET).count() == 2
