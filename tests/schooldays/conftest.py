"""Shared fixtures for the school-days tests: the national default's term dates the tests count
over (stated here, not read from the seed), the 2026 to 2027 year, a headteacher, and an
authority's own term dates."""

import datetime

import pytest

from accounts.choices import OrganisationKind, Role
from schooldays.models import SchoolYear, TermPeriod
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.schooldays import national_dates, no_national_dates

D = datetime.date
# Six half terms a year, on typical dates for England (the same as the seed's, which may change).
TERM_DATES = [
    ("Autumn 1", D(2025, 9, 3), D(2025, 10, 24)),
    ("Autumn 2", D(2025, 11, 3), D(2025, 12, 19)),
    ("Spring 1", D(2026, 1, 5), D(2026, 2, 13)),
    ("Spring 2", D(2026, 2, 23), D(2026, 3, 27)),
    ("Summer 1", D(2026, 4, 13), D(2026, 5, 22)),
    ("Summer 2", D(2026, 6, 1), D(2026, 7, 22)),
    ("Autumn 1", D(2026, 9, 3), D(2026, 10, 23)),
    ("Autumn 2", D(2026, 11, 2), D(2026, 12, 18)),
    ("Spring 1", D(2027, 1, 4), D(2027, 2, 12)),
    ("Spring 2", D(2027, 2, 22), D(2027, 3, 25)),
    ("Summer 1", D(2027, 4, 12), D(2027, 5, 28)),
    ("Summer 2", D(2027, 6, 7), D(2027, 7, 22)),
    ("Autumn 1", D(2027, 9, 2), D(2027, 10, 22)),
    ("Autumn 2", D(2027, 11, 1), D(2027, 12, 17)),
    ("Spring 1", D(2028, 1, 4), D(2028, 2, 11)),
    ("Spring 2", D(2028, 2, 21), D(2028, 4, 7)),
    ("Summer 1", D(2028, 4, 24), D(2028, 5, 26)),
    ("Summer 2", D(2028, 6, 5), D(2028, 7, 21)),
]
YEAR_WITHOUT_TERM_DATES = 2030


@pytest.fixture(autouse=True)
def term_dates(request):
    """The national default these tests count over: three years of half terms and none for 2030.
    Not for the PostgreSQL tests, whose transactions commit and are flushed."""
    if request.node.get_closest_marker("postgres") or not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    national_dates(TERM_DATES)
    no_national_dates(YEAR_WITHOUT_TERM_DATES)


@pytest.fixture
def year_2026(db) -> SchoolYear:
    """With the six national half terms of ``TERM_DATES``."""
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
