"""Designation, the training gate, status changes, reviews and de-designation cases."""

import datetime

import pytest
from django.utils import timezone

from accounts.choices import OrganisationKind
from designations.choices import (
    ApplicationState,
    CaseReason,
    CaseStatus,
    DesignationStatus,
    ReviewOutcome,
)
from designations.errors import DesignationError, InvalidTransition
from designations.models import (
    DeDesignationCase,
    Designation,
    DesignationStatusChange,
    DesignationType,
    NationalSupportSchool,
    Review,
)
from designations.services import transition
from designations.services.lifecycle import (
    add_months,
    change_status,
    de_designate,
    decide_case,
    deployable,
    designate,
    lapse,
    open_case,
    record_review,
    record_training,
    reinstate,
    schedule_review,
    suspend,
)
from tests.factories import OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.designations import (
    ApplicationFactory,
    ApplicationRoundFactory,
    DesignationFactory,
    SpecialismFactory,
)

Status = DesignationStatus
TODAY = timezone.localdate


def approved_application(designation_type, applicant, school, **round_kwargs):
    return ApplicationFactory(
        applicant=applicant,
        school=school,
        round=ApplicationRoundFactory(designation_type=designation_type, **round_kwargs),
        state=ApplicationState.APPROVED_PENDING_TRAINING,
    )


@pytest.fixture
def nle_designation(national_admin, nle_type, headteacher, outstanding_home_school):
    application = approved_application(nle_type, headteacher, outstanding_home_school)
    return designate(application, actor=national_admin)


@pytest.fixture
def sle_designation(national_admin, sle_type, middle_leader, outstanding_home_school, teaching_school_org):
    application = approved_application(
        sle_type, middle_leader, outstanding_home_school, teaching_school=teaching_school_org
    )
    return designate(application, actor=national_admin)


def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2023, 11, 15), 48) == datetime.date(2027, 11, 15)
    assert add_months(datetime.date(2023, 12, 1), 1) == datetime.date(2024, 1, 1)


# --- designate ---------------------------------------------------------------------------------


def test_designating_an_nle_sets_term_review_specialisms_and_a_first_review(
    national_admin,
    national_body,
    nle_type,
    headteacher,
    outstanding_home_school,
    django_capture_on_commit_callbacks,
):
    application = approved_application(nle_type, headteacher, outstanding_home_school)
    maths = SpecialismFactory(name="Maths for NLEs", slug="maths-for-nles")
    application.specialisms.add(maths)
    on = datetime.date(2026, 1, 31)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        designation = designate(application, actor=national_admin, on=on)

    assert designation.holder == headteacher
    assert designation.school == outstanding_home_school
    assert designation.designating_organisation == national_body
    assert designation.designated_on == on
    assert designation.term_ends_on == datetime.date(2030, 1, 31)
    assert designation.next_review_on == datetime.date(2027, 1, 31)
    assert list(designation.specialisms.all()) == [maths]
    assert list(designation.reviews.values_list("due_on", "completed_on")) == [
        (datetime.date(2027, 1, 31), None)
    ]
    assert designation.status == Status.ACTIVE
    # The holder's email; the change feed's after-commit step is the other.
    assert len([c for c in callbacks if c.__name__ != "_publish_after_commit"]) == 1


