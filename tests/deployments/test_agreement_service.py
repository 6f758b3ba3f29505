"""The agreement: drafting, sending, three-party agreement, capacity (including two brokers at
once on PostgreSQL), new versions, and money paid only to a school."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from brokerage.choices import RequestStatus
from deployments import services
from deployments.choices import AgreementStatus, DeploymentState, Party, TimeBasis
from deployments.errors import CapacityExceeded, DeploymentError, InvalidTransition
from deployments.models import Agreement, Deployment
from designations.models import DesignationType
from schooldays.calendar import days_for_weekly_commitment, term_weeks
from tests.concurrency import run_at_once
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import DeploymentFactory, UnavailabilityFactory
from tests.factories.designations import DesignationFactory

TODAY = timezone.localdate()


def school_member(school, email, role=Role.SCHOOL_LEADER):
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, name=f"{school.name} org", school=school)
    return MembershipFactory(user=UserFactory(email=email), organisation=organisation, role=role).user


@pytest.fixture
def lle(db):
    return DesignationType.objects.get(code="LLE")


@pytest.fixture
def setting(home_school, home_la_org, la_officer, commissioner, lle):
    """An LLE request brokered by the LA, its leader (1.5 days a week) and a person for each party."""
    leader_school = SchoolFactory(name="Leader Primary")
    designation = DesignationFactory(
        designation_type=lle, school=leader_school, availability_days_per_week=Decimal("1.5")
    )
    request = SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle]
    )
    return {
        "request": request,
        "designation": designation,
        "broker": la_officer,
        "commissioner": commissioner,
        "supported": school_member(home_school, "head@supported.example.org"),
        "leader_head": school_member(leader_school, "head@leader.example.org"),
    }


def terms(deployment, **overrides):
    base = {
        "expected_impact": "Leaders sustain improvement.",
        "support_approach": "Coaching the head.",
        "school_participants": "Headteacher",
        "time_basis": TimeBasis.DAYS_PER_WEEK,
        "days_per_week": Decimal("1.0"),
        "total_days": None,
        "starts_on": TODAY,
        "ends_on": TODAY + datetime.timedelta(days=181),
        "rate_basis": "day_rate",
        "day_rate": Decimal("400"),
        "total_amount": None,
        "payer": deployment.commissioner,
        "payee_school": deployment.leader_school,
        "backfill_note": "",
    }
    return {**base, **overrides}


OBJECTIVES = [
    services.ObjectiveData(
        "Improve governance", "Governors hold leaders to account", TODAY + datetime.timedelta(days=90)
    )
]


def proposed(setting):
    return services.propose(setting["request"], setting["designation"], actor=setting["broker"], today=TODAY)


def sent(setting, **overrides):
    deployment = proposed(setting)
    agreement = services.save_draft(
        deployment, actor=setting["broker"], terms=terms(deployment, **overrides), objectives=OBJECTIVES
    )
    return deployment, services.send_for_agreement(agreement, actor=setting["broker"])


def agree_all(setting, agreement):
    services.agree(agreement, actor=setting["supported"], party=Party.SUPPORTED_SCHOOL, today=TODAY)
    services.agree(agreement, actor=setting["leader_head"], party=Party.LEADER_SCHOOL, today=TODAY)
    return services.agree(agreement, actor=setting["commissioner"], party=Party.COMMISSIONER, today=TODAY)


def test_propose_makes_a_proposed_deployment_and_moves_the_request(setting):
    deployment = proposed(setting)
    assert deployment.state == DeploymentState.PROPOSED
    assert deployment.leader == setting["designation"].holder
    setting["request"].refresh_from_db()
    assert setting["request"].status == RequestStatus.PROPOSED


def test_only_the_broker_may_propose(setting, other_la_officer, commissioner):
    for actor in (other_la_officer, commissioner):
        with pytest.raises(DeploymentError, match="Only the request's broker"):
            services.propose(setting["request"], setting["designation"], actor=actor, today=TODAY)


def test_an_excluded_leader_cannot_be_proposed(setting, home_school, lle):
    own = DesignationFactory(designation_type=lle, school=home_school, availability_days_per_week=2)
    with pytest.raises(DeploymentError, match="Conflict of interest"):
        services.propose(setting["request"], own, actor=setting["broker"], today=TODAY)


def test_all_three_parties_agreeing_starts_the_deployment(setting):
    deployment, agreement = sent(setting)
    services.agree(agreement, actor=setting["supported"], party=Party.SUPPORTED_SCHOOL, today=TODAY)
    services.agree(agreement, actor=setting["leader_head"], party=Party.LEADER_SCHOOL, today=TODAY)
    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.PROPOSED  # two of three is not enough

    services.agree(agreement, actor=setting["commissioner"], party=Party.COMMISSIONER, today=TODAY)

    deployment.refresh_from_db()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AGREED
    assert deployment.state == DeploymentState.ACTIVE
    assert deployment.days_per_week == Decimal("1.0")
    # A day a week over the 26 weeks' school days (the supported school's calendar), to the half day.
    authority = deployment.supported_school.local_authority_id
    ends_on = TODAY + datetime.timedelta(days=181)
    assert deployment.days_agreed == days_for_weekly_commitment(Decimal("1.0"), TODAY, ends_on, authority)
    assert [t.to_state for t in deployment.transitions.all()] == [
        DeploymentState.AGREED,
        DeploymentState.ACTIVE,
    ]
    setting["request"].refresh_from_db()
    assert setting["request"].status == RequestStatus.AGREED


def test_a_future_start_waits_as_agreed_until_its_day(setting):
    start = TODAY + datetime.timedelta(days=10)
    deployment, agreement = sent(setting, starts_on=start, ends_on=start + datetime.timedelta(days=100))
    agree_all(setting, agreement)
    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.AGREED
    assert services.start_if_due(deployment, start) is True
    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.ACTIVE


def test_a_person_cannot_agree_for_a_party_they_are_not(setting, outsider):
    _, agreement = sent(setting)
    with pytest.raises(DeploymentError, match="cannot agree for the commissioner"):
        services.agree(agreement, actor=setting["supported"], party=Party.COMMISSIONER, today=TODAY)
    with pytest.raises(DeploymentError):
        services.agree(agreement, actor=outsider, party=Party.SUPPORTED_SCHOOL, today=TODAY)


def test_a_party_cannot_agree_twice_or_agree_a_draft(setting):
    deployment = proposed(setting)
    draft = services.save_draft(
        deployment, actor=setting["broker"], terms=terms(deployment), objectives=OBJECTIVES
    )
    with pytest.raises(InvalidTransition):
        services.agree(draft, actor=setting["supported"], party=Party.SUPPORTED_SCHOOL, today=TODAY)
    services.send_for_agreement(draft, actor=setting["broker"])
    services.agree(draft, actor=setting["supported"], party=Party.SUPPORTED_SCHOOL, today=TODAY)
    with pytest.raises(InvalidTransition, match="already agreed"):
        services.agree(draft, actor=setting["supported"], party=Party.SUPPORTED_SCHOOL, today=TODAY)


def test_money_goes_to_the_leaders_school_never_elsewhere(setting, home_school):
    deployment = proposed(setting)
    with pytest.raises(DeploymentError, match="never to a person") as refused:
        services.save_draft(
            deployment,
            actor=setting["broker"],
            terms=terms(deployment, payee_school=home_school),
            objectives=OBJECTIVES,
        )
    assert refused.value.field == "payee_school"


def test_an_nles_support_school_may_be_paid(setting, home_school):
    from designations.models import NationalSupportSchool

    deployment = proposed(setting)
    nss = SchoolFactory(name="NSS Academy")
    NationalSupportSchool.objects.create(school=nss, designation=setting["designation"], started_on=TODAY)
    agreement = services.save_draft(
        deployment, actor=setting["broker"], terms=terms(deployment, payee_school=nss), objectives=OBJECTIVES
    )
    assert agreement.payee_school == nss


def test_objectives_need_a_measure_and_a_date(setting):
    deployment = proposed(setting)
    bad = [services.ObjectiveData("Improve", "", TODAY)]
    with pytest.raises(DeploymentError, match="Objective 1 needs"):
        services.save_draft(deployment, actor=setting["broker"], terms=terms(deployment), objectives=bad)
    with pytest.raises(DeploymentError, match="at least one objective"):
        services.save_draft(deployment, actor=setting["broker"], terms=terms(deployment), objectives=[])


def test_sending_an_agreement_beyond_capacity_is_refused_saying_by_how_much(setting):
    deployment = proposed(setting)
    agreement = services.save_draft(
        deployment,
        actor=setting["broker"],
        terms=terms(deployment, days_per_week=Decimal("2.0")),
        objectives=OBJECTIVES,
    )
    with pytest.raises(CapacityExceeded) as refused:
        services.send_for_agreement(agreement, actor=setting["broker"])
    assert "2 days a week" in refused.value.message
    assert "0.5 days a week more than the 1.5 days they can give" in refused.value.message


def test_existing_commitments_count_against_capacity(setting):
    DeploymentFactory(
        designation=setting["designation"],
        days_per_week=Decimal("1.0"),
        starts_on=TODAY - datetime.timedelta(days=5),
        ends_on=TODAY + datetime.timedelta(days=50),
    )
    deployment = proposed_anyway(setting)
    agreement = services.save_draft(
        deployment, actor=setting["broker"], terms=terms(deployment), objectives=OBJECTIVES
    )
    with pytest.raises(CapacityExceeded, match="0.5 days a week more"):
        services.send_for_agreement(agreement, actor=setting["broker"])


def test_total_days_are_spread_over_the_weeks(setting):
    deployment = proposed(setting)
    agreement = services.save_draft(
        deployment,
        actor=setting["broker"],
        objectives=OBJECTIVES,
        terms=terms(
            deployment,
            time_basis=TimeBasis.TOTAL_DAYS,
            days_per_week=None,
            total_days=Decimal("10"),
            ends_on=TODAY + datetime.timedelta(days=90),
        ),
    )
    authority = deployment.supported_school.local_authority_id
    weeks = term_weeks(TODAY, TODAY + datetime.timedelta(days=90), authority)
    assert agreement.committed_days_per_week == (Decimal("10") / weeks).quantize(Decimal("0.1"))
    assert agreement.agreed_days == Decimal("10")


def test_unavailability_limits_capacity(setting):
    UnavailabilityFactory(
        leader=setting["designation"].holder,
        starts_on=TODAY + datetime.timedelta(days=30),
        ends_on=TODAY + datetime.timedelta(days=40),
        days_per_week_available=Decimal("0.5"),
    )
    deployment = proposed(setting)
    agreement = services.save_draft(
        deployment, actor=setting["broker"], terms=terms(deployment), objectives=OBJECTIVES
    )
    with pytest.raises(CapacityExceeded, match="0.5 days a week more than the 0.5 days they can give"):
        services.send_for_agreement(agreement, actor=setting["broker"])


def proposed_anyway(setting):
    """A proposed deployment made directly (the matching would exclude a busy leader)."""
    designation = setting["designation"]
    return DeploymentFactory(
        support_request=setting["request"],
        designation=designation,
        state=DeploymentState.PROPOSED,
        starts_on=None,
        ends_on=None,
        days_per_week=0,
        days_agreed=0,
        next_review_on=None,
    )


def test_a_change_after_agreement_is_a_new_version_agreed_again(setting):
    deployment, agreement = sent(setting)
    agree_all(setting, agreement)
    draft = services.start_new_version(deployment, actor=setting["broker"])
    assert draft.version == 2 and draft.status == AgreementStatus.DRAFT
    assert [o.carried_from_id for o in draft.objectives.all()] == [o.pk for o in agreement.objectives.all()]
    services.save_draft(
        deployment,
        actor=setting["broker"],
        terms=terms(deployment, days_per_week=Decimal("1.5")),
        objectives=OBJECTIVES,
    )
    services.send_for_agreement(draft, actor=setting["broker"])
    deployment.refresh_from_db()
    assert deployment.days_per_week == Decimal("1.0")  # the old terms hold until all agree again
    agree_all(setting, draft)
    deployment.refresh_from_db()
    agreement.refresh_from_db()
    assert deployment.days_per_week == Decimal("1.5")
    assert agreement.status == AgreementStatus.SUPERSEDED
    assert deployment.state == DeploymentState.ACTIVE


def test_asking_for_changes_sends_it_back_to_draft_and_clears_agreement(setting):
    _, agreement = sent(setting)
    services.agree(agreement, actor=setting["supported"], party=Party.SUPPORTED_SCHOOL, today=TODAY)
    services.request_changes(agreement, actor=setting["commissioner"], reason="Lower the day rate.")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.signoffs.count() == 0


# --- two brokers, one leader, the same moment ---------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_brokers_cannot_both_take_the_last_of_a_leaders_time(home_la, lle):
    """Two agreements for one leader with 1.5 days a week, 1 day each, agreed at the same moment:
    the row lock on the leader makes the second see the first, so exactly one is refused."""
    assert connection.vendor == "postgresql"
    leader_school = SchoolFactory(name="Leader Primary")
    designation = DesignationFactory(
        designation_type=lle, school=leader_school, availability_days_per_week=Decimal("1.5")
    )
    leader_head = school_member(leader_school, "head@leader.example.org")
    agreements, commissioners = [], []
    for n in range(2):
        la_org = OrganisationFactory(
            kind=OrganisationKind.LOCAL_AUTHORITY, name=f"LA {n}", local_authority=home_la
        )
        broker = MembershipFactory(user=UserFactory(), organisation=la_org, role=Role.LA_OFFICER).user
        commissioner = MembershipFactory(user=UserFactory(), organisation=la_org, role=Role.COMMISSIONER).user
        school = SchoolFactory(local_authority=home_la, name=f"Supported {n}")
        supported = school_member(school, f"head{n}@supported.example.org")
        request = SupportRequestFactory(
            school=school, commissioner=la_org, broker=la_org, designation_types=[lle]
        )
        deployment = services.propose(request, designation, actor=broker, today=TODAY)
        agreement = services.save_draft(
            deployment, actor=broker, terms=terms(deployment), objectives=OBJECTIVES
        )
        services.send_for_agreement(agreement, actor=broker)
        services.agree(agreement, actor=supported, party=Party.SUPPORTED_SCHOOL, today=TODAY)
        services.agree(agreement, actor=leader_head, party=Party.LEADER_SCHOOL, today=TODAY)
        agreements.append(agreement)
        commissioners.append(commissioner)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def final_agreement(agreement, commissioner):
        try:
            barrier.wait(timeout=10)
            services.agree(agreement, actor=commissioner, party=Party.COMMISSIONER, today=TODAY)
            outcomes.append("agreed")
        except CapacityExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    pairs = zip(agreements, commissioners, strict=True)
    threads = [threading.Thread(target=final_agreement, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["agreed", "refused"]
    committed = Deployment.objects.filter(leader=designation.holder, state=DeploymentState.ACTIVE)
    assert committed.count() == 1


# --- a version changes status under its own lock ----------------------------------------------


def two_parties_agree(setting, agreement):
    services.agree(agreement, actor=setting["supported"], party=Party.SUPPORTED_SCHOOL, today=TODAY)
    services.agree(agreement, actor=setting["leader_head"], party=Party.LEADER_SCHOOL, today=TODAY)


def test_asking_for_changes_after_the_last_party_agreed_is_refused(setting):
    """The page was loaded while the version waited; the last party agreed before the click."""
    _, agreement = sent(setting)
    stale = Agreement.objects.get(pk=agreement.pk)
    two_parties_agree(setting, agreement)
    services.agree(agreement, actor=setting["commissioner"], party=Party.COMMISSIONER, today=TODAY)
    with pytest.raises(InvalidTransition, match="no longer waiting for agreement: it is agreed"):
        services.request_changes(stale, actor=setting["supported"], reason="Fewer days.")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AGREED
    assert agreement.signoffs.count() == 3


def test_sending_a_version_already_sent_is_refused(setting):
    _, agreement = sent(setting)
    stale = Agreement.objects.get(pk=agreement.pk)
    stale.status = AgreementStatus.DRAFT  # as a page loaded before the first send saw it
    with pytest.raises(InvalidTransition, match="has been sent"):
        services.send_for_agreement(stale, actor=setting["broker"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_agreeing_and_asking_for_changes_at_once_leave_one_outcome(setting):
    """The last party agrees as another asks for changes: one of them wins, the other is told the
    version is no longer waiting for agreement. Never an agreed deployment whose only agreement
    is back in draft."""
    assert connection.vendor == "postgresql"
    deployment, agreement = sent(setting)
    two_parties_agree(setting, agreement)
    outcomes = run_at_once(
        lambda: services.agree(
            agreement, actor=setting["commissioner"], party=Party.COMMISSIONER, today=TODAY
        ),
        lambda: services.request_changes(agreement, actor=setting["supported"], reason="Fewer days."),
    )
    assert sorted(outcomes) == ["InvalidTransition", "done"]
    agreement.refresh_from_db()
    deployment.refresh_from_db()
    if agreement.status == AgreementStatus.AGREED:
        assert deployment.state == DeploymentState.ACTIVE
        assert agreement.signoffs.count() == 3
    else:
        assert agreement.status == AgreementStatus.DRAFT
        assert deployment.state == DeploymentState.PROPOSED
        assert agreement.signoffs.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_sends_at_once_send_once_and_email_the_parties_once(setting):
    """Five presses of "Send" at once: one sends, four are refused, and the parties are told once."""
    assert connection.vendor == "postgresql"
    deployment, agreement = sent(setting)
    services.request_changes(agreement, actor=setting["supported"], reason="Fewer days.")
    mail.outbox.clear()
    outcomes = run_at_once(*[lambda: services.send_for_agreement(agreement, actor=setting["broker"])] * 5)
    assert sorted(outcomes) == ["InvalidTransition"] * 4 + ["done"]
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING_AGREEMENT
    assert len([m for m in mail.outbox if m.subject.startswith("Please agree")]) == 1
