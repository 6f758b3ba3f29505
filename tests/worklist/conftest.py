"""Fixtures for the tasks page: one of each kind of task at home_school, and helpers that read the
page. Norfolk (home_la_org) commissions and brokers: la_officer brokers and, as an LA officer,
also agrees for the commissioner; commissioner agrees for the commissioner; school_leader and
teaching_school_lead (whose teaching school is home_school) agree for the supported school; the
LLE ``leader`` agrees for their own school and logs time. The SLE applicant and the pool's SLE are
at alliance_school, not at the teaching school itself: nobody decides their own school's case."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind
from brokerage.choices import PartnershipStatus, RequestStatus
from deployments.choices import AgreementStatus, DeploymentState
from designations.choices import ApplicationState
from designations.models import DesignationType
from tests.factories import OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.brokerage import ProfessionalPartnershipFactory, SupportRequestFactory
from tests.factories.deployments import (
    AgreementFactory,
    DeploymentFactory,
    ObjectiveFactory,
    agreed_deployment,
)
from tests.factories.deployments import proposed_deployment as proposed
from tests.factories.designations import (
    ApplicationFactory,
    ApplicationRoundFactory,
    DeDesignationCaseFactory,
    DesignationFactory,
    RefereeRequestFactory,
    ReviewFactory,
)
from tests.factories.schooldays import in_term

KIND = re.compile(r'data-task-kind="([a-z-]+)"')


def task_kinds(client, user) -> list[str]:
    """The kinds of task on the user's home page, in the page's order, over all its pages."""
    client.force_login(user)
    kinds, page = [], 1
    while True:
        response = client.get(reverse("home"), {"page": page})
        assert response.status_code == 200
        kinds += KIND.findall(response.content.decode())
        if response.context["page_obj"].number >= response.context["page_obj"].paginator.num_pages:
            return kinds
        page += 1


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def sle_type(db):
    return DesignationType.objects.get(code="SLE")


@pytest.fixture
def lle_leader(db):
    """An LLE with two days a week to give, at a school of their own."""
    return DesignationFactory(
        holder=UserFactory(full_name="Lee Leader", email="leader@example.org"),
        designation_type=DesignationType.objects.get(code="LLE"),
        availability_days_per_week=Decimal("2.0"),
        school=SchoolFactory(name="Leader Primary School"),
    )


@pytest.fixture
def leader(lle_leader):
    return lle_leader.holder


@pytest.fixture
def home_request(home_school, home_la_org):
    return SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)


def quiet_deployment(support_request, designation, **kwargs):
    """Active, with time logged yesterday and its next review far off: it asks nothing of anyone."""
    today = timezone.localdate()
    return agreed_deployment(
        support_request=support_request,
        designation=designation,
        last_time_logged_on=today - datetime.timedelta(days=1),
        next_review_on=today + datetime.timedelta(days=60),
        **kwargs,
    )


@pytest.fixture
def awaiting_agreement(home_request, lle_leader):
    """A proposed deployment whose first version waits for all three parties."""
    deployment = DeploymentFactory(
        support_request=home_request, designation=lle_leader, state=DeploymentState.PROPOSED,
        next_review_on=None,
    )
    agreement = AgreementFactory(
        deployment=deployment, status=AgreementStatus.AWAITING_AGREEMENT, agreed_at=None
    )
    ObjectiveFactory(agreement=agreement)
    home_request.status = RequestStatus.PROPOSED
    home_request.save(update_fields=["status"])
    return agreement


@pytest.fixture
def proposed_deployment(home_request, lle_leader):
    """Just proposed: no agreement drafted yet."""
    return proposed(home_request, lle_leader)


@pytest.fixture
def review_due(home_request, lle_leader, today):
    """Active, time logged recently, its progress review due in a week."""
    deployment = quiet_deployment(home_request, lle_leader)
    deployment.next_review_on = today + datetime.timedelta(days=7)
    deployment.save(update_fields=["next_review_on"])
    return deployment


@pytest.fixture
def awaiting_evaluation(home_request, lle_leader):
    return quiet_deployment(home_request, lle_leader, state=DeploymentState.AWAITING_FINAL_EVALUATION)


@pytest.fixture
def stalled(home_request, lle_leader, today):
    """Active, no time logged for five weeks (of school: every weekday around today is a school day
    here, whatever the holidays), its next review far off."""
    deployment = quiet_deployment(home_request, lle_leader)
    in_term(
        deployment.supported_school.local_authority,
        today - datetime.timedelta(days=200),
        today + datetime.timedelta(days=200),
    )
    deployment.last_time_logged_on = today - datetime.timedelta(weeks=5)
    deployment.save(update_fields=["last_time_logged_on"])
    return deployment


@pytest.fixture
def open_request(home_request):
    return home_request


@pytest.fixture
def applicant(db):
    return UserFactory(full_name="Ada Applicant", email="applicant@example.org")


@pytest.fixture
def sle_round(sle_type, teaching_school_org):
    return ApplicationRoundFactory(designation_type=sle_type, teaching_school=teaching_school_org)


@pytest.fixture
def alliance_school(home_la):
    return SchoolFactory(local_authority=home_la, name="Alliance Primary School")


@pytest.fixture
def submitted_application(sle_round, applicant, alliance_school):
    return ApplicationFactory(
        round=sle_round, applicant=applicant, school=alliance_school, state=ApplicationState.SUBMITTED,
        submitted_at=timezone.now(),
    )


@pytest.fixture
def reference_awaited(sle_round, applicant, alliance_school):
    application = ApplicationFactory(
        round=sle_round, applicant=applicant, school=alliance_school,
        state=ApplicationState.AWAITING_REFEREE, submitted_at=timezone.now(),
    )
    return RefereeRequestFactory(application=application)


@pytest.fixture
def pool_designation(sle_type, teaching_school_org, alliance_school):
    """An SLE in the home teaching school's pool."""
    return DesignationFactory(
        designation_type=sle_type, designating_organisation=teaching_school_org, school=alliance_school,
        holder=UserFactory(full_name="Sam Specialist"),
    )


@pytest.fixture
def open_case(pool_designation):
    return DeDesignationCaseFactory(designation=pool_designation)


@pytest.fixture
def designation_review(pool_designation, today):
    return ReviewFactory(designation=pool_designation, due_on=today + datetime.timedelta(days=10))


@pytest.fixture
def partner(db):
    return DesignationFactory(
        designation_type=DesignationType.objects.get(code="LLE"),
        holder=UserFactory(full_name="Pat Partner", email="partner@example.org"),
    )


@pytest.fixture
def new_head(db):
    return UserFactory(full_name="Nina New", email="newhead@example.org")


@pytest.fixture
def partnership_request(partner, new_head, other_school):
    return ProfessionalPartnershipFactory(
        partner=partner, new_head=new_head, school=other_school, status=PartnershipStatus.REQUESTED,
    )


@pytest.fixture
def other_teaching_school_lead(other_school):
    from accounts.choices import Role
    from tests.factories import MembershipFactory

    organisation = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, name="Other Teaching School", school=other_school,
        local_authority=other_school.local_authority,
    )
    return MembershipFactory(
        user=UserFactory(email="lead@other-teaching.example.org"), organisation=organisation,
        role=Role.TEACHING_SCHOOL_LEAD,
    ).user