def test_designation_emails_the_holder_with_the_training_still_to_do(
    national_admin,
    nle_type,
    headteacher,
    outstanding_home_school,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    application = approved_application(nle_type, headteacher, outstanding_home_school)
    with django_capture_on_commit_callbacks(execute=True):
        designate(application, actor=national_admin)

    [message] = mailoutbox
    assert message.to == [headteacher.email]
    assert "National leader of education" in message.subject
    assert "NLE induction training" in message.body
    assert "national support school" in message.body


def test_an_sle_is_designated_by_the_teaching_school_of_its_round(sle_designation, teaching_school_org):
    assert sle_designation.designating_organisation == teaching_school_org


def test_an_sle_round_without_a_teaching_school_cannot_designate(
    national_admin, sle_type, middle_leader, outstanding_home_school
):
    application = approved_application(sle_type, middle_leader, outstanding_home_school)
    with pytest.raises(DesignationError, match="names no teaching school"):
        designate(application, actor=national_admin)
    assert not Designation.objects.exists()


def test_a_second_current_designation_of_the_same_type_is_refused(
    nle_designation, national_admin, nle_type, headteacher, outstanding_home_school
):
    second = approved_application(nle_type, headteacher, outstanding_home_school)
    with pytest.raises(DesignationError, match="already holds a current NLE designation"):
        designate(second, actor=national_admin)
    assert Designation.objects.filter(holder=headteacher).count() == 1


def test_after_de_designation_the_person_can_be_designated_again(
    nle_designation, national_admin, nle_type, headteacher, outstanding_home_school
):
    de_designate(nle_designation, actor=national_admin, reason="Left headship.")
    again = designate(
        approved_application(nle_type, headteacher, outstanding_home_school), actor=national_admin
    )
    assert again.status == Status.ACTIVE
    assert Designation.objects.filter(holder=headteacher).count() == 2


def test_only_an_approved_application_is_designated(
    national_admin, nle_type, headteacher, outstanding_home_school
):
    application = approved_application(nle_type, headteacher, outstanding_home_school)
    application.state = ApplicationState.UNDER_ASSESSMENT
    with pytest.raises(InvalidTransition, match="this one is under assessment"):
        designate(application, actor=national_admin)


def test_an_application_leads_to_one_designation_only(nle_designation, national_admin):
    with pytest.raises(DesignationError, match="already led to a designation"):
        designate(nle_designation.application, actor=national_admin)


def test_a_school_type_designates_the_school_and_needs_no_training(national_admin, outstanding_home_school):
    teaching_school_type = DesignationType.objects.get(code="TS")
    application = approved_application(teaching_school_type, UserFactory(), outstanding_home_school)
    designation = designate(application, actor=national_admin)
    assert designation.holder is None
    assert designation.training_completed_on == designation.designated_on
    assert designation.is_deployable


# --- training gate -----------------------------------------------------------------------------


def lle_designation_for(national_admin, lle_type, headteacher, school):
    return designate(approved_application(lle_type, headteacher, school), actor=national_admin)


def test_not_deployable_until_every_required_training_is_recorded(
    national_admin, lle_type, headteacher, outstanding_home_school
):
    designation = lle_designation_for(national_admin, lle_type, headteacher, outstanding_home_school)
    induction, training_days = designation.designation_type.training_requirements.all()
    assert not designation.is_deployable
    assert not deployable(Designation.objects.all()).exists()

    record_training(designation, requirement=training_days, completed_on=TODAY(), actor=national_admin)
    designation.refresh_from_db()
    assert not designation.is_deployable
    assert designation.training_completed_on is None

    earlier = TODAY() - datetime.timedelta(days=3)
    record_training(designation, requirement=induction, completed_on=earlier, actor=national_admin)
    designation.refresh_from_db()
    assert designation.training_completed_on == TODAY()
    assert designation.is_deployable
    assert list(deployable(Designation.objects.all())) == [designation]


def test_a_suspended_trained_designation_is_not_deployable(national_admin):
    designation = DesignationFactory()
    suspend(designation, actor=national_admin, reason="Safeguarding concern under investigation.")
    assert not designation.is_deployable
    assert not deployable(Designation.objects.all()).exists()


def test_training_of_another_type_is_refused(
    national_admin, lle_type, nle_type, headteacher, outstanding_home_school
):
    designation = lle_designation_for(national_admin, lle_type, headteacher, outstanding_home_school)
    nle_training = nle_type.training_requirements.get()
    with pytest.raises(DesignationError, match="is not training the LLE designation needs"):
        record_training(designation, requirement=nle_training, completed_on=TODAY(), actor=national_admin)


def test_training_is_recorded_once_and_not_in_the_future(
    national_admin, lle_type, headteacher, outstanding_home_school
):
    designation = lle_designation_for(national_admin, lle_type, headteacher, outstanding_home_school)
    induction = designation.designation_type.training_requirements.first()
    record_training(designation, requirement=induction, completed_on=TODAY(), actor=national_admin)
    with pytest.raises(DesignationError, match="already recorded"):
        record_training(designation, requirement=induction, completed_on=TODAY(), actor=national_admin)
    with pytest.raises(DesignationError, match="cannot be in the future"):
        record_training(
            designation,
            requirement=designation.designation_type.training_requirements.last(),
            completed_on=TODAY() + datetime.timedelta(days=1),
            actor=national_admin,
        )


def test_only_those_who_manage_the_designation_record_training(
    lle_type, headteacher, outstanding_home_school, national_admin, la_officer
):
    designation = lle_designation_for(national_admin, lle_type, headteacher, outstanding_home_school)
    with pytest.raises(DesignationError, match="not allowed to record training"):
        record_training(
            designation,
            requirement=designation.designation_type.training_requirements.first(),
            completed_on=TODAY(),
            actor=la_officer,
        )


# --- status changes ----------------------------------------------------------------------------


ALLOWED = [
    (Status.ACTIVE, Status.SUSPENDED),
    (Status.ACTIVE, Status.LAPSED),
    (Status.ACTIVE, Status.DE_DESIGNATED),
    (Status.SUSPENDED, Status.ACTIVE),
    (Status.SUSPENDED, Status.LAPSED),
    (Status.SUSPENDED, Status.DE_DESIGNATED),
]


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_allowed_status_change_is_made_and_recorded(national_admin, from_status, to_status):
    designation = DesignationFactory(status=from_status)
    history_before = designation.history.count()

    change_status(designation, to_status, actor=national_admin, reason="Decided at the quarterly panel.")

    designation.refresh_from_db()
    assert designation.status == to_status
    [change] = DesignationStatusChange.objects.filter(designation=designation)
    assert (change.from_status, change.to_status, change.actor) == (from_status, to_status, national_admin)
    assert change.reason == "Decided at the quarterly panel."
    assert designation.history.count() == history_before + 1
    ending = to_status in {Status.LAPSED, Status.DE_DESIGNATED}
    assert designation.ended_on == (TODAY() if ending else None)
    assert designation.end_reason == ("Decided at the quarterly panel." if ending else "")


@pytest.mark.parametrize(
    ("from_status", "to_status", "message"),
    [
        (Status.LAPSED, Status.ACTIVE, "A lapsed designation cannot be reinstated."),
        (Status.LAPSED, Status.SUSPENDED, "A lapsed designation cannot be suspended."),
        (Status.DE_DESIGNATED, Status.ACTIVE, "A de-designated designation cannot be reinstated."),
        (Status.DE_DESIGNATED, Status.LAPSED, "A de-designated designation cannot be lapsed."),
        (Status.ACTIVE, Status.ACTIVE, "An active designation cannot be reinstated."),
        (Status.SUSPENDED, Status.SUSPENDED, "A suspended designation cannot be suspended."),
    ],
)
def test_refused_status_change_says_why_and_changes_nothing(national_admin, from_status, to_status, message):
    designation = DesignationFactory(status=from_status)
    with pytest.raises(InvalidTransition) as refused:
        change_status(designation, to_status, actor=national_admin, reason="A reason.")
    assert str(refused.value) == message
    designation.refresh_from_db()
    assert designation.status == from_status
    assert not DesignationStatusChange.objects.exists()


def test_an_unknown_status_is_refused(national_admin):
    with pytest.raises(InvalidTransition, match="is not a designation status"):
        change_status(DesignationFactory(), "retired", actor=national_admin, reason="x")


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (suspend, "Give a reason why the designation is suspended."),
        (de_designate, "Give a reason why the designation is de-designated."),
        (lapse, "Give a reason why the designation is lapsed."),
    ],
)
def test_suspending_and_de_designating_need_a_reason(national_admin, action, message):
    designation = DesignationFactory()
    with pytest.raises(DesignationError) as refused:
        action(designation, actor=national_admin, reason="   ")
    assert str(refused.value) == message
    designation.refresh_from_db()
    assert designation.status == Status.ACTIVE


