"""The eligibility engine: each automatic check met and not met, with its explanation, on both
Ofsted frameworks; evidence, declarations and references; snapshots and re-evaluation."""

import csv
import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from designations.choices import ApplicationState, CriterionCheck, CriterionOutcome, LeadershipRole
from designations.models import CriterionResult, OfstedRule
from designations.services import eligibility, record_reference, start_application, submit, transition
from schools.choices import Framework, Grade, JudgementArea, SchoolStatus
from tests.factories import InspectionFactory, JudgementFactory, SchoolFactory, UserFactory, graded_inspection
from tests.factories.designations import CriterionFactory, LeadershipPostFactory

from .conftest import years_ago

NOTE = "Checked against the evidence."  # an assessor's note on a judgement

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GRADED_FIXTURE = "ofsted_graded_2023-24.csv"

REPORT_CARD_AREAS = [
    JudgementArea.INCLUSION,
    JudgementArea.CURRICULUM_AND_TEACHING,
    JudgementArea.ACHIEVEMENT,
    JudgementArea.ATTENDANCE_AND_BEHAVIOUR,
    JudgementArea.PERSONAL_DEVELOPMENT_AND_WELLBEING,
    JudgementArea.LEADERSHIP_AND_GOVERNANCE,
]


def judged(person, school, designation_type, kind):
    return next(j for j in eligibility.preview(person, school, designation_type) if j.kind == kind)


def head_of(school, *, since_years, role=LeadershipRole.HEADTEACHER, ended_on=None, person=None):
    person = person or UserFactory()
    LeadershipPostFactory(
        person=person, school=school, role=role, started_on=years_ago(since_years), ended_on=ended_on
    )
    return person


def report_card(school, grades, *, on=datetime.date(2025, 11, 20), safeguarding=Grade.MET):
    inspection = InspectionFactory(school=school, framework=Framework.REPORT_CARD, start_date=on)
    for area, grade in grades.items():
        JudgementFactory(inspection=inspection, area=area, grade=grade)
    if safeguarding:
        JudgementFactory(inspection=inspection, area=JudgementArea.SAFEGUARDING, grade=safeguarding)
    return inspection


# --- Years in headship and leadership ------------------------------------------------------------


def test_lle_headteacher_with_five_years_headship_meets_the_headship_criterion(
    headteacher, home_school, lle_type
):
    result = judged(headteacher, home_school, lle_type, CriterionCheck.YEARS_IN_HEADSHIP)
    assert result.outcome == CriterionOutcome.MET
    assert result.explanation == "Met: 5 years of headship, 3 needed"


def test_lle_applicant_below_three_years_headship_is_not_eligible(outstanding_home_school, lle_type):
    head = head_of(outstanding_home_school, since_years=2)
    result = judged(head, outstanding_home_school, lle_type, CriterionCheck.YEARS_IN_HEADSHIP)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert result.explanation == "Not met: 2 years of headship, 3 needed"


def test_overlapping_headships_are_not_counted_twice(outstanding_home_school, lle_type):
    head = head_of(outstanding_home_school, since_years=2)
    head_of(SchoolFactory(), since_years=2, role=LeadershipRole.EXECUTIVE_HEADTEACHER, person=head)
    result = judged(head, outstanding_home_school, lle_type, CriterionCheck.YEARS_IN_HEADSHIP)
    assert result.explanation == "Not met: 2 years of headship, 3 needed"


def test_headships_at_several_schools_add_up(outstanding_home_school, lle_type):
    head = head_of(outstanding_home_school, since_years=1)
    head_of(SchoolFactory(), since_years=4, ended_on=years_ago(1), person=head)
    result = judged(head, outstanding_home_school, lle_type, CriterionCheck.YEARS_IN_HEADSHIP)
    assert result.outcome == CriterionOutcome.MET
    assert result.explanation == "Met: 4 years of headship, 3 needed"


