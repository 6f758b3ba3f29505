"""Personas beyond the shared ones: a leader who works on a deployment without belonging to an
organisation, a new head, an LLE, and a superuser who is a national administrator (as the demo's)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.choices import Role
from designations.choices import LeadershipRole
from designations.models import DesignationType
from tests.factories import MembershipFactory, SchoolFactory, UserFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import agreed_deployment
from tests.factories.designations import DesignationFactory, LeadershipPostFactory


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def lle_designation(**kwargs):
    return DesignationFactory(
        designation_type=DesignationType.objects.get(code="LLE"),
        offers_professional_partnership=True,
        availability_days_per_week=Decimal("1.0"),
        **kwargs,
    )


@pytest.fixture
def leader_deployment(home_school, home_la_org):
    """Norfolk brokers an LLE from a school outside Norfolk into home_school."""
    designation = lle_designation(holder=UserFactory(email="leader@example.org"), school=SchoolFactory())
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    return agreed_deployment(support_request=request, designation=designation)


@pytest.fixture
def leader(leader_deployment):
    """Leads a deployment and holds an LLE designation, but belongs to no organisation here."""
    return leader_deployment.leader


@pytest.fixture
def lle(db):
    """An LLE with no deployments: offers professional partnership."""
    return lle_designation(holder=UserFactory(email="lle@example.org")).holder


@pytest.fixture
def new_head(home_school):
    """Head of home_school for a year, their first headship."""
    head = UserFactory(email="newhead@example.org")
    LeadershipPostFactory(
        person=head, school=home_school, role=LeadershipRole.HEADTEACHER, started_on=days_ago(365)
    )
    return head


@pytest.fixture
def superuser_admin(national_body):
    """A national administrator who is also a Django superuser, like the demo's administrator."""
    user = UserFactory(email="super@example.org", is_staff=True, is_superuser=True)
    MembershipFactory(user=user, organisation=national_body, role=Role.NATIONAL_ADMINISTRATOR)
    return user


@pytest.fixture
def school_business_manager(home_school):
    """A school's business manager: they claim for the school, and see its claims."""
    from accounts.choices import OrganisationKind
    from tests.factories import OrganisationFactory

    school_org = OrganisationFactory(kind=OrganisationKind.SCHOOL, name=home_school.name, school=home_school)
    return MembershipFactory(
        user=UserFactory(email="sbm@school.example.org"), organisation=school_org,
        role=Role.SCHOOL_BUSINESS_MANAGER,
    ).user