def test_reinstating_needs_no_reason_but_lapsing_records_the_one_given(national_admin):
    designation = DesignationFactory(status=Status.SUSPENDED)
    reinstate(designation, actor=national_admin)
    lapse(designation, actor=national_admin, reason="Training not completed in time")
    designation.refresh_from_db()
    assert designation.status == Status.LAPSED
    assert designation.end_reason == "Training not completed in time"


def test_full_history_is_kept_through_suspension_reinstatement_and_de_designation(national_admin):
    designation = DesignationFactory()
    suspend(designation, actor=national_admin, reason="Investigation.")
    reinstate(designation, actor=national_admin, reason="Cleared.")
    de_designate(designation, actor=national_admin, reason="Left the profession.")

    steps = list(
        DesignationStatusChange.objects.filter(designation=designation).values_list(
            "from_status", "to_status"
        )
    )
    assert steps == [
        (Status.ACTIVE, Status.SUSPENDED),
        (Status.SUSPENDED, Status.ACTIVE),
        (Status.ACTIVE, Status.DE_DESIGNATED),
    ]
    assert [h.status for h in designation.history.order_by("history_date", "history_id")] == [
        Status.ACTIVE,
        Status.SUSPENDED,
        Status.ACTIVE,
        Status.DE_DESIGNATED,
    ]
    assert Designation.objects.filter(pk=designation.pk).exists()


