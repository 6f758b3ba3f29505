"""Raising a request: who may commission for which school, which broker, which types fit, and the
priority reasons a school's data suggests."""

import datetime

import pytest
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from brokerage import services
from brokerage.choices import PriorityReason, RequestStatus
from brokerage.errors import BrokerageError, InvalidTransition
from brokerage.models import RequestTransition
from brokerage.priority import suggested_priority_reasons
from designations.choices import LeadershipRole
from designations.models import DesignationType
from schools.choices import Grade
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    UserFactory,
    graded_inspection,
)
from tests.factories.brokerage import AlliancePartnerFactory, RiskAssessmentFactory, SupportRequestFactory
from tests.factories.designations import LeadershipPostFactory, SpecialismFactory

TODAY = timezone.localdate()


def types(*codes):
    return [DesignationType.objects.get(code=code) for code in codes]


def raise_for(actor, school, commissioner, broker, codes=("LLE",), **kwargs):
    return services.raise_request(
        actor=actor,
        school=school,
        commissioner=commissioner,
        broker=broker,
        title="Help",
        needs_description="Needs help.",
        designation_types=types(*codes),
        **kwargs,
    )


def test_a_commissioner_raises_a_request_for_a_school_in_their_area(commissioner, home_school, home_la_org):
    request = raise_for(commissioner, home_school, home_la_org, home_la_org)
    assert request.status == RequestStatus.OPEN
    assert request.raised_by == commissioner
    assert [t.code for t in request.designation_types.all()] == ["LLE"]


def test_not_for_a_school_outside_their_area(commissioner, other_school, home_la_org):
    with pytest.raises(BrokerageError) as refused:
        raise_for(commissioner, other_school, home_la_org, home_la_org)
    assert refused.value.field == "school"


def test_not_for_an_organisation_they_do_not_commission_for(la_officer, home_school, other_la_org):
    with pytest.raises(BrokerageError) as refused:
        raise_for(la_officer, home_school, other_la_org, other_la_org)
    assert refused.value.field == "commissioner"


def test_a_teaching_school_commissions_for_its_alliance_only(home_la, teaching_school_org):
    lead = MembershipFactory(
        user=UserFactory(), organisation=teaching_school_org, role=Role.COMMISSIONER
    ).user
    partner = SchoolFactory(local_authority=home_la)
    stranger = SchoolFactory(local_authority=home_la)
    AlliancePartnerFactory(teaching_school=teaching_school_org, school=partner)
    raise_for(lead, partner, teaching_school_org, teaching_school_org, codes=("SLE",))
    with pytest.raises(BrokerageError, match="cannot commission support"):
        raise_for(lead, stranger, teaching_school_org, teaching_school_org, codes=("SLE",))
    assert set(services.commissionable_schools(lead)) == {partner, teaching_school_org.school}


def test_a_school_commissions_for_itself(home_school, other_school):
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, name="Home", school=home_school)
    head = MembershipFactory(user=UserFactory(), organisation=organisation, role=Role.COMMISSIONER).user
    la = OrganisationFactory(
        kind=OrganisationKind.LOCAL_AUTHORITY, local_authority=home_school.local_authority
    )
    raise_for(head, home_school, organisation, la)
    with pytest.raises(BrokerageError):
        raise_for(head, other_school, organisation, la)


@pytest.mark.parametrize(
    "broker_kind, codes, allowed",
    [
        (OrganisationKind.TEACHING_SCHOOL, ("SLE",), True),
        (OrganisationKind.LOCAL_AUTHORITY, ("SLE",), False),
        (OrganisationKind.AGENCY, ("SLE",), False),
        (OrganisationKind.LOCAL_AUTHORITY, ("LLE",), True),
        (OrganisationKind.TEACHING_SCHOOL, ("LLE",), True),
        (OrganisationKind.AGENCY, ("LLE",), True),
        (OrganisationKind.DIOCESE, ("LLE",), False),
        (OrganisationKind.NATIONAL_BODY, ("NLG",), True),
        (OrganisationKind.LOCAL_AUTHORITY, ("NLG",), False),
    ],
)
def test_only_the_broker_the_rules_name(commissioner, home_school, home_la_org, broker_kind, codes, allowed):
    broker = OrganisationFactory(
        kind=broker_kind, school=SchoolFactory() if broker_kind == "teaching_school" else None
    )
    governance = SpecialismFactory(name="Governance", slug="governance")
    kwargs = {"needs": [governance]}
    if allowed:
        raise_for(commissioner, home_school, home_la_org, broker, codes=codes, **kwargs)
    else:
        with pytest.raises(BrokerageError) as refused:
            raise_for(commissioner, home_school, home_la_org, broker, codes=codes, **kwargs)
        assert refused.value.field in {"broker", "designation_types"}


