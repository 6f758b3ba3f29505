"""Independent decisions: nobody judges, decides or manages their own application or designation
(or one from their own school), nobody brokers for their own school or themselves, referees are
independent of the applicant, judgements carry a note."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.choices import Role
from brokerage.errors import BrokerageError
from brokerage.services import shortlist
from designations.choices import ApplicationState, CriterionCheck, CriterionOutcome, LeadershipRole
from designations.errors import DesignationError, NotIndependent
from designations.services import (
    record_assessment,
    record_reference,
    submit,
    suspend,
    transition,
    update_draft,
)
from tests.factories import SchoolFactory, UserFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.designations import (
    ApplicationFactory,
    ApplicationRoundFactory,
    DesignationFactory,
    LeadershipPostFactory,
)
from tests.factories.schools import LocalAuthorityFactory

State = ApplicationState
NOTE = "Checked against the evidence."

pytestmark = pytest.mark.django_db


# --- who may assess: own application / own school's / someone else's ----------------------------


@pytest.fixture
def alliance_school(home_la):
    return SchoolFactory(local_authority=home_la, name="Alliance Primary School")


@pytest.fixture
def sle_round(sle_type, teaching_school_org):
    return ApplicationRoundFactory(designation_type=sle_type, teaching_school=teaching_school_org)


def application_of(kind: str, actor, round, alliance_school, teaching_school):
    """The actor's own application, one from the actor's own school, or someone else's."""
    if kind == "own":
        return ApplicationFactory(
            applicant=actor, round=round, school=alliance_school, state=State.UNDER_ASSESSMENT
        )
    school = teaching_school if kind == "own_school" else alliance_school
    if kind == "own_school" and not actor.has_role(Role.TEACHING_SCHOOL_LEAD):
        LeadershipPostFactory(person=actor, school=school, role=LeadershipRole.HEADTEACHER)
        actor._own_school_ids = None
    return ApplicationFactory(round=round, school=school, state=State.UNDER_ASSESSMENT)


@pytest.mark.parametrize(
    ("persona", "kind", "allowed"),
    [
        ("teaching_school_lead", "own", False),
        ("teaching_school_lead", "own_school", False),
        ("teaching_school_lead", "someone_elses", True),
        ("national_admin", "own", False),
        ("national_admin", "own_school", False),
        ("national_admin", "someone_elses", True),
        ("la_officer", "own", False),
        ("la_officer", "own_school", False),
        ("la_officer", "someone_elses", False),
    ],
)
def test_nobody_assesses_their_own_or_their_own_schools_application(
    request, persona, kind, allowed, sle_round, alliance_school, teaching_school
):
    actor = request.getfixturevalue(persona)
    application = application_of(kind, actor, sle_round, alliance_school, teaching_school)
    assert actor.has_perm("designations.assess_application", application) is allowed
    if not allowed:
        with pytest.raises(DesignationError):
            transition(application, State.REJECTED, actor=actor, reason="No.")
        application.refresh_from_db()
        assert application.state == State.UNDER_ASSESSMENT


def test_a_teaching_school_lead_cannot_approve_an_application_from_the_teaching_schools_own_school(
    teaching_school_lead, sle_round, teaching_school
):
    application = ApplicationFactory(round=sle_round, school=teaching_school, state=State.UNDER_ASSESSMENT)
    with pytest.raises(NotIndependent, match="from your own school, Home Teaching School"):
        transition(application, State.APPROVED_PENDING_TRAINING, actor=teaching_school_lead)


def test_a_national_administrator_cannot_judge_or_designate_their_own_application(
    national_admin, sle_round, alliance_school
):
    application = ApplicationFactory(
        applicant=national_admin, round=sle_round, school=alliance_school, state=State.UNDER_ASSESSMENT
    )
    result = application.criterion_results.create(
        label="Track record",
        kind=CriterionCheck.EVIDENCE,
        outcome="needs_evidence",
        explanation="Needs evidence",
        evaluated_at="2026-01-01T00:00Z",
    )
    with pytest.raises(NotIndependent, match="your own application"):
        record_assessment(result, outcome=CriterionOutcome.MET, note=NOTE, actor=national_admin)
    application.state = State.APPROVED_PENDING_TRAINING
    application.save()
    with pytest.raises(NotIndependent, match="your own application"):
        transition(application, State.DESIGNATED, actor=national_admin)


def test_the_assess_page_says_why_an_assessor_may_not_assess_their_own_application(
    client, national_admin, sle_round, alliance_school
):
    application = ApplicationFactory(
        applicant=national_admin, round=sle_round, school=alliance_school, state=State.UNDER_ASSESSMENT
    )
    client.force_login(national_admin)
    response = client.get(reverse("applications:assess", args=[application.pk]))
    assert response.status_code == 403
    assert "You cannot assess or decide your own application" in response.content.decode()
    queue = client.get(reverse("applications:assess-queue")).context["applications"]
    assert application not in list(queue)


def test_the_api_refuses_an_own_school_approval_with_403_and_the_reason(
    teaching_school_lead, sle_round, teaching_school
):
    application = ApplicationFactory(round=sle_round, school=teaching_school, state=State.UNDER_ASSESSMENT)
    client = APIClient()
    client.force_authenticate(teaching_school_lead)
    response = client.post(f"/api/v1/applications/{application.pk}/approve/")
    assert response.status_code == 403
    assert "from your own school" in response.json()["detail"]


