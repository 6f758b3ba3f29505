"""Personas of a claim: every party of a ClaimSetting, plus a broker of another organisation, an
LA officer of another authority, and the leader."""

import pytest

from accounts.choices import OrganisationKind, Role
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.funding import ClaimSetting


@pytest.fixture
def broker_org(db):
    return OrganisationFactory(kind=OrganisationKind.AGENCY, name="Brokers Ltd")


@pytest.fixture
def setting(broker_org) -> ClaimSetting:
    return ClaimSetting.create(broker=broker_org)


@pytest.fixture
def personas(setting, broker_org) -> dict:
    other_la = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY)
    return {
        "commissioner": setting.commissioner,
        "second_commissioner": setting.second_commissioner,
        "other_la_officer": MembershipFactory(organisation=other_la, role=Role.LA_OFFICER).user,
        "head": setting.head,
        "business_manager": setting.business_manager,
        "leader": setting.deployment.leader,
        "supported_head": setting.supported_head,
        "broker": MembershipFactory(organisation=broker_org, role=Role.ASSOCIATE).user,
        "administrator": setting.administrator,
        "anonymous": None,
    }