def test_sle_years_in_leadership_count_middle_leadership(middle_leader, home_school, sle_type):
    result = judged(middle_leader, home_school, sle_type, CriterionCheck.YEARS_IN_LEADERSHIP)
    assert result.outcome == CriterionOutcome.MET
    assert result.explanation == "Met: 5 years in leadership, 2 needed"


def test_sle_applicant_with_one_year_of_leadership_is_not_eligible(home_school, sle_type):
    leader = head_of(home_school, since_years=1, role=LeadershipRole.ASSISTANT_HEADTEACHER)
    result = judged(leader, home_school, sle_type, CriterionCheck.YEARS_IN_LEADERSHIP)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert result.explanation == "Not met: 1 year in leadership, 2 needed"


# --- Role held now -------------------------------------------------------------------------------


def test_serving_headteacher_holds_the_role_at_their_school(headteacher, home_school, lle_type):
    result = judged(headteacher, home_school, lle_type, CriterionCheck.HOLDS_ROLE)
    assert result.outcome == CriterionOutcome.MET
    assert result.explanation.startswith(
        "Met: you are Headteacher or principal at Home Primary School (since "
    )


def test_former_headteacher_does_not_hold_the_role(home_school, lle_type):
    head = head_of(home_school, since_years=6, ended_on=years_ago(1))
    result = judged(head, home_school, lle_type, CriterionCheck.HOLDS_ROLE)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert result.explanation == (
        "Not met: our records show you are not Headteacher or principal or Executive headteacher "
        "at Home Primary School now"
    )


def test_middle_leader_is_not_a_serving_headteacher(middle_leader, home_school, nle_type):
    assert (
        judged(middle_leader, home_school, nle_type, CriterionCheck.HOLDS_ROLE).outcome
        == CriterionOutcome.NOT_MET
    )


# --- Ofsted, graded inspections ------------------------------------------------------------------