def test_types_must_fit_the_request(commissioner, home_school, home_la_org):
    with pytest.raises(BrokerageError, match="priority for support"):
        raise_for(commissioner, home_school, home_la_org, home_la_org, codes=("NLE",))
    with pytest.raises(BrokerageError, match="not deployed through brokerage"):
        raise_for(commissioner, home_school, home_la_org, home_la_org, codes=("TS",))
    national = OrganisationFactory(kind=OrganisationKind.NATIONAL_BODY)
    with pytest.raises(BrokerageError, match="support governance"):
        raise_for(
            commissioner, home_school, home_la_org, national, codes=("NLG",), needs=[SpecialismFactory()]
        )
    with pytest.raises(BrokerageError, match="at least one kind"):
        raise_for(commissioner, home_school, home_la_org, home_la_org, codes=())


def test_a_closed_school_gets_no_request(commissioner, home_la, home_la_org):
    closed = SchoolFactory(local_authority=home_la, status="closed")
    with pytest.raises(BrokerageError, match="closed"):
        raise_for(commissioner, closed, home_la_org, home_la_org)


def test_unknown_priority_reasons_are_refused(commissioner, home_school, home_la_org):
    with pytest.raises(BrokerageError) as refused:
        raise_for(commissioner, home_school, home_la_org, home_la_org, priority_reasons=["made_up"])
    assert refused.value.field == "priority_reasons"


def test_priority_reasons_are_suggested_from_the_schools_data(home_school):
    assert suggested_priority_reasons(home_school, TODAY) == {}
    graded_inspection(home_school, Grade.REQUIRES_IMPROVEMENT)
    head = UserFactory(full_name="Nina New")
    LeadershipPostFactory(
        person=head,
        school=home_school,
        role=LeadershipRole.HEADTEACHER,
        started_on=TODAY - datetime.timedelta(days=200),
    )
    RiskAssessmentFactory(school=home_school, likely_good_outcomes=False)
    home_school.refresh_from_db()

    suggestions = suggested_priority_reasons(home_school, TODAY)

    assert set(suggestions) == {
        PriorityReason.OFSTED_CONCERN,
        PriorityReason.NEW_HEAD,
        PriorityReason.RISK_RATING,
    }
    assert "requires improvement" in suggestions[PriorityReason.OFSTED_CONCERN]
    assert "Nina New" in suggestions[PriorityReason.NEW_HEAD]


def test_a_head_with_an_earlier_headship_is_not_new(home_school):
    head = UserFactory()
    LeadershipPostFactory(
        person=head,
        school=SchoolFactory(),
        role=LeadershipRole.HEADTEACHER,
        started_on=TODAY - datetime.timedelta(days=3000),
        ended_on=TODAY - datetime.timedelta(days=400),
    )
    LeadershipPostFactory(
        person=head,
        school=home_school,
        role=LeadershipRole.HEADTEACHER,
        started_on=TODAY - datetime.timedelta(days=300),
    )
    assert PriorityReason.NEW_HEAD not in suggested_priority_reasons(home_school, TODAY)


def test_a_newer_safe_assessment_clears_the_risk_suggestion(home_school):
    RiskAssessmentFactory(
        school=home_school, likely_good_outcomes=False, assessed_on=TODAY - datetime.timedelta(days=90)
    )
    RiskAssessmentFactory(school=home_school, assessed_on=TODAY)
    assert PriorityReason.RISK_RATING not in suggested_priority_reasons(home_school, TODAY)


def test_status_changes_are_recorded_and_invalid_ones_refused(
    commissioner, home_school, home_la_org, la_officer
):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    services.withdraw(request, actor=commissioner, reason="The school found its own support.")
    change = RequestTransition.objects.get(request=request)
    assert (change.from_status, change.to_status, change.actor) == (
        RequestStatus.OPEN,
        RequestStatus.WITHDRAWN,
        commissioner,
    )
    with pytest.raises(InvalidTransition):
        services.close(request, actor=la_officer, reason="Nobody available.")


def test_only_the_commissioner_withdraws_and_only_the_broker_closes(
    commissioner, la_officer, home_school, home_la_org, other_la_officer
):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    with pytest.raises(BrokerageError):
        services.withdraw(request, actor=other_la_officer, reason="x")
    with pytest.raises(BrokerageError):
        services.close(request, actor=other_la_officer, reason="x")
    with pytest.raises(BrokerageError, match="Say why"):
        services.close(request, actor=la_officer, reason=" ")


def test_risk_assessment_only_for_the_officers_own_schools(la_officer, home_school, other_school):
    assessment = services.record_risk_assessment(
        home_school,
        actor=la_officer,
        likely_good_outcomes=False,
        effective_leadership=True,
        good_next_inspection=True,
    )
    assert assessment.is_at_risk
    with pytest.raises(BrokerageError, match="own local authority"):
        services.record_risk_assessment(
            other_school,
            actor=la_officer,
            likely_good_outcomes=True,
            effective_leadership=True,
            good_next_inspection=True,
        )