def test_status_change_emails_the_holder_with_the_reason(
    national_admin, mailoutbox, django_capture_on_commit_callbacks
):
    designation = DesignationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        suspend(designation, actor=national_admin, reason="Investigation under way.")
    [message] = mailoutbox
    assert message.to == [designation.holder.email]
    assert "suspended" in message.subject
    assert "Investigation under way." in message.body


@pytest.fixture
def other_teaching_school():
    school = SchoolFactory(name="Elsewhere Teaching School")
    return OrganisationFactory(kind=OrganisationKind.TEACHING_SCHOOL, name="Elsewhere TS", school=school)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("national_admin", True),
        ("la_officer", False),
        ("commissioner", False),
        ("school_leader", False),
        ("associate", False),
        ("outsider", False),
    ],
)
def test_who_may_suspend_a_national_designation(request, nle_designation, persona, allowed):
    actor = request.getfixturevalue(persona)
    if allowed:
        suspend(nle_designation, actor=actor, reason="Concerns.")
        assert nle_designation.status == Status.SUSPENDED
    else:
        with pytest.raises(DesignationError, match="You are not allowed to suspend this designation."):
            suspend(nle_designation, actor=actor, reason="Concerns.")
        nle_designation.refresh_from_db()
        assert nle_designation.status == Status.ACTIVE


@pytest.mark.parametrize("action", [suspend, de_designate])
def test_a_teaching_school_lead_may_suspend_and_de_designate_their_own_pools_sles(
    sle_designation, teaching_school_lead, action
):
    action(sle_designation, actor=teaching_school_lead, reason="No longer at the school.")
    assert sle_designation.status != Status.ACTIVE


def test_a_teaching_school_lead_may_reinstate_their_own_pools_sle(sle_designation, teaching_school_lead):
    suspend(sle_designation, actor=teaching_school_lead, reason="Concerns.")
    reinstate(sle_designation, actor=teaching_school_lead)
    assert sle_designation.status == Status.ACTIVE


def test_a_teaching_school_lead_may_not_lapse_even_their_own_pools_sle(sle_designation, teaching_school_lead):
    with pytest.raises(DesignationError, match="not allowed to lapse"):
        lapse(sle_designation, actor=teaching_school_lead)


def test_a_teaching_school_lead_may_not_touch_another_pools_sle(
    sle_type, other_teaching_school, teaching_school_lead
):
    elsewhere = DesignationFactory(designation_type=sle_type, designating_organisation=other_teaching_school)
    with pytest.raises(DesignationError, match="not allowed to suspend"):
        suspend(elsewhere, actor=teaching_school_lead, reason="Concerns.")


def test_a_teaching_school_lead_may_not_touch_a_national_designation(nle_designation, teaching_school_lead):
    with pytest.raises(DesignationError, match="not allowed to de-designate"):
        de_designate(nle_designation, actor=teaching_school_lead, reason="Concerns.")


# --- reviews -----------------------------------------------------------------------------------


def test_scheduling_an_earlier_review_brings_the_next_review_date_forward(nle_designation, national_admin):
    sooner = TODAY() + datetime.timedelta(days=60)
    review = schedule_review(nle_designation, due_on=sooner, actor=national_admin)
    nle_designation.refresh_from_db()
    assert review.due_on == sooner
    assert nle_designation.next_review_on == sooner
    assert nle_designation.reviews.filter(completed_on__isnull=True).count() == 2


def test_a_review_is_not_scheduled_twice_for_one_day_nor_in_the_past(nle_designation, national_admin):
    with pytest.raises(DesignationError, match="already scheduled"):
        schedule_review(nle_designation, due_on=nle_designation.next_review_on, actor=national_admin)
    with pytest.raises(DesignationError, match="in the past"):
        schedule_review(nle_designation, due_on=TODAY() - datetime.timedelta(days=1), actor=national_admin)


