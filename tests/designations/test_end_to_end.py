"""The whole life of a designation, through the services people's pages call: an SLE recruited
and designated by a teaching school, and an NLE designated nationally."""

import datetime

import pytest
from django.utils import timezone

from designations.choices import ApplicationState as State
from designations.choices import CriterionCheck, CriterionOutcome, DesignationStatus, ReviewOutcome
from designations.models import Designation, NationalSupportSchool
from designations.services import (
    de_designate,
    record_assessment,
    record_reference,
    record_review,
    record_training,
    start_application,
    submit,
    transition,
)

NOTE = "Checked against the evidence."  # an assessor's note on a judgement

pytestmark = pytest.mark.django_db

PERSON_JUDGED = [CriterionCheck.EVIDENCE, CriterionCheck.DECLARATION]


def _assess_and_designate(application, assessor):
    record_reference(application.referee_requests.get(), recommendation="support", evidence="Strong impact.")
    for result in application.criterion_results.filter(kind__in=PERSON_JUDGED):
        record_assessment(result, outcome=CriterionOutcome.MET, note=NOTE, actor=assessor)
    transition(application, State.APPROVED_PENDING_TRAINING, actor=assessor, reason="Meets every criterion.")
    transition(application, State.DESIGNATED, actor=assessor)
    return Designation.objects.get(application=application)


def _train(designation, actor):
    assert not designation.is_deployable
    for requirement in designation.designation_type.training_requirements.all():
        record_training(designation, requirement=requirement, completed_on=timezone.localdate(), actor=actor)
    designation.refresh_from_db()
    return designation


def test_an_sle_is_recruited_designated_trained_and_reviewed_by_their_teaching_school(
    middle_leader,
    outstanding_home_school,
    sle_type,
    open_round,
    teaching_school_org,
    teaching_school_lead,
    complete_draft,
):
    recruitment = open_round(sle_type, teaching_school=teaching_school_org)
    application = start_application(
        applicant=middle_leader, round=recruitment, school=outstanding_home_school
    )
    submit(complete_draft(application), actor=middle_leader)
    application.refresh_from_db()
    assert application.state == State.AWAITING_REFEREE

    designation = _assess_and_designate(application, teaching_school_lead)

    assert designation.designating_organisation == teaching_school_org
    designation = _train(designation, teaching_school_lead)
    assert designation.is_deployable
    review = designation.reviews.get()
    record_review(
        review, outcome=ReviewOutcome.CONTINUE, notes="Two good deployments.", actor=teaching_school_lead
    )
    designation.refresh_from_db()
    review.refresh_from_db()
    assert (review.completed_on, review.outcome) == (timezone.localdate(), ReviewOutcome.CONTINUE)
    next_review = designation.reviews.get(completed_on__isnull=True)
    assert next_review.due_on == designation.next_review_on > timezone.localdate()


def test_an_nle_is_designated_nationally_their_school_supports_others_until_de_designation(
    headteacher,
    outstanding_home_school,
    nle_type,
    open_round,
    national_admin,
    complete_draft,
):
    application = start_application(
        applicant=headteacher, round=open_round(nle_type), school=outstanding_home_school
    )
    submit(complete_draft(application), actor=headteacher)
    results = {r.kind: r.final_outcome for r in application.criterion_results.all()}
    assert results[CriterionCheck.SCHOOL_OFSTED] == CriterionOutcome.MET

    designation = _assess_and_designate(application, national_admin)

    assert designation.designating_organisation.kind == "national_body"
    assert designation.term_ends_on > designation.designated_on + datetime.timedelta(days=3 * 365)
    support = NationalSupportSchool.objects.get(designation=designation)
    assert support.school == outstanding_home_school and support.ended_on is None
    designation = _train(designation, national_admin)
    assert designation.is_deployable

    de_designate(designation, actor=national_admin, reason="Left headship of the school.")

    designation.refresh_from_db()
    support.refresh_from_db()
    assert designation.status == DesignationStatus.DE_DESIGNATED and not designation.is_deployable
    assert support.ended_on is not None
    assert [c.to_status for c in designation.status_changes.all()] == [DesignationStatus.DE_DESIGNATED]
