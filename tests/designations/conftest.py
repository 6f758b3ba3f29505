"""Shared fixtures for the designations tests: the seeded types, open rounds and applicants."""

import datetime

import pytest
from django.utils import timezone

from accounts.choices import OrganisationKind
from designations.choices import CriterionCheck, LeadershipRole
from designations.models import Application, DesignationType
from designations.services import (
    needs_local_authority_referee,
    record_response,
    start_application,
    update_draft,
)
from schools.choices import Grade
from tests.factories import OrganisationFactory, SchoolFactory, UserFactory, graded_inspection
from tests.factories.designations import ApplicationRoundFactory, LeadershipPostFactory
from tests.factories.schools import LocalAuthorityFactory


def years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=round(years * 365.25))


@pytest.fixture
def sle_type(db) -> DesignationType:
    return DesignationType.objects.get(code="SLE")


@pytest.fixture
def lle_type(db) -> DesignationType:
    return DesignationType.objects.get(code="LLE")


@pytest.fixture
def nle_type(db) -> DesignationType:
    return DesignationType.objects.get(code="NLE")


@pytest.fixture
def nlg_type(db) -> DesignationType:
    return DesignationType.objects.get(code="NLG")


@pytest.fixture
def open_round(db):
    """Makes a round of the given type that is open today: `open_round(lle_type, name=...)`."""

    def make(designation_type: DesignationType, **kwargs):
        return ApplicationRoundFactory(designation_type=designation_type, **kwargs)

    return make


@pytest.fixture
def outstanding_home_school(home_school):
    graded_inspection(home_school, Grade.OUTSTANDING)
    return home_school


@pytest.fixture
def headteacher(outstanding_home_school):
    """Headteacher of home_school (judged Outstanding) for the last 5 years."""
    user = UserFactory(email="headteacher@school.example.org", full_name="Hilary Head")
    LeadershipPostFactory(
        person=user, school=outstanding_home_school, role=LeadershipRole.HEADTEACHER, started_on=years_ago(5)
    )
    return user


@pytest.fixture
def middle_leader(outstanding_home_school):
    """Middle leader at home_school (judged Outstanding) for the last 5 years."""
    user = UserFactory(email="middle.leader@school.example.org", full_name="Morgan Middle")
    LeadershipPostFactory(
        person=user,
        school=outstanding_home_school,
        role=LeadershipRole.MIDDLE_LEADER,
        started_on=years_ago(5),
    )
    return user


@pytest.fixture
def complete_draft():
    """Fills a draft so it can be submitted: statement, referee, every evidence and declaration.

    `complete_draft(application, referee_email="")` leaves the referee out."""

    def complete(application: Application, *, referee_email: str = "robin.referee@norfolk.example.org"):
        referee = {}
        if referee_email and needs_local_authority_referee(application):
            referee["referee_local_authority"] = application.school.local_authority or LocalAuthorityFactory()
        update_draft(
            application,
            actor=application.applicant,
            statement="I coached two new headteachers through their first inspections.",
            referee_name="Robin Referee" if referee_email else "",
            referee_email=referee_email,
            referee_role="School improvement adviser" if referee_email else "",
            referee_organisation="Norfolk County Council" if referee_email else "",
            **referee,
        )
        answerable = [CriterionCheck.EVIDENCE, CriterionCheck.DECLARATION]
        for result in application.criterion_results.filter(kind__in=answerable):
            record_response(result, response="Yes: described in my statement.", actor=application.applicant)
        application.refresh_from_db()
        return application

    return complete


@pytest.fixture
def lle_application(headteacher, outstanding_home_school, lle_type, open_round) -> Application:
    """A draft LLE application by the headteacher, in an open round."""
    return start_application(
        applicant=headteacher, round=open_round(lle_type), school=outstanding_home_school
    )


@pytest.fixture
def teaching_school(home_la):
    """The school that is the teaching school here: not home_school, whose leaders apply to its
    rounds and whose designations it manages (nobody decides a case from their own school)."""
    return SchoolFactory(local_authority=home_la, name="Home Teaching School")


@pytest.fixture
def teaching_school_org(teaching_school):
    return OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL,
        name="Home Teaching School",
        school=teaching_school,
        local_authority=teaching_school.local_authority,
    )
