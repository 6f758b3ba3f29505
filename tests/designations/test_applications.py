"""Applications: rounds, one live application per round, one current designation per type, the
state machine (every allowed move, refused ones, permissions, records) and its emails."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from designations.choices import (
    ApplicationState,
    CriterionCheck,
    CriterionOutcome,
    DesignatingBody,
    DesignationStatus,
)
from designations.errors import DesignationError, InvalidTransition
from designations.models import Application, ApplicationTransition, Designation
from designations.services import (
    ALLOWED_TRANSITIONS,
    record_assessment,
    record_reference,
    start_application,
    submit,
    transition,
    update_draft,
    withdraw,
)
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.designations import (
    ApplicationFactory,
    ApplicationRoundFactory,
    DesignationFactory,
    DesignationTypeFactory,
)

NOTE = "Checked against the evidence."  # an assessor's note on a judgement

State = ApplicationState
TODAY = timezone.localdate


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- Rounds --------------------------------------------------------------------------------------


def test_an_application_can_be_started_while_the_round_is_open(lle_application):
    assert lle_application.state == State.DRAFT
    assert lle_application.designation_type.code == "LLE"
    assert lle_application.criterion_results.count() == 8


def test_an_application_cannot_be_started_before_the_round_opens(
    headteacher, home_school, lle_type, open_round
):
    round = open_round(
        lle_type, name="LLE spring round", opens_on=TODAY() + days(3), closes_on=TODAY() + days(30)
    )
    opens = (TODAY() + days(3)).strftime("%-d %B %Y")
    with pytest.raises(DesignationError, match=f"LLE spring round opens for applications on {opens}"):
        start_application(applicant=headteacher, round=round, school=home_school)


def test_an_application_cannot_be_started_after_the_round_closes(
    headteacher, home_school, lle_type, open_round
):
    round = open_round(
        lle_type, name="LLE 2011 round", opens_on=TODAY() - days(60), closes_on=TODAY() - days(1)
    )
    with pytest.raises(DesignationError, match="LLE 2011 round closed for applications on"):
        start_application(applicant=headteacher, round=round, school=home_school)


def test_a_round_closed_early_takes_no_applications(headteacher, home_school, lle_type, open_round):
    round = open_round(lle_type, closed_early_on=TODAY() - days(1))
    with pytest.raises(DesignationError, match="closed for applications"):
        start_application(applicant=headteacher, round=round, school=home_school)


def test_a_round_for_one_local_authority_refuses_schools_elsewhere(
    headteacher, other_school, home_la, lle_type, open_round
):
    round = open_round(lle_type, name="Norfolk LLE round", local_authority=home_la)
    with pytest.raises(
        DesignationError,
        match="Norfolk LLE round is only for schools in Norfolk; Other Primary School is not",
    ):
        start_application(applicant=headteacher, round=round, school=other_school)


def test_a_round_for_one_region_refuses_schools_elsewhere(headteacher, home_school, lle_type, open_round):
    round = open_round(lle_type, name="London LLE round", region="London")
    with pytest.raises(DesignationError, match="only for schools in London"):
        start_application(applicant=headteacher, round=round, school=home_school)


def test_submitting_after_the_round_closed_is_refused(lle_application, complete_draft, headteacher):
    complete_draft(lle_application)
    round = lle_application.round
    round.closed_early_on = TODAY() - days(1)
    round.save()
    with pytest.raises(DesignationError, match="closed for applications"):
        submit(lle_application, actor=headteacher)
    lle_application.refresh_from_db()
    assert lle_application.state == State.DRAFT


# --- One live application per round, one current designation per type ---------------------------


def test_a_second_live_application_in_the_same_round_is_refused(lle_application, headteacher, home_school):
    with pytest.raises(
        DesignationError, match="You already have an application in .*withdraw it before starting another"
    ):
        start_application(applicant=headteacher, round=lle_application.round, school=home_school)


def test_the_database_refuses_a_second_live_application_in_a_round(lle_application):
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(applicant=lle_application.applicant, round=lle_application.round)


def test_after_withdrawing_a_person_may_apply_again_in_the_round(lle_application, headteacher, home_school):
    withdraw(lle_application, actor=headteacher, reason="Applied with the wrong school.")
    again = start_application(applicant=headteacher, round=lle_application.round, school=home_school)
    assert again.state == State.DRAFT


def test_a_current_designation_of_the_type_blocks_applying(headteacher, home_school, lle_type, open_round):
    DesignationFactory(holder=headteacher, designation_type=lle_type, status=DesignationStatus.SUSPENDED)
    with pytest.raises(DesignationError, match="You are already a local leader of education"):
        start_application(applicant=headteacher, round=open_round(lle_type), school=home_school)


def test_an_ended_designation_does_not_block_applying_again(headteacher, home_school, lle_type, open_round):
    DesignationFactory(holder=headteacher, designation_type=lle_type, status=DesignationStatus.LAPSED)
    assert start_application(applicant=headteacher, round=open_round(lle_type), school=home_school).pk


def test_a_designation_of_another_type_does_not_block_applying(
    headteacher, home_school, lle_type, nle_type, open_round
):
    DesignationFactory(holder=headteacher, designation_type=lle_type)
    assert start_application(applicant=headteacher, round=open_round(nle_type), school=home_school).pk


# --- Drafts --------------------------------------------------------------------------------------


def test_the_applicant_can_save_a_draft_and_return_to_it(lle_application, headteacher):
    update_draft(lle_application, actor=headteacher, statement="  My case.  ", referee_name="Robin Referee")
    lle_application.refresh_from_db()
    assert (lle_application.statement, lle_application.referee_name) == ("My case.", "Robin Referee")


def test_only_the_applicant_can_change_a_draft(lle_application, national_admin):
    with pytest.raises(DesignationError, match="Only the applicant can change a draft"):
        update_draft(lle_application, actor=national_admin, statement="Not mine.")


def test_a_draft_refuses_unknown_answers(lle_application, headteacher):
    with pytest.raises(DesignationError, match="These answers cannot be changed: state"):
        update_draft(lle_application, actor=headteacher, state=State.DESIGNATED)


def test_a_draft_refuses_a_badly_formed_referee_email(lle_application, headteacher):
    with pytest.raises(DesignationError, match="Enter the referee's email address in the correct format"):
        update_draft(lle_application, actor=headteacher, referee_email="robin at norfolk")


def test_a_submitted_application_cannot_be_changed(lle_application, complete_draft, headteacher):
    submit(complete_draft(lle_application), actor=headteacher)
    with pytest.raises(DesignationError, match="Only the applicant can change a draft"):
        update_draft(lle_application, actor=headteacher, statement="Second thoughts.")


def test_submitting_lists_the_answers_still_missing(lle_application, headteacher):
    with pytest.raises(DesignationError) as refused:
        submit(lle_application, actor=headteacher)
    message = str(refused.value)
    assert message.startswith("Before you submit: give your evidence for “Coaching or mentoring experience")
    assert "confirm “You expect to stay at your school for at least 2 more years”" in message
    assert message.endswith("name your referee and give their email address.")


# --- Submission ----------------------------------------------------------------------------------


def test_submitting_with_a_referee_asks_the_referee_and_emails_both(
    lle_application, complete_draft, headteacher, django_capture_on_commit_callbacks
):
    complete_draft(lle_application)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit(lle_application, actor=headteacher)
    assert submitted.state == State.AWAITING_REFEREE
    assert submitted.submitted_at is not None
    assert lle_application.referee_requests.get().email == "robin.referee@norfolk.example.org"
    assert sorted(message.to[0] for message in mail.outbox) == [
        "headteacher@school.example.org",
        "robin.referee@norfolk.example.org",
    ]
    to_applicant = next(m for m in mail.outbox if m.to == ["headteacher@school.example.org"])
    assert to_applicant.subject == "Your LLE application has been submitted"
    assert "We have asked your referee, Robin Referee, to respond" in to_applicant.body
    assert to_applicant.alternatives[0][1] == "text/html"


def test_submitting_without_a_referee_criterion_goes_straight_to_assessment(
    headteacher, home_school, django_capture_on_commit_callbacks
):
    round = ApplicationRoundFactory(
        designation_type=DesignationTypeFactory(code="DLE", name="Derbyshire leader")
    )
    application = start_application(applicant=headteacher, round=round, school=home_school)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit(application, actor=headteacher)
    assert submitted.state == State.UNDER_ASSESSMENT
    assert not submitted.referee_requests.exists()
    assert [m.to for m in mail.outbox] == [["headteacher@school.example.org"]]


def test_nothing_is_emailed_when_submission_is_refused(
    lle_application, headteacher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DesignationError):
        submit(lle_application, actor=headteacher)
    assert mail.outbox == []


# --- The state machine: every allowed move --------------------------------------------------------

ASSESSOR_TARGETS = {
    State.AWAITING_REFEREE,
    State.UNDER_ASSESSMENT,
    State.APPROVED_PENDING_TRAINING,
    State.REJECTED,
    State.DESIGNATED,
}
ALLOWED_MOVES = sorted(
    (source, target) for source, targets in ALLOWED_TRANSITIONS.items() for target in targets
)


@pytest.fixture
def plain_round(national_body):
    """A round of a type with no criteria and no training, so only the state machine is tested."""
    return ApplicationRoundFactory(designation_type=DesignationTypeFactory(code="PLAIN", name="Plain type"))


@pytest.mark.parametrize(("source", "target"), ALLOWED_MOVES)
def test_every_allowed_transition_is_made_and_recorded(source, target, plain_round, national_admin):
    application = ApplicationFactory(round=plain_round, state=source)
    actor = national_admin if target in ASSESSOR_TARGETS else application.applicant
    if target == State.WITHDRAWN and source not in {
        State.DRAFT,
        State.SUBMITTED,
        State.AWAITING_REFEREE,
        State.UNDER_ASSESSMENT,
    }:
        actor = national_admin

    moved = transition(application, target, actor=actor, reason="Recorded for the test.")

    assert moved.state == target
    application.refresh_from_db()
    assert application.state == target
    record = application.transitions.get()
    assert (record.from_state, record.to_state, record.actor, record.reason) == (
        source,
        target,
        actor,
        "Recorded for the test.",
    )
    assert record.at is not None


def test_the_allowed_transitions_are_exactly_those_of_the_issue():
    assert {
        State.DRAFT: {State.SUBMITTED, State.WITHDRAWN},
        State.SUBMITTED: {State.AWAITING_REFEREE, State.UNDER_ASSESSMENT, State.WITHDRAWN},
        State.AWAITING_REFEREE: {State.UNDER_ASSESSMENT, State.WITHDRAWN},
        State.UNDER_ASSESSMENT: {State.APPROVED_PENDING_TRAINING, State.REJECTED, State.WITHDRAWN},
        State.APPROVED_PENDING_TRAINING: {State.DESIGNATED, State.WITHDRAWN},
        State.DESIGNATED: set(),
        State.REJECTED: set(),
        State.WITHDRAWN: set(),
    } == ALLOWED_TRANSITIONS


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        (
            State.DRAFT,
            State.APPROVED_PENDING_TRAINING,
            "An application that is draft cannot be moved to “approved, training to complete”.",
        ),
        (
            State.SUBMITTED,
            State.DESIGNATED,
            "An application that is submitted cannot be moved to “designated”.",
        ),
        (
            State.REJECTED,
            State.UNDER_ASSESSMENT,
            "An application that is rejected cannot be moved to “under assessment”.",
        ),
        (
            State.WITHDRAWN,
            State.SUBMITTED,
            "An application that is withdrawn cannot be moved to “submitted”.",
        ),
        (
            State.DESIGNATED,
            State.WITHDRAWN,
            "An application that is designated cannot be moved to “withdrawn”.",
        ),
        (State.DRAFT, "archived", "“archived” is not an application state."),
    ],
)
def test_a_transition_not_allowed_is_refused_with_a_clear_message(
    source, target, message, plain_round, national_admin
):
    application = ApplicationFactory(round=plain_round, state=source)
    with pytest.raises(InvalidTransition) as refused:
        transition(application, target, actor=national_admin, reason="Trying.")
    assert str(refused.value) == message
    application.refresh_from_db()
    assert application.state == source
    assert not application.transitions.exists()


def test_a_stale_copy_cannot_move_an_application_someone_else_already_moved(plain_round, national_admin):
    application = ApplicationFactory(round=plain_round, state=State.UNDER_ASSESSMENT)
    stale = Application.objects.get(pk=application.pk)
    transition(application, State.REJECTED, actor=national_admin, reason="Not enough evidence.")
    with pytest.raises(InvalidTransition, match="is rejected cannot be moved"):
        transition(stale, State.APPROVED_PENDING_TRAINING, actor=national_admin)


# --- Permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "national_admin", "la_officer", "teaching_school_lead"])
def test_only_the_applicant_can_submit(persona, request, plain_round):
    application = ApplicationFactory(round=plain_round)
    with pytest.raises(DesignationError, match="Only the applicant can submit their application"):
        transition(application, State.SUBMITTED, actor=request.getfixturevalue(persona))


@pytest.mark.parametrize("persona", ["outsider", "la_officer", "commissioner", "associate", "school_leader"])
def test_people_who_are_not_assessors_cannot_decide(persona, request, plain_round):
    application = ApplicationFactory(round=plain_round, state=State.UNDER_ASSESSMENT)
    with pytest.raises(DesignationError, match="You cannot assess or decide this application"):
        transition(application, State.APPROVED_PENDING_TRAINING, actor=request.getfixturevalue(persona))


def test_the_applicant_cannot_approve_their_own_application(plain_round):
    application = ApplicationFactory(round=plain_round, state=State.UNDER_ASSESSMENT)
    with pytest.raises(DesignationError, match="You cannot assess or decide this application"):
        transition(application, State.APPROVED_PENDING_TRAINING, actor=application.applicant)


def test_the_applicant_cannot_withdraw_after_approval(plain_round):
    application = ApplicationFactory(round=plain_round, state=State.APPROVED_PENDING_TRAINING)
    with pytest.raises(DesignationError, match="You cannot withdraw this application"):
        withdraw(application, actor=application.applicant)


def test_someone_else_cannot_withdraw_an_application(plain_round, outsider):
    application = ApplicationFactory(round=plain_round, state=State.SUBMITTED)
    with pytest.raises(DesignationError, match="You cannot withdraw this application"):
        withdraw(application, actor=outsider)


def test_a_transition_without_an_actor_is_refused(plain_round):
    with pytest.raises(DesignationError):
        transition(ApplicationFactory(round=plain_round), State.SUBMITTED, actor=None)


@pytest.fixture
def sle_round(sle_type, teaching_school_org, open_round):
    return open_round(sle_type, teaching_school=teaching_school_org)


def test_the_teaching_school_lead_decides_applications_to_their_pool(sle_round, teaching_school_lead):
    application = ApplicationFactory(round=sle_round, state=State.SUBMITTED)
    moved = transition(application, State.UNDER_ASSESSMENT, actor=teaching_school_lead)
    assert moved.state == State.UNDER_ASSESSMENT


def test_a_teaching_school_lead_cannot_decide_another_teaching_schools_applications(
    sle_type, open_round, teaching_school_lead
):
    other = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, school=SchoolFactory(), name="Other TS"
    )
    application = ApplicationFactory(round=open_round(sle_type, teaching_school=other), state=State.SUBMITTED)
    with pytest.raises(DesignationError, match="You cannot assess or decide"):
        transition(application, State.UNDER_ASSESSMENT, actor=teaching_school_lead)


def test_a_teaching_school_lead_cannot_decide_nationally_designated_types(
    lle_type, open_round, teaching_school_lead, teaching_school_org
):
    application = ApplicationFactory(
        round=open_round(lle_type, teaching_school=teaching_school_org), state=State.SUBMITTED
    )
    with pytest.raises(DesignationError, match="You cannot assess or decide"):
        transition(application, State.UNDER_ASSESSMENT, actor=teaching_school_lead)


def test_rules_give_the_applicant_and_assessors_sight_of_the_application(
    sle_round, teaching_school_lead, national_admin, outsider, la_officer
):
    application = ApplicationFactory(round=sle_round, state=State.SUBMITTED)
    for user in (application.applicant, teaching_school_lead, national_admin):
        assert user.has_perm("designations.view_application", application)
        assert user.has_perm("designations.view_evidence", application)
    for user in (outsider, la_officer):
        assert not user.has_perm("designations.view_application", application)
        assert not user.has_perm("designations.view_evidence", application)
    assert not application.applicant.has_perm("designations.change_application", application)
    assert application.applicant.has_perm("designations.withdraw_application", application)
    assert teaching_school_lead.has_perm("designations.assess_application", application)
    assert not application.applicant.has_perm("designations.assess_application", application)


# --- Decisions -----------------------------------------------------------------------------------


def test_rejecting_needs_a_reason(plain_round, national_admin):
    application = ApplicationFactory(round=plain_round, state=State.UNDER_ASSESSMENT)
    with pytest.raises(DesignationError, match="Give the reason for rejecting the application"):
        transition(application, State.REJECTED, actor=national_admin, reason="  ")


def test_rejecting_records_the_decision_and_emails_the_applicant(
    plain_round, national_admin, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(round=plain_round, state=State.UNDER_ASSESSMENT)
    with django_capture_on_commit_callbacks(execute=True):
        rejected = transition(
            application, State.REJECTED, actor=national_admin, reason="No coaching evidence."
        )
    assert rejected.decided_at is not None
    assert rejected.decision_reason == "No coaching evidence."
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [application.applicant.email]
    assert mail.outbox[0].subject == "Your PLAIN application was not successful"
    assert "Reason: No coaching evidence." in mail.outbox[0].body


def test_approval_is_refused_until_every_criterion_is_met(
    lle_application, complete_draft, headteacher, national_admin
):
    submit(complete_draft(lle_application), actor=headteacher)
    record_reference(
        lle_application.referee_requests.get(), recommendation="support", evidence="Great coach."
    )
    with pytest.raises(DesignationError) as refused:
        transition(lle_application, State.APPROVED_PENDING_TRAINING, actor=national_admin)
    assert str(refused.value).startswith(
        "An application can be approved only when every criterion is met. Not yet met: "
        "Coaching or mentoring experience with a head or senior leader outside your school;"
    )


def test_assessors_judge_evidence_and_declarations_but_not_automatic_checks(
    lle_application, complete_draft, headteacher, national_admin
):
    submit(complete_draft(lle_application), actor=headteacher)
    headship = lle_application.criterion_results.get(kind=CriterionCheck.YEARS_IN_HEADSHIP)
    with pytest.raises(DesignationError, match="judged automatically from known facts"):
        record_assessment(headship, outcome=CriterionOutcome.NOT_MET, note=NOTE, actor=national_admin)
    evidence = lle_application.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    with pytest.raises(DesignationError, match="You cannot assess this application"):
        record_assessment(evidence, outcome=CriterionOutcome.MET, note=NOTE, actor=headteacher)
    with pytest.raises(DesignationError, match="Choose whether the criterion is met or not met"):
        record_assessment(evidence, outcome=CriterionOutcome.NEEDS_EVIDENCE, note=NOTE, actor=national_admin)
    judged = record_assessment(evidence, outcome=CriterionOutcome.MET, note=NOTE, actor=national_admin)
    assert judged.final_outcome == "met"


def test_a_draft_cannot_be_assessed(lle_application, national_admin):
    evidence = lle_application.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    with pytest.raises(DesignationError, match="An application that is draft cannot be assessed"):
        record_assessment(evidence, outcome=CriterionOutcome.MET, note=NOTE, actor=national_admin)


def test_an_lle_application_goes_from_draft_to_designated(
    lle_application, complete_draft, headteacher, national_admin, django_capture_on_commit_callbacks
):
    submit(complete_draft(lle_application), actor=headteacher)
    record_reference(
        lle_application.referee_requests.get(), recommendation="support", evidence="Great coach."
    )
    for result in lle_application.criterion_results.filter(
        kind__in=[CriterionCheck.EVIDENCE, CriterionCheck.DECLARATION]
    ):
        record_assessment(result, outcome=CriterionOutcome.MET, note=NOTE, actor=national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            lle_application, State.APPROVED_PENDING_TRAINING, actor=national_admin, reason="Strong case."
        )
    assert mail.outbox[-1].subject == "Your LLE application has been approved"
    assert "Two consecutive training days" in mail.outbox[-1].body

    designated = transition(lle_application, State.DESIGNATED, actor=national_admin)

    assert designated.state == State.DESIGNATED
    designation = Designation.objects.get(application=lle_application)
    assert (designation.holder, designation.school, designation.status) == (
        headteacher,
        lle_application.school,
        DesignationStatus.ACTIVE,
    )
    assert list(lle_application.transitions.values_list("to_state", flat=True)) == [
        State.SUBMITTED,
        State.AWAITING_REFEREE,
        State.UNDER_ASSESSMENT,
        State.APPROVED_PENDING_TRAINING,
        State.DESIGNATED,
    ]
    assert ApplicationTransition.objects.filter(application=lle_application, actor=None).count() == 1


def test_an_sle_is_designated_into_the_pool_of_the_rounds_teaching_school(
    sle_round, teaching_school_lead, teaching_school_org
):
    application = ApplicationFactory(round=sle_round, state=State.APPROVED_PENDING_TRAINING)
    transition(application, State.DESIGNATED, actor=teaching_school_lead)
    assert Designation.objects.get(application=application).designating_organisation == teaching_school_org


def test_a_designating_teaching_school_needs_its_lead_role(sle_type, open_round):
    organisation = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, school=SchoolFactory(), name="TS"
    )
    member = MembershipFactory(user=UserFactory(), organisation=organisation, role=Role.SCHOOL_LEADER).user
    application = ApplicationFactory(
        round=open_round(sle_type, teaching_school=organisation), state=State.SUBMITTED
    )
    assert sle_type.designating_body == DesignatingBody.TEACHING_SCHOOL
    with pytest.raises(DesignationError, match="You cannot assess or decide"):
        transition(application, State.UNDER_ASSESSMENT, actor=member)


def test_an_assessors_judgement_is_kept_in_the_results_history(
    lle_application, complete_draft, headteacher, national_admin
):
    submit(complete_draft(lle_application), actor=headteacher)
    evidence = lle_application.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    record_assessment(evidence, outcome=CriterionOutcome.NOT_MET, note=NOTE, actor=national_admin)
    record_assessment(evidence, outcome=CriterionOutcome.MET, note=NOTE, actor=national_admin)
    assert list(evidence.history.values_list("assessor_outcome", flat=True)[:2]) == ["met", "not_met"]
