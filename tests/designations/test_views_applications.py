"""The application journey pages: applicant, referee and assessor."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from designations.choices import ApplicationState, CriterionCheck, CriterionOutcome, DesignationStatus
from designations.models import Application, Designation, RefereeRequest
from designations.services import record_assessment, submit, transition
from designations.services.applications import referee_token
from tests.factories import SchoolFactory, UserFactory
from tests.factories.designations import EvidenceFileFactory, LeadershipPostFactory, SpecialismFactory
from tests.links import opened

NOTE = "Checked against the evidence."  # an assessor's note on a judgement

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"applications:{name}", args=args)


@pytest.fixture
def submitted(lle_application, complete_draft) -> Application:
    application = complete_draft(lle_application)
    return submit(application, actor=application.applicant)


def referee_path(client, application: Application) -> str:
    """The referee opens the emailed link; the page is then at a URL without the token."""
    return opened(client, url("referee-link", referee_token(application.referee_requests.get())))


# --- Rounds, eligibility and starting ------------------------------------------------------------


def test_open_rounds_list_the_round_and_the_preview_judges_each_criterion(
    client, headteacher, lle_type, open_round
):
    application_round = open_round(lle_type, name="Norfolk LLE round 2026")
    client.force_login(headteacher)

    listing = client.get(url("rounds"))
    preview = client.get(url("eligibility", application_round.pk))

    assert "Norfolk LLE round 2026" in listing.content.decode()
    page = preview.content.decode()
    assert "At least 3 years as a serving headteacher" in page
    assert "Needs evidence" in page and "Met" in page


def test_starting_an_application_creates_a_draft_and_shows_its_task_list(
    client, headteacher, lle_type, open_round
):
    application_round = open_round(lle_type)
    client.force_login(headteacher)

    response = client.post(url("start", application_round.pk), {"school": headteacher.posts.get().school_id})

    application = Application.objects.get(applicant=headteacher)
    assert response.status_code == 302 and response.url == url("task-list", application.pk)
    page = client.get(response.url).content.decode()
    assert "Your statement" in page and "Referee" in page and "Draft" in page


def test_a_leader_of_two_schools_chooses_one(client, headteacher, lle_type, open_round, home_la):
    second = SchoolFactory(local_authority=home_la, name="Second Primary School")
    LeadershipPostFactory(person=headteacher, school=second)
    application_round = open_round(lle_type)
    client.force_login(headteacher)

    page = client.get(url("start", application_round.pk)).content.decode()
    missing = client.post(url("start", application_round.pk), {})
    chosen = client.post(url("start", application_round.pk), {"school": second.pk})

    assert "Which school are you applying from?" in page and "Second Primary School" in page
    assert "Select the school you are applying from" in missing.content.decode()
    assert chosen.status_code == 302
    assert Application.objects.get(applicant=headteacher).school == second


def test_the_referee_page_says_what_referee_the_type_needs(client, lle_application, headteacher):
    client.force_login(headteacher)

    page = client.get(url("section", lle_application.pk, "referee")).content.decode()

    assert "Your local authority referee supports your application" in page


def test_a_second_start_in_the_same_round_is_refused_with_a_message(client, lle_application, headteacher):
    client.force_login(headteacher)

    response = client.post(url("start", lle_application.round_id), {"school": lle_application.school_id})

    assert response.status_code == 200
    assert Application.objects.filter(applicant=headteacher).count() == 1
    assert "There is a problem" in response.content.decode()


def test_a_round_not_open_to_the_user_is_not_found(client, outsider, lle_type, open_round):
    client.force_login(outsider)

    assert client.get(url("start", open_round(lle_type).pk)).status_code == 404


# --- Sections, save and return, validation ------------------------------------------------------


def test_saving_a_section_keeps_the_draft_and_shows_a_banner(client, lle_application, headteacher):
    client.force_login(headteacher)

    response = client.post(
        url("section", lle_application.pk, "statement"), {"statement": "I coached three heads."}, follow=True
    )

    lle_application.refresh_from_db()
    assert lle_application.statement == "I coached three heads."
    assert lle_application.state == ApplicationState.DRAFT
    assert "Your statement: saved" in response.content.decode()


def test_section_forms_show_specific_errors(client, lle_application, headteacher):
    client.force_login(headteacher)

    empty = client.post(url("section", lle_application.pk, "statement"), {"statement": ""})
    bad_email = client.post(
        url("section", lle_application.pk, "referee"),
        {"referee_name": "Robin", "referee_email": "not-an-email", "referee_organisation": "Norfolk CC"},
    )

    assert "Enter your statement" in empty.content.decode()
    assert "Enter an email address in the correct format" in bad_email.content.decode()


def test_specialisms_are_saved(client, lle_application, headteacher):
    specialism = SpecialismFactory(name="Early reading")
    client.force_login(headteacher)

    client.post(url("section", lle_application.pk, "specialisms"), {"specialisms": [specialism.pk]})

    assert list(lle_application.specialisms.all()) == [specialism]


def test_evidence_needs_a_description_or_a_file(client, lle_application, headteacher):
    result = lle_application.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    client.force_login(headteacher)

    response = client.post(url("criterion-response", lle_application.pk, result.pk), {"response": ""})

    assert "Describe your evidence or upload a file" in response.content.decode()


def test_an_evidence_file_is_stored_and_a_disguised_one_refused_on_the_field(
    client, lle_application, headteacher, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    result = lle_application.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    client.force_login(headteacher)
    target = url("criterion-response", lle_application.pk, result.pk)

    good = client.post(target, {"file": SimpleUploadedFile("coaching.txt", b"Coached two new heads.")})
    bad = client.post(target, {"file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")})

    assert good.status_code == 302
    assert lle_application.evidence_files.get().original_name == "coaching.txt"
    assert bad.status_code == 200 and "is not a PDF file" in bad.content.decode()


def test_a_declaration_must_be_confirmed(client, lle_application, headteacher):
    result = lle_application.criterion_results.filter(kind=CriterionCheck.DECLARATION).first()
    client.force_login(headteacher)
    target = url("criterion-response", lle_application.pk, result.pk)

    refused = client.post(target, {})
    confirmed = client.post(target, {"confirm": "on"})

    assert "Confirm the declaration to continue" in refused.content.decode()
    assert confirmed.status_code == 302
    result.refresh_from_db()
    assert result.applicant_response


# --- Check your answers and submission ----------------------------------------------------------


def test_submitting_an_incomplete_application_shows_what_is_missing(client, lle_application, headteacher):
    client.force_login(headteacher)

    response = client.post(url("check", lle_application.pk))

    assert "Before you submit" in response.content.decode()
    lle_application.refresh_from_db()
    assert lle_application.state == ApplicationState.DRAFT


def test_submitting_a_complete_application_asks_the_referee(
    client, lle_application, headteacher, complete_draft, django_capture_on_commit_callbacks
):
    complete_draft(lle_application)
    client.force_login(headteacher)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("check", lle_application.pk), follow=True)

    lle_application.refresh_from_db()
    assert lle_application.state == ApplicationState.AWAITING_REFEREE
    assert "Your application has been submitted" in response.content.decode()
    assert any("robin.referee@norfolk.example.org" in message.to for message in mail.outbox)


def test_the_applicants_list_shows_state_tags(client, submitted, headteacher):
    client.force_login(headteacher)

    page = client.get(url("list")).content.decode()

    assert submitted.round.name in page and "Awaiting referee" in page


def test_withdrawing_asks_for_confirmation_then_withdraws(client, lle_application, headteacher):
    client.force_login(headteacher)

    confirmation = client.get(url("withdraw", lle_application.pk))
    response = client.post(url("withdraw", lle_application.pk), {"reason": "Moving school."}, follow=True)

    assert "Are you sure you want to withdraw" in confirmation.content.decode()
    lle_application.refresh_from_db()
    assert lle_application.state == ApplicationState.WITHDRAWN
    assert "The application has been withdrawn" in response.content.decode()


# --- Permission matrix ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["task-list", "check", "withdraw"])
def test_other_people_cannot_see_an_application(client, lle_application, outsider, school_leader, name):
    for user in (outsider, school_leader):
        client.force_login(user)
        assert client.get(url(name, lle_application.pk)).status_code == 404


def test_a_submitted_application_can_no_longer_be_edited(client, submitted, headteacher):
    client.force_login(headteacher)

    assert client.get(url("section", submitted.pk, "statement")).status_code == 403


def test_the_assessor_queue_is_for_national_administrators_and_teaching_school_leads(
    client, submitted, national_admin, teaching_school_lead, outsider, headteacher
):
    client.force_login(national_admin)
    admin_page = client.get(url("assess-queue"))
    client.force_login(teaching_school_lead)
    lead_page = client.get(url("assess-queue"))

    assert headteacher.full_name in admin_page.content.decode()
    # An LLE is designated nationally: not in the teaching-school lead's queue.
    assert lead_page.status_code == 200 and headteacher.full_name not in lead_page.content.decode()
    for user in (outsider, headteacher):
        client.force_login(user)
        assert client.get(url("assess-queue")).status_code == 403


def test_assessing_an_application_needs_the_assess_permission(
    client, submitted, national_admin, teaching_school_lead, headteacher, outsider
):
    client.force_login(national_admin)
    assert client.get(url("assess", submitted.pk)).status_code == 200
    client.force_login(headteacher)
    assert client.get(url("assess", submitted.pk)).status_code == 403
    for user in (teaching_school_lead, outsider):
        client.force_login(user)
        assert client.get(url("assess", submitted.pk)).status_code == 404


def test_a_teaching_school_lead_assesses_sle_applications_of_their_own_rounds(
    client, teaching_school_lead, teaching_school_org, middle_leader, sle_type, open_round
):
    from designations.services import start_application

    own = start_application(
        applicant=middle_leader,
        round=open_round(sle_type, teaching_school=teaching_school_org),
        school=middle_leader.posts.get().school,
    )
    client.force_login(teaching_school_lead)

    assert client.get(url("assess", own.pk)).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url("assess-queue")).status_code == 403


def test_the_queue_filters_by_state_and_type(client, submitted, national_admin, sle_type, headteacher):
    client.force_login(national_admin)

    awaiting = client.get(url("assess-queue"), {"state": ApplicationState.AWAITING_REFEREE})
    other_state = client.get(url("assess-queue"), {"state": ApplicationState.UNDER_ASSESSMENT})
    other_type = client.get(url("assess-queue"), {"designation_type": sle_type.pk})

    assert headteacher.full_name in awaiting.content.decode()
    assert headteacher.full_name not in other_state.content.decode()
    assert headteacher.full_name not in other_type.content.decode()


# --- Evidence downloads --------------------------------------------------------------------------


def test_evidence_is_downloaded_as_an_attachment_only_by_people_who_may_see_it(
    client, lle_application, headteacher, national_admin, outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    evidence = EvidenceFileFactory(application=lle_application, content_type="text/plain")
    target = url("evidence", lle_application.pk, evidence.pk)

    for user in (headteacher, national_admin):
        client.force_login(user)
        response = client.get(target)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == b"Results for the last three years."
    client.force_login(outsider)
    assert client.get(target).status_code == 404
    client.logout()
    assert client.get(target).status_code == 302


# --- The referee ---------------------------------------------------------------------------------


def test_the_referee_link_works_once(client, submitted):
    target = referee_path(client, submitted)

    form = client.get(target)
    sent = client.post(target, {"recommendation": "support", "evidence": "She turned round two schools."})
    again = client.get(target)

    assert form.status_code == 200 and "Give a reference for" in form.content.decode()
    assert "Reference sent" in sent.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.UNDER_ASSESSMENT
    assert again.status_code == 410 and "already been given" in again.content.decode()


def test_the_referee_form_validates(client, submitted):
    response = client.post(referee_path(client, submitted), {"evidence": ""})

    page = response.content.decode()
    assert "Select whether you support this application" in page
    assert "Enter your evidence of the applicant" in page


def test_an_expired_referee_link_is_gone_and_a_bad_one_not_found(client, submitted):
    target = referee_path(client, submitted)
    RefereeRequest.objects.filter(application=submitted).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    expired = client.get(target)
    bad = client.get(url("referee-link", referee_token(submitted.referee_requests.get()) + "x"), follow=True)

    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert bad.status_code == 404 and "not valid" in bad.content.decode()


# --- Assessment and decisions --------------------------------------------------------------------


def _answer_reference(client, application: Application) -> None:
    answer = {"recommendation": "support", "evidence": "Strong impact."}
    client.post(referee_path(client, application), answer)


def test_an_assessor_judges_a_criterion_and_the_result_is_recorded(client, submitted, national_admin):
    result = submitted.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    client.force_login(national_admin)

    missing = client.post(url("assess-criterion", submitted.pk, result.pk), {"note": NOTE})
    saved = client.post(
        url("assess-criterion", submitted.pk, result.pk), {"outcome": "met", "note": NOTE}, follow=True
    )

    assert missing.status_code == 400 and "Select whether the criterion is met" in missing.content.decode()
    result.refresh_from_db()
    assert result.assessor_outcome == CriterionOutcome.MET
    assert (result.assessor_note, result.assessed_by) == (NOTE, national_admin)
    assert "is recorded" in saved.content.decode()
    assert NOTE in saved.content.decode()


def test_a_judgement_without_a_note_is_refused_and_keeps_what_was_chosen(client, submitted, national_admin):
    result = submitted.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    client.force_login(national_admin)

    response = client.post(url("assess-criterion", submitted.pk, result.pk), {"outcome": "met", "note": "  "})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a note saying why the criterion is met or not met" in page
    assert f'id="outcome-{result.pk}-met" name="outcome" type="radio" value="met" checked' in page
    result.refresh_from_db()
    assert result.assessor_outcome == ""


def test_judging_is_not_offered_once_the_application_is_decided(client, submitted, national_admin):
    _answer_reference(client, submitted)
    transition(submitted, ApplicationState.REJECTED, actor=national_admin, reason="Not enough impact.")
    result = submitted.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    client.force_login(national_admin)

    page = client.get(url("assess", submitted.pk)).content.decode()
    posted = client.post(url("assess-criterion", submitted.pk, result.pk), {"outcome": "met", "note": NOTE})

    assert url("assess-criterion", submitted.pk, result.pk) not in page
    assert posted.status_code == 400 and "cannot be assessed" in posted.content.decode()
    result.refresh_from_db()
    assert result.assessor_outcome == ""


def test_rejecting_needs_a_reason(client, submitted, national_admin):
    _answer_reference(client, submitted)
    client.force_login(national_admin)

    response = client.post(url("decide", submitted.pk), {"to_state": ApplicationState.REJECTED, "reason": ""})

    assert response.status_code == 400
    assert "Enter the reason for rejecting the application" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.UNDER_ASSESSMENT


def test_approving_with_unmet_criteria_is_refused_as_a_form_error(client, submitted, national_admin):
    _answer_reference(client, submitted)
    client.force_login(national_admin)

    response = client.post(
        url("decide", submitted.pk), {"to_state": ApplicationState.APPROVED_PENDING_TRAINING}
    )

    assert response.status_code == 400
    assert "every criterion is met" in response.content.decode()


def test_approve_designate_and_record_training(client, submitted, national_admin, lle_type):
    _answer_reference(client, submitted)
    for result in submitted.criterion_results.exclude(
        kind__in=["holds_role", "years_in_headship", "school_ofsted", "school_open"]
    ):
        record_assessment(result, outcome=CriterionOutcome.MET, note=NOTE, actor=national_admin)
    client.force_login(national_admin)

    asked = client.post(url("decide", submitted.pk), {"to_state": ApplicationState.APPROVED_PENDING_TRAINING})
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.UNDER_ASSESSMENT
    assert "Are you sure you want to approve" in asked.content.decode()
    approved = client.post(
        url("decide", submitted.pk),
        {"to_state": ApplicationState.APPROVED_PENDING_TRAINING, "confirmed": "yes"},
        follow=True,
    )
    asked = client.post(url("decide", submitted.pk), {"to_state": ApplicationState.DESIGNATED})
    assert "Are you sure you want to designate" in asked.content.decode()
    assert not Designation.objects.filter(application=submitted).exists()
    designated = client.post(
        url("decide", submitted.pk),
        {"to_state": ApplicationState.DESIGNATED, "confirmed": "yes"},
        follow=True,
    )

    assert "approved, training to complete" in approved.content.decode()
    submitted.refresh_from_db()
    designation = submitted.designation
    assert designation.status == DesignationStatus.ACTIVE
    assert "Not yet usable for deployment: training to record" in designated.content.decode()
    for requirement in lle_type.training_requirements.all():
        client.post(
            url("record-training", submitted.pk),
            {"requirement": requirement.pk, "completed_on": timezone.localdate().isoformat()},
        )
    designation.refresh_from_db()
    assert designation.is_deployable


def test_training_in_the_future_is_refused(client, submitted, national_admin, lle_type):
    _answer_reference(client, submitted)
    for result in submitted.criterion_results.filter(assessor_outcome="").exclude(outcome="met"):
        record_assessment(result, outcome=CriterionOutcome.MET, note=NOTE, actor=national_admin)
    transition(submitted, ApplicationState.APPROVED_PENDING_TRAINING, actor=national_admin)
    transition(submitted, ApplicationState.DESIGNATED, actor=national_admin)
    client.force_login(national_admin)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        url("record-training", submitted.pk),
        {"requirement": lle_type.training_requirements.first().pk, "completed_on": tomorrow.isoformat()},
    )

    assert response.status_code == 400
    assert "The completion date must be today or in the past" in response.content.decode()