# --- designations: status, cases, reviews ---------------------------------------------------------


@pytest.mark.parametrize("persona", ["national_admin", "teaching_school_lead"])
def test_nobody_suspends_their_own_designation_or_one_at_their_own_school(
    request, persona, sle_type, teaching_school_org, teaching_school
):
    actor = request.getfixturevalue(persona)
    own = DesignationFactory(
        holder=actor, designation_type=sle_type, designating_organisation=teaching_school_org
    )
    own_school = DesignationFactory(
        school=teaching_school, designation_type=sle_type, designating_organisation=teaching_school_org
    )
    if persona == "national_admin":
        LeadershipPostFactory(person=actor, school=teaching_school, role=LeadershipRole.HEADTEACHER)
    for designation in (own, own_school):
        assert not actor.has_perm("designations.change_designation_status", designation)
        with pytest.raises(NotIndependent):
            suspend(designation, actor=actor, reason="Concerns.")


def test_the_designation_page_says_why_a_holder_may_not_manage_their_own_designation(
    client, national_admin, nle_type, national_body
):
    designation = DesignationFactory(
        holder=national_admin, designation_type=nle_type, designating_organisation=national_body
    )
    client.force_login(national_admin)
    response = client.get(reverse("designations-manage:status", args=[designation.pk, "suspend"]))
    assert response.status_code == 403
    assert "your own designation" in response.content.decode()


# --- brokering -----------------------------------------------------------------------------------


def test_nobody_brokers_support_for_their_own_school(la_officer, home_la_org, home_school):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    other = SupportRequestFactory(commissioner=home_la_org, broker=home_la_org)
    assert la_officer.has_perm("brokerage.broker_request", request)
    LeadershipPostFactory(person=la_officer, school=home_school, role=LeadershipRole.DEPUTY_HEADTEACHER)
    la_officer._own_school_ids = None
    assert not la_officer.has_perm("brokerage.broker_request", request)
    assert la_officer.has_perm("brokerage.broker_request", other)


def test_a_broker_cannot_shortlist_themselves(la_officer, home_la_org, lle_type):
    request = SupportRequestFactory(
        commissioner=home_la_org, broker=home_la_org, designation_types=[lle_type]
    )
    own = DesignationFactory(holder=la_officer, designation_type=lle_type)
    with pytest.raises(BrokerageError, match="of yourself"):
        shortlist(request, own, actor=la_officer)


# --- referees ------------------------------------------------------------------------------------


def test_an_applicant_cannot_be_their_own_referee(lle_application, complete_draft, headteacher):
    with pytest.raises(DesignationError, match="your own referee"):
        complete_draft(lle_application, referee_email="HeadTeacher@School.example.org")


def test_a_referee_at_the_applicants_school_is_refused(
    lle_application, complete_draft, outstanding_home_school
):
    colleague = UserFactory(email="deputy@elsewhere.example.org")
    LeadershipPostFactory(
        person=colleague, school=outstanding_home_school, role=LeadershipRole.DEPUTY_HEADTEACHER
    )
    with pytest.raises(DesignationError, match="must not work at your school"):
        complete_draft(lle_application, referee_email="deputy@elsewhere.example.org")
    with pytest.raises(DesignationError, match="must not work at your school"):
        update_draft(
            lle_application,
            actor=lle_application.applicant,
            referee_name="Pat",
            referee_email="pat@example.org",
            referee_organisation=outstanding_home_school.name.upper(),
        )


def test_an_lle_referee_names_their_local_authority(lle_application, headteacher):
    with pytest.raises(DesignationError, match="local authority referee"):
        update_draft(
            lle_application,
            actor=headteacher,
            referee_name="Robin",
            referee_email="robin@la.example.org",
            referee_role="Adviser",
            referee_organisation="Improvement service",
        )
    authority = LocalAuthorityFactory(name="Norfolk")
    update_draft(
        lle_application,
        actor=headteacher,
        referee_name="Robin",
        referee_email="robin@la.example.org",
        referee_role="Adviser",
        referee_local_authority=authority,
    )
    lle_application.refresh_from_db()
    assert lle_application.referee_local_authority == authority


def test_the_referee_form_asks_an_lle_applicant_for_the_authority(client, lle_application, headteacher):
    client.force_login(headteacher)
    url = reverse("applications:section", args=[lle_application.pk, "referee"])
    response = client.post(
        url, {"referee_name": "Robin", "referee_email": "robin@la.example.org", "referee_role": "Adviser"}
    )
    assert response.status_code == 200
    assert "Select the local authority your referee works for" in response.content.decode()


def test_the_assessor_sees_the_referees_email_role_and_organisation(
    client, lle_application, complete_draft, headteacher, national_admin
):
    submitted = submit(complete_draft(lle_application), actor=headteacher)
    record_reference(submitted.referee_requests.get(), recommendation="support", evidence="Great coach.")
    client.force_login(national_admin)
    page = client.get(reverse("applications:assess", args=[submitted.pk])).content.decode()
    assert "robin.referee@norfolk.example.org" in page
    assert "School improvement adviser" in page
    assert "Norfolk County Council" in page
