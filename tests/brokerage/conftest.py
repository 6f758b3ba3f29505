"""Shared fixtures for the brokerage tests: the seeded types, and an LLE request for home_school that
Norfolk commissions and brokers (la_officer brokers it, commissioner commissioned it, school_leader
is the supported school), with one candidate who fits it."""

from decimal import Decimal

import pytest

from designations.models import DesignationType
from tests.factories import SchoolFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.designations import DesignationFactory, SpecialismFactory


@pytest.fixture
def lle_type(db) -> DesignationType:
    return DesignationType.objects.get(code="LLE")


@pytest.fixture
def sle_type(db) -> DesignationType:
    return DesignationType.objects.get(code="SLE")


@pytest.fixture
def maths(db):
    return SpecialismFactory(name="Maths", slug="maths")


@pytest.fixture
def support_request(home_school, home_la_org, lle_type):
    return SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle_type]
    )


@pytest.fixture
def candidate(lle_type, home_school):
    """An LLE 4 km from home_school with two days a week to give."""
    return DesignationFactory(
        designation_type=lle_type,
        availability_days_per_week=Decimal("2"),
        school=SchoolFactory(
            name="Candidate Primary", easting=home_school.easting + 4000, northing=home_school.northing
        ),
    )