def test_good_graded_school_meets_good_or_better(home_school, lle_type):
    graded_inspection(home_school, Grade.GOOD, on=datetime.date(2023, 5, 10))
    head = head_of(home_school, since_years=5)
    result = judged(head, home_school, lle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.MET
    assert result.explanation == "Met: your school was judged Good on 10 May 2023 (graded inspection)"


def test_good_graded_school_does_not_meet_outstanding_for_nle(home_school, nle_type):
    graded_inspection(home_school, Grade.GOOD, on=datetime.date(2023, 5, 10))
    head = head_of(home_school, since_years=5)
    result = judged(head, home_school, nle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert result.explanation == (
        "Not met: in the inspection of 10 May 2023 (graded inspection), "
        "Overall effectiveness was Good, Outstanding needed"
    )


def test_requires_improvement_does_not_meet_good_or_better(home_school, lle_type):
    graded_inspection(home_school, Grade.REQUIRES_IMPROVEMENT, on=datetime.date(2022, 3, 1))
    result = judged(head_of(home_school, since_years=5), home_school, lle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert "Overall effectiveness was Requires improvement, Outstanding or Good needed" in result.explanation


def test_latest_graded_inspection_is_the_one_judged(home_school, lle_type):
    graded_inspection(home_school, Grade.OUTSTANDING, on=datetime.date(2015, 1, 10))
    graded_inspection(home_school, Grade.INADEQUATE, on=datetime.date(2023, 6, 1))
    result = judged(head_of(home_school, since_years=5), home_school, lle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert "1 June 2023" in result.explanation


def test_school_with_no_inspection_does_not_meet_the_ofsted_rule(home_school, lle_type):
    result = judged(head_of(home_school, since_years=5), home_school, lle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert result.explanation == (
        "Not met: we hold no Ofsted inspection of Home Primary School that the rule “Good or better” "
        "can be judged from"
    )


def test_a_later_ungraded_inspection_leaves_the_graded_judgement_in_force(home_school, lle_type):
    graded_inspection(home_school, Grade.GOOD, on=datetime.date(2021, 5, 10))
    ungraded = InspectionFactory(
        school=home_school, framework=Framework.UNGRADED, start_date=datetime.date(2024, 2, 1)
    )
    JudgementFactory(inspection=ungraded, area=JudgementArea.UNGRADED_OUTCOME, grade=Grade.GOOD)
    result = judged(head_of(home_school, since_years=5), home_school, lle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.explanation == "Met: your school was judged Good on 10 May 2021 (graded inspection)"


# --- Ofsted, report cards ------------------------------------------------------------------------


def test_report_card_strong_in_every_area_meets_outstanding_for_nle(home_school, nle_type):
    graded_inspection(home_school, Grade.REQUIRES_IMPROVEMENT, on=datetime.date(2019, 1, 1))
    report_card(home_school, dict.fromkeys(REPORT_CARD_AREAS, Grade.STRONG_STANDARD))
    result = judged(head_of(home_school, since_years=5), home_school, nle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.MET
    assert result.explanation.startswith("Met: your school was judged Achievement Strong standard, ")
    assert result.explanation.endswith("Safeguarding Met on 20 November 2025 (report card)")


def test_report_card_with_an_area_at_expected_standard_does_not_meet_outstanding(home_school, nle_type):
    grades = dict.fromkeys(REPORT_CARD_AREAS, Grade.EXCEPTIONAL) | {
        JudgementArea.ACHIEVEMENT: Grade.EXPECTED_STANDARD
    }
    report_card(home_school, grades)
    result = judged(head_of(home_school, since_years=5), home_school, nle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert result.explanation == (
        "Not met: in the inspection of 20 November 2025 (report card), "
        "Achievement was Expected standard, Exceptional or Strong standard needed"
    )


def test_report_card_with_safeguarding_not_met_fails_good_or_better(home_school, lle_type):
    report_card(home_school, dict.fromkeys(REPORT_CARD_AREAS, Grade.EXCEPTIONAL), safeguarding=Grade.NOT_MET)
    result = judged(head_of(home_school, since_years=5), home_school, lle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert "Safeguarding was Not met, Met needed" in result.explanation


def test_report_card_areas_not_graded_are_ignored(home_school, lle_type):
    report_card(home_school, {JudgementArea.INCLUSION: Grade.EXPECTED_STANDARD}, safeguarding=None)
    result = judged(head_of(home_school, since_years=5), home_school, lle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.MET
    assert result.explanation == (
        "Met: your school was judged Inclusion Expected standard on 20 November 2025 (report card)"
    )


def test_report_card_grading_none_of_the_rules_areas_does_not_meet_it(home_school, lle_type):
    report_card(home_school, {JudgementArea.POST_16: Grade.EXCEPTIONAL}, safeguarding=None)
    result = judged(head_of(home_school, since_years=5), home_school, lle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert result.explanation == (
        "Not met: the inspection of 20 November 2025 (report card) grades none of the areas "
        "the rule “Good or better” looks at"
    )


def test_report_card_after_a_graded_inspection_is_the_one_judged(home_school, nle_type):
    graded_inspection(home_school, Grade.OUTSTANDING, on=datetime.date(2018, 1, 1))
    report_card(home_school, dict.fromkeys(REPORT_CARD_AREAS, Grade.NEEDS_ATTENTION))
    result = judged(head_of(home_school, since_years=5), home_school, nle_type, CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert "(report card)" in result.explanation


def test_ofsted_rule_met_is_available_to_other_services(home_school):
    graded_inspection(home_school, Grade.GOOD)
    assert eligibility.ofsted_rule_met(OfstedRule.objects.get(name="Good or better"), home_school)
    assert not eligibility.ofsted_rule_met(OfstedRule.objects.get(name="Outstanding"), home_school)


# --- School open ---------------------------------------------------------------------------------


def test_open_school_meets_school_open(headteacher, home_school, lle_type):
    result = judged(headteacher, home_school, lle_type, CriterionCheck.SCHOOL_OPEN)
    assert (result.outcome, result.explanation) == (CriterionOutcome.MET, "Met: Home Primary School is open")


def test_closed_school_does_not_meet_school_open(headteacher, home_school, lle_type):
    home_school.status = SchoolStatus.CLOSED
    home_school.save()
    result = judged(headteacher, home_school, lle_type, CriterionCheck.SCHOOL_OPEN)
    assert (result.outcome, result.explanation) == (
        CriterionOutcome.NOT_MET,
        "Not met: Home Primary School is closed",
    )


# --- Years as chair within the last five ---------------------------------------------------------


def test_nlg_chair_for_four_recent_years_meets_the_chair_criterion(home_school, nlg_type):
    chair = head_of(home_school, since_years=4, role=LeadershipRole.CHAIR_OF_GOVERNORS)
    result = judged(chair, home_school, nlg_type, CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5)
    assert result.outcome == CriterionOutcome.MET
    assert result.explanation == "Met: 4 years as chair of governors in the last 5, 3 needed"


def test_nlg_chair_counts_only_the_part_of_a_long_chairmanship_within_five_years(home_school, nlg_type):
    chair = head_of(
        home_school, since_years=10, role=LeadershipRole.CHAIR_OF_GOVERNORS, ended_on=years_ago(3)
    )
    result = judged(chair, home_school, nlg_type, CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5)
    assert result.outcome == CriterionOutcome.NOT_MET
    assert result.explanation == "Not met: 2 years as chair of governors in the last 5, 3 needed"


def test_nlg_chair_whose_chairmanship_ended_six_years_ago_is_not_eligible(home_school, nlg_type):
    chair = head_of(
        home_school, since_years=12, role=LeadershipRole.CHAIR_OF_GOVERNORS, ended_on=years_ago(6)
    )
    result = judged(chair, home_school, nlg_type, CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5)
    assert result.explanation == "Not met: 0 years as chair of governors in the last 5, 3 needed"


# --- Evidence, declarations, referee -------------------------------------------------------------


def test_evidence_needs_evidence_with_the_guidance_until_answered(lle_application, complete_draft):
    evidence = lle_application.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    assert evidence.outcome == CriterionOutcome.NEEDS_EVIDENCE
    assert evidence.explanation == (
        "Needs evidence: upload or describe your evidence. "
        "Say whom you supported, for how long and with what result."
    )
    complete_draft(lle_application)
    evidence.refresh_from_db()
    assert evidence.outcome == CriterionOutcome.NEEDS_EVIDENCE
    assert evidence.applicant_response == "Yes: described in my statement."
    assert evidence.explanation == "Needs evidence: your description given, for an assessor to judge"


def test_declaration_needs_confirming(lle_application, complete_draft):
    declaration = lle_application.criterion_results.filter(kind=CriterionCheck.DECLARATION).first()
    assert declaration.explanation == "Needs evidence: confirm this declaration"
    complete_draft(lle_application)
    declaration.refresh_from_db()
    assert declaration.explanation == "Needs evidence: declaration made, for an assessor to check"


def test_referee_criterion_follows_the_referee(lle_application, complete_draft):
    referee = lle_application.criterion_results.get(kind=CriterionCheck.REFEREE)
    assert referee.explanation == "Needs evidence: name a referee"
    complete_draft(lle_application)
    referee.refresh_from_db()
    assert referee.explanation == "Needs evidence: your referee, Robin Referee, is asked when you submit"
    submit(lle_application, actor=lle_application.applicant)
    referee.refresh_from_db()
    assert referee.explanation.startswith("Needs evidence: waiting for Robin Referee to respond (asked on ")


@pytest.mark.parametrize(
    ("recommendation", "outcome", "start"),
    [
        ("support", CriterionOutcome.MET, "Met: Robin Referee supports your application"),
        (
            "do_not_support",
            CriterionOutcome.NOT_MET,
            "Not met: Robin Referee does not support your application",
        ),
    ],
)
def test_referee_response_decides_the_referee_criterion(
    lle_application, complete_draft, recommendation, outcome, start
):
    submit(complete_draft(lle_application), actor=lle_application.applicant)
    record_reference(
        lle_application.referee_requests.get(), recommendation=recommendation, evidence="Strong impact."
    )
    referee = lle_application.criterion_results.get(kind=CriterionCheck.REFEREE)
    assert referee.outcome == outcome
    assert referee.explanation.startswith(start)


# --- Preview, snapshots, re-evaluation -----------------------------------------------------------


def test_preview_judges_without_saving_anything(headteacher, home_school, lle_type):
    judgements = eligibility.preview(headteacher, home_school, lle_type)
    assert [j.label for j in judgements] == list(lle_type.criteria.values_list("label", flat=True))
    assert judgements[-1].explanation == "Needs evidence: your referee is asked after you apply"
    assert not CriterionResult.objects.exists()


def test_results_snapshot_the_criterion_and_its_ofsted_rule(lle_application):
    ofsted = lle_application.criterion_results.get(kind=CriterionCheck.SCHOOL_OFSTED)
    assert ofsted.label == "Your school is judged good or better by Ofsted"
    assert ofsted.parameters["ofsted_rule"]["name"] == "Good or better"
    assert {
        "framework": "graded",
        "area": "overall_effectiveness",
        "acceptable_grades": ["outstanding", "good"],
    } in (ofsted.parameters["ofsted_rule"]["clauses"])


def test_changing_a_types_criteria_after_submission_does_not_change_stored_results(
    lle_application, complete_draft, lle_type
):
    submit(complete_draft(lle_application), actor=lle_application.applicant)
    headship = lle_type.criteria.get(kind=CriterionCheck.YEARS_IN_HEADSHIP)
    headship.min_years, headship.label = 10, "At least 10 years as a headteacher"
    headship.save()
    lle_type.criteria.filter(kind=CriterionCheck.SCHOOL_OPEN).delete()
    CriterionFactory(designation_type=lle_type, kind=CriterionCheck.EVIDENCE, label="A new criterion")
    OfstedRule.objects.get(name="Good or better").clauses.filter(framework="graded").update(
        acceptable_grades=["outstanding"]
    )

    results = eligibility.evaluate(lle_application)

    labels = [result.label for result in results]
    assert "At least 3 years as a serving headteacher" in labels
    assert "Your school is open" in labels
    assert "A new criterion" not in labels
    assert next(r for r in results if r.kind == CriterionCheck.YEARS_IN_HEADSHIP).explanation == (
        "Met: 5 years of headship, 3 needed"
    )
    assert next(r for r in results if r.kind == CriterionCheck.SCHOOL_OFSTED).outcome == CriterionOutcome.MET


def test_a_draft_follows_the_types_current_criteria_and_keeps_answers(
    lle_application, complete_draft, lle_type
):
    complete_draft(lle_application)
    CriterionFactory(
        designation_type=lle_type, kind=CriterionCheck.DECLARATION, label="You agree to be deployed"
    )
    results = eligibility.evaluate(lle_application)
    assert "You agree to be deployed" in [result.label for result in results]
    assert all(r.applicant_response for r in results if r.kind == CriterionCheck.EVIDENCE)


def test_a_leadership_post_ending_before_the_decision_is_re_evaluated(lle_application, headteacher):
    post = headteacher.posts.get()
    post.ended_on = timezone.localdate() - datetime.timedelta(days=1)
    post.save()
    holds_role = lle_application.criterion_results.get(kind=CriterionCheck.HOLDS_ROLE)
    assert holds_role.outcome == CriterionOutcome.NOT_MET


def test_a_new_inspection_before_the_decision_is_re_evaluated(lle_application, home_school):
    graded_inspection(home_school, Grade.INADEQUATE, on=timezone.localdate() - datetime.timedelta(days=3))
    ofsted = lle_application.criterion_results.get(kind=CriterionCheck.SCHOOL_OFSTED)
    assert ofsted.outcome == CriterionOutcome.NOT_MET
    assert "Inadequate" in ofsted.explanation


def test_facts_changing_after_the_decision_do_not_change_results(
    lle_application, complete_draft, headteacher, national_admin
):
    submit(complete_draft(lle_application), actor=headteacher)
    transition(lle_application, ApplicationState.UNDER_ASSESSMENT, actor=national_admin)
    transition(
        lle_application, ApplicationState.REJECTED, actor=national_admin, reason="Not enough coaching."
    )
    post = headteacher.posts.get()
    post.ended_on = timezone.localdate() - datetime.timedelta(days=1)
    post.save()
    holds_role = lle_application.criterion_results.get(kind=CriterionCheck.HOLDS_ROLE)
    assert holds_role.outcome == CriterionOutcome.MET


def test_re_evaluation_keeps_assessor_outcomes(lle_application, complete_draft, headteacher, national_admin):
    from designations.services import record_assessment

    submit(complete_draft(lle_application), actor=headteacher)
    evidence = lle_application.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    record_assessment(evidence, outcome=CriterionOutcome.MET, note=NOTE, actor=national_admin)
    eligibility.evaluate(lle_application)
    evidence.refresh_from_db()
    assert (evidence.assessor_outcome, evidence.final_outcome) == (CriterionOutcome.MET, CriterionOutcome.MET)


def test_evaluation_of_a_decided_application_changes_nothing(lle_application, headteacher):
    transition(lle_application, ApplicationState.WITHDRAWN, actor=headteacher)
    lle_application.refresh_from_db()
    before = list(lle_application.criterion_results.values_list("outcome", "explanation", "evaluated_at"))
    headteacher.posts.all().delete()
    eligibility.evaluate(lle_application)
    assert (
        list(lle_application.criterion_results.values_list("outcome", "explanation", "evaluated_at"))
        == before
    )


def test_starting_an_application_stores_a_result_per_active_criterion(
    headteacher, home_school, nle_type, open_round
):
    nle_type.criteria.filter(kind=CriterionCheck.SCHOOL_OPEN).update(is_active=False)
    application = start_application(applicant=headteacher, round=open_round(nle_type), school=home_school)
    assert application.criterion_results.count() == nle_type.criteria.filter(is_active=True).count()
    assert not application.criterion_results.filter(kind=CriterionCheck.SCHOOL_OPEN).exists()


def test_a_school_closing_before_the_decision_is_re_evaluated(lle_application, home_school):
    home_school.status = SchoolStatus.CLOSED
    home_school.save()
    school_open = lle_application.criterion_results.get(kind=CriterionCheck.SCHOOL_OPEN)
    assert (school_open.outcome, school_open.explanation) == (
        CriterionOutcome.NOT_MET,
        "Not met: Home Primary School is closed",
    )



def test_an_ofsted_import_rejudges_undecided_applications_of_the_schools_it_touched(
    lle_application, tmp_path
):
    """Importers write in bulk (no model signals); the import's own signal triggers re-judging."""
    from schools.services import import_file

    result = lle_application.criterion_results.get(kind=CriterionCheck.SCHOOL_OFSTED)
    assert result.outcome == CriterionOutcome.MET
    header = (FIXTURES / "ofsted" / GRADED_FIXTURE).read_text(encoding="cp1252").splitlines()[0]
    columns = next(csv.reader([header]))
    row = dict.fromkeys(columns, "")
    row.update({
        "URN": str(lle_application.school.urn), "Inspection start date": "01/10/2026",
        "Inspection end date": "02/10/2026", "Publication date": "01/11/2026",
        "Inspection type": "S5 Inspection", "Overall effectiveness": "4",
    })
    path = tmp_path / "ofsted.csv"
    with path.open("w", encoding="cp1252", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerow(row)

    report = import_file("ofsted", path)

    assert report.rejected == 0, report.errors
    result.refresh_from_db()
    assert result.outcome == CriterionOutcome.NOT_MET
