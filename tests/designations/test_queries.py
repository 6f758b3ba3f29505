import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from designations.choices import DesignationStatus
from designations.queries import designation_types, designations_visible_to, open_rounds_for, pool_for
from tests.factories import LocalAuthorityFactory, MembershipFactory, OrganisationFactory, SchoolFactory
from tests.factories.designations import (
    ApplicationRoundFactory,
    CriterionFactory,
    DesignationFactory,
    LeadershipPostFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_anyone_signed_in_sees_only_active_designations(outsider):
    active = DesignationFactory()
    DesignationFactory(status=DesignationStatus.SUSPENDED)
    DesignationFactory(status=DesignationStatus.DE_DESIGNATED)
    assert list(designations_visible_to(outsider)) == [active]


def test_anonymous_visitors_see_no_designations():
    DesignationFactory()
    assert not designations_visible_to(AnonymousUser()).exists()


def test_national_administrators_see_every_status(national_admin):
    DesignationFactory()
    DesignationFactory(status=DesignationStatus.LAPSED)
    assert designations_visible_to(national_admin).count() == 2


def test_designating_organisation_sees_every_status_of_its_own_designations(teaching_school_lead,
                                                                           teaching_school_org):
    own_suspended = DesignationFactory(
        designating_organisation=teaching_school_org, status=DesignationStatus.SUSPENDED
    )
    DesignationFactory(status=DesignationStatus.SUSPENDED)
    assert list(designations_visible_to(teaching_school_lead)) == [own_suspended]


def test_holder_sees_their_own_ended_designation(outsider):
    mine = DesignationFactory(holder=outsider, status=DesignationStatus.DE_DESIGNATED)
    assert list(designations_visible_to(outsider)) == [mine]


def test_pool_holds_only_the_teaching_schools_designations(teaching_school_org):
    in_pool = DesignationFactory(designating_organisation=teaching_school_org)
    DesignationFactory()
    assert list(pool_for(teaching_school_org)) == [in_pool]


def test_open_rounds_match_the_authority_or_region_of_the_leaders_school(home_school, other_la):
    leader = LeadershipPostFactory(school=home_school).person
    anywhere = ApplicationRoundFactory(name="Anywhere")
    in_home_la = ApplicationRoundFactory(name="Norfolk", local_authority=home_school.local_authority)
    in_region = ApplicationRoundFactory(name="East", region="East of England")
    ApplicationRoundFactory(name="Suffolk", local_authority=other_la)
    ApplicationRoundFactory(name="North West", region="North West")
    ApplicationRoundFactory(name="Closed", closes_on=TODAY - datetime.timedelta(days=1))
    ApplicationRoundFactory(name="Closed early", closed_early_on=TODAY - datetime.timedelta(days=1))
    assert set(open_rounds_for(leader, TODAY)) == {anywhere, in_home_la, in_region}


def test_open_rounds_use_school_memberships_and_ignore_ended_posts():
    authority = LocalAuthorityFactory(code="801", region="London")
    member_school, old_school = SchoolFactory(local_authority=authority), SchoolFactory()
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, school=member_school)
    person = MembershipFactory(organisation=organisation, role=Role.SCHOOL_LEADER).user
    LeadershipPostFactory(
        person=person, school=old_school, started_on=TODAY - datetime.timedelta(days=900),
        ended_on=TODAY - datetime.timedelta(days=30),
    )
    round_for_members = ApplicationRoundFactory(local_authority=authority)
    ApplicationRoundFactory(local_authority=old_school.local_authority)
    assert list(open_rounds_for(person, TODAY)) == [round_for_members]


def test_a_person_without_a_school_has_no_open_rounds(outsider):
    ApplicationRoundFactory()
    assert not open_rounds_for(outsider, TODAY).exists()


def test_rounds_of_inactive_types_are_not_offered(home_school):
    leader = LeadershipPostFactory(school=home_school).person
    ApplicationRoundFactory(designation_type__is_active=False)
    assert not open_rounds_for(leader, TODAY).exists()


def test_designation_types_list_only_active_criteria():
    criterion = CriterionFactory(label="Still asked")
    CriterionFactory(designation_type=criterion.designation_type, is_active=False)
    designation_type = designation_types().get(pk=criterion.designation_type.pk)
    assert designation_type.active_criteria == [criterion]


@pytest.mark.parametrize("persona", ["national_admin", "teaching_school_lead", "outsider"])
def test_the_view_designation_rule_agrees_with_the_directory_query(request, persona, teaching_school_org):
    user = request.getfixturevalue(persona)
    designations = [
        DesignationFactory(),
        DesignationFactory(status=DesignationStatus.SUSPENDED),
        DesignationFactory(designating_organisation=teaching_school_org, status=DesignationStatus.LAPSED),
        DesignationFactory(holder=user, status=DesignationStatus.DE_DESIGNATED),
    ]
    visible = set(designations_visible_to(user))
    for designation in designations:
        assert user.has_perm("designations.view_designation", designation) is (designation in visible)