def test_recording_a_review_schedules_the_next_one(nle_designation, national_admin):
    nle_designation.designated_on = TODAY() - datetime.timedelta(days=30)
    nle_designation.save(update_fields=["designated_on"])
    [review] = nle_designation.reviews.all()
    completed_on = TODAY() - datetime.timedelta(days=2)

    record_review(
        review,
        outcome=ReviewOutcome.CONTINUE,
        notes="Strong impact.",
        actor=national_admin,
        completed_on=completed_on,
    )

    review.refresh_from_db()
    nle_designation.refresh_from_db()
    assert (review.completed_on, review.outcome, review.recorded_by) == (
        completed_on,
        "continue",
        national_admin,
    )
    next_review = nle_designation.reviews.get(completed_on__isnull=True)
    assert next_review.due_on == add_months(completed_on, 12)
    assert nle_designation.next_review_on == next_review.due_on
    assert not DeDesignationCase.objects.exists()


def test_a_review_with_concerns_opens_a_quality_case(nle_designation, national_admin):
    [review] = nle_designation.reviews.all()
    record_review(
        review, outcome=ReviewOutcome.CONCERNS, notes="Two schools report no progress.", actor=national_admin
    )
    [case] = DeDesignationCase.objects.all()
    assert (case.designation, case.reason, case.status) == (
        nle_designation,
        CaseReason.QUALITY_CONCERN,
        CaseStatus.OPEN,
    )
    assert case.detail == "Two schools report no progress."


def test_a_review_is_recorded_once(nle_designation, national_admin):
    [review] = nle_designation.reviews.all()
    record_review(review, outcome=ReviewOutcome.CONTINUE, notes="", actor=national_admin)
    with pytest.raises(InvalidTransition, match="already recorded"):
        record_review(review, outcome=ReviewOutcome.CONTINUE, notes="", actor=national_admin)
    assert Review.objects.filter(designation=nle_designation).count() == 2


def test_review_input_is_checked(nle_designation, national_admin, la_officer):
    [review] = nle_designation.reviews.all()
    with pytest.raises(DesignationError, match="is not a review outcome"):
        record_review(review, outcome="brilliant", notes="", actor=national_admin)
    with pytest.raises(DesignationError, match="Describe the concerns"):
        record_review(review, outcome=ReviewOutcome.CONCERNS, notes="", actor=national_admin)
    with pytest.raises(DesignationError, match="in the future"):
        record_review(
            review,
            outcome=ReviewOutcome.CONTINUE,
            notes="",
            actor=national_admin,
            completed_on=TODAY() + datetime.timedelta(days=1),
        )
    with pytest.raises(DesignationError, match="not allowed to record a review"):
        record_review(review, outcome=ReviewOutcome.CONTINUE, notes="", actor=la_officer)


# --- de-designation cases ----------------------------------------------------------------------


def test_opening_a_case_twice_for_one_reason_opens_one(nle_designation):
    first = open_case(nle_designation, reason=CaseReason.SCHOOL_CLOSED, detail="Closed on 31 August.")
    second = open_case(nle_designation, reason=CaseReason.SCHOOL_CLOSED, detail="Closed on 31 August.")
    other = open_case(nle_designation, reason=CaseReason.ROLE_LOST, detail="Left headship.")
    assert first is not None and other is not None
    assert second is None
    assert DeDesignationCase.objects.filter(designation=nle_designation).count() == 2


def test_after_a_case_is_decided_the_same_reason_can_open_again(nle_designation, national_admin):
    case = open_case(nle_designation, reason=CaseReason.QUALITY_CONCERN, detail="Complaint.")
    decide_case(case, de_designate=False, notes="Complaint not upheld.", actor=national_admin)
    assert open_case(nle_designation, reason=CaseReason.QUALITY_CONCERN, detail="New complaint.") is not None


def test_no_case_is_opened_about_an_ended_designation(national_admin):
    designation = DesignationFactory(status=Status.LAPSED)
    assert open_case(designation, reason=CaseReason.TERM_ENDED, detail="Term ended.") is None


