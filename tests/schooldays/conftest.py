"""Shared fixtures for the school-days tests: the seeded 2026 to 2027 year, a headteacher, and an
authority's own term dates."""

import datetime

import pytest

from accounts.choices import OrganisationKind, Role
from schooldays.models import SchoolYear, TermPeriod
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

D = datetime.date


@pytest.fixture
def year_2026(db) -> SchoolYear:
    """Seeded by the data migration, with the six national half terms."""
    return SchoolYear.objects.get(starts_in=2026)


@pytest.fixture
def headteacher(home_school):
    organisation = OrganisationFactory(
        kind=OrganisationKind.SCHOOL, name=home_school.name, school=home_school,
        local_authority=home_school.local_authority,
    )
    return MembershipFactory(
        user=UserFactory(email="headteacher@school.example.org"), organisation=organisation,
        role=Role.HEADTEACHER,
    ).user


@pytest.fixture
def own_period(year_2026, home_la) -> TermPeriod:
    """Norfolk's own first half term, a week shorter than the national one (its only period)."""
    return TermPeriod.objects.create(
        school_year=year_2026, local_authority=home_la, name="Autumn 1",
        starts_on=D(2026, 9, 3), ends_on=D(2026, 10, 16),
    )


@pytest.fixture
def national_period(year_2026) -> TermPeriod:
    return TermPeriod.objects.of_calendar(year_2026, None).get(name="Autumn 1")
