"""Shared fixtures for the deployment tests: deployments at home_school, commissioned and brokered
by Norfolk (la_officer brokers, commissioner commissions, school_leader is the supported school),
and one in Suffolk nobody in Norfolk may see."""

from decimal import Decimal

import pytest

from designations.models import DesignationType
from tests.factories import UserFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import agreed_deployment
from tests.factories.deployments import proposed_deployment as proposed
from tests.factories.designations import DesignationFactory


@pytest.fixture
def lle_leader(db):
    """An LLE with two days a week to give, at a school of their own."""
    return DesignationFactory(
        holder=UserFactory(full_name="Lee Leader", email="leader@example.org"),
        designation_type=DesignationType.objects.get(code="LLE"),
        availability_days_per_week=Decimal("2.0"),
    )


@pytest.fixture
def home_request(home_school, home_la_org):
    return SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)


@pytest.fixture
def home_deployment(home_request, lle_leader):
    """Active, with an agreed first version and two objectives."""
    return agreed_deployment(support_request=home_request, designation=lle_leader)


@pytest.fixture
def proposed_deployment(home_request, lle_leader):
    """Just proposed: no agreement, no dates yet."""
    return proposed(home_request, lle_leader)


@pytest.fixture
def other_deployment(other_school, other_la_org):
    request = SupportRequestFactory(school=other_school, commissioner=other_la_org, broker=other_la_org)
    return agreed_deployment(support_request=request)


@pytest.fixture
def leader(lle_leader):
    return lle_leader.holder