def test_deciding_to_keep_leaves_the_designation_and_emails_holder_and_body(
    nle_designation, national_admin, mailoutbox, django_capture_on_commit_callbacks
):
    case = open_case(nle_designation, reason=CaseReason.QUALITY_CONCERN, detail="Complaint.")
    with django_capture_on_commit_callbacks(execute=True):
        decide_case(case, de_designate=False, notes="Complaint not upheld.", actor=national_admin)

    case.refresh_from_db()
    nle_designation.refresh_from_db()
    assert (case.status, case.decided_by, case.decision_notes) == (
        CaseStatus.KEPT,
        national_admin,
        "Complaint not upheld.",
    )
    assert nle_designation.status == Status.ACTIVE
    [message] = mailoutbox
    assert set(message.to) == {nle_designation.holder.email, national_admin.email}
    assert "Designation kept" in message.subject


def test_deciding_to_de_designate_ends_the_designation_through_the_one_door(nle_designation, national_admin):
    case = open_case(nle_designation, reason=CaseReason.ROLE_LOST, detail="Left headship in July.")
    decide_case(case, de_designate=True, notes="Confirmed with the trust.", actor=national_admin)

    nle_designation.refresh_from_db()
    assert case.status == CaseStatus.DE_DESIGNATED
    assert nle_designation.status == Status.DE_DESIGNATED
    change = DesignationStatusChange.objects.get(designation=nle_designation)
    assert change.reason == "Holder no longer holds the qualifying role: Confirmed with the trust."
    assert NationalSupportSchool.objects.get(designation=nle_designation).ended_on == TODAY()


def test_a_case_is_decided_once_with_reasons_by_someone_allowed(nle_designation, national_admin, la_officer):
    case = open_case(nle_designation, reason=CaseReason.QUALITY_CONCERN, detail="Complaint.")
    with pytest.raises(DesignationError, match="Give the reasons for the decision."):
        decide_case(case, de_designate=False, notes=" ", actor=national_admin)
    with pytest.raises(DesignationError, match="not allowed"):
        decide_case(case, de_designate=True, notes="Upheld.", actor=la_officer)
    decide_case(case, de_designate=False, notes="Not upheld.", actor=national_admin)
    with pytest.raises(InvalidTransition, match="already decided"):
        decide_case(case, de_designate=True, notes="Changed our mind.", actor=national_admin)


def test_case_opened_emails_the_designating_bodys_inbox_when_it_has_one(
    nle_designation, mailoutbox, django_capture_on_commit_callbacks
):
    national_body = nle_designation.designating_organisation
    national_body.email = "designations@college.example.org"
    national_body.save()
    with django_capture_on_commit_callbacks(execute=True):
        open_case(nle_designation, reason=CaseReason.SCHOOL_CLOSED, detail="Closed on 31 August.")
    [message] = mailoutbox
    assert message.to == ["designations@college.example.org"]
    assert "Closed on 31 August." in message.body


def test_case_about_an_sle_emails_the_teaching_school_leads(
    sle_designation, teaching_school_lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_case(sle_designation, reason=CaseReason.ROLE_LOST, detail="Left the school.")
    [message] = mailoutbox
    assert message.to == [teaching_school_lead.email]


# --- through the application state machine -----------------------------------------------------


def test_moving_an_application_to_designated_creates_the_designation(
    national_admin, nle_type, headteacher, outstanding_home_school
):
    application = approved_application(nle_type, headteacher, outstanding_home_school)
    transition(application, ApplicationState.DESIGNATED, actor=national_admin)

    application.refresh_from_db()
    assert application.state == ApplicationState.DESIGNATED
    assert application.designation.holder == headteacher
    assert application.designation.support_school_periods.count() == 1


def test_a_teaching_school_lead_designates_into_their_own_pool(
    teaching_school_lead, teaching_school_org, sle_type, middle_leader, outstanding_home_school
):
    application = approved_application(
        sle_type, middle_leader, outstanding_home_school, teaching_school=teaching_school_org
    )
    transition(application, ApplicationState.DESIGNATED, actor=teaching_school_lead)

    designation = Designation.objects.get(application=application)
    assert designation.designating_organisation == teaching_school_org
    assert not designation.is_deployable
    record_training(
        designation,
        requirement=sle_type.training_requirements.get(),
        completed_on=TODAY(),
        actor=teaching_school_lead,
    )
    designation.refresh_from_db()
    assert designation.is_deployable
