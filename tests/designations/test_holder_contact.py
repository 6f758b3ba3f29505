"""A designation page shows the holder's work email only to the holder, national administrators
and people who may broker that designation's deployments (its type's brokering rule; for an SLE,
the teaching school whose pool it is in)."""

import pytest
from django.urls import reverse

from accounts.choices import OrganisationKind, Role
from designations.models import DesignationType
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unrelated_head(db):
    school = SchoolFactory(name="Unrelated Primary")
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, name=school.name, school=school)
    return MembershipFactory(organisation=organisation, role=Role.SCHOOL_LEADER).user


@pytest.fixture
def sle(teaching_school_org):
    return DesignationFactory(
        holder=UserFactory(email="sam.sle@example.org"),
        designation_type=DesignationType.objects.get(code="SLE"),
        designating_organisation=teaching_school_org,
    )


@pytest.fixture
def lle(db):
    return DesignationFactory(
        holder=UserFactory(email="lou.lle@example.org"),
        designation_type=DesignationType.objects.get(code="LLE"),
    )


def sees_contact(client, user, designation) -> bool:
    client.force_login(user)
    response = client.get(reverse("designations:designation-detail", args=[designation.pk]))
    assert response.status_code == 200
    return designation.holder.email in response.content.decode()


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("teaching_school_lead", True),  # its pool: it brokers this SLE
        ("national_admin", True),
        ("la_officer", False),  # LAs do not broker SLEs
        ("other_la_officer", False),
        ("associate", False),
        ("school_leader", False),
        ("unrelated_head", False),
        ("outsider", False),
    ],
)
def test_an_sles_contact_is_for_its_pools_broker(client, request, sle, persona, sees):
    assert sees_contact(client, request.getfixturevalue(persona), sle) is sees


def test_another_teaching_schools_lead_does_not_see_an_sles_contact(client, sle):
    other_pool = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, name="Other TS", school=SchoolFactory()
    )
    other_lead = MembershipFactory(organisation=other_pool, role=Role.TEACHING_SCHOOL_LEAD).user
    assert sees_contact(client, other_lead, sle) is False


def test_the_holder_sees_their_own_contact(client, sle):
    assert sees_contact(client, sle.holder, sle) is True


@pytest.mark.parametrize(
    "persona, sees",
    [
        # Local brokers may broker any LLE in England (matching has no area limit), so any local
        # authority officer or teaching-school lead may need to reach them.
        ("la_officer", True),
        ("other_la_officer", True),
        ("teaching_school_lead", True),
        ("associate", False),  # the national body's associates broker NLGs, not LLEs
        ("school_leader", False),
        ("unrelated_head", False),
        ("outsider", False),
    ],
)
def test_an_lles_contact_is_for_the_local_brokers(client, request, lle, persona, sees):
    assert sees_contact(client, request.getfixturevalue(persona), lle) is sees
