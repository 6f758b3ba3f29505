"""The Ofsted inspection outcomes importer, in its graded and report-card layouts."""

import datetime
from pathlib import Path

import pytest

from schools.choices import Framework, Grade, InspectionSource, JudgementArea
from schools.models import Inspection, Judgement, School
from schools.services import import_file

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GRADED_FILE = FIXTURES / "ofsted" / "ofsted_graded_2023-24.csv"
REPORT_CARD_FILE = FIXTURES / "ofsted" / "ofsted_report_cards_2025-26_d2.csv"


@pytest.fixture
def gias_schools(db):
    for sample in ("edubase_sample_2018_header.csv", "edubase_sample_cp1252.csv"):
        assert import_file("gias", FIXTURES / "gias" / sample).rejected == 0


def grades(inspection: Inspection) -> dict[str, str]:
    return {j.area: j.grade for j in inspection.judgements.all()}


def inspection_of(urn: int, framework: str, start: datetime.date) -> Inspection:
    return Inspection.objects.get(school_id=urn, framework=framework, start_date=start)


def test_graded_layout_records_latest_previous_and_ungraded_inspections(gias_schools):
    report = import_file("ofsted", GRADED_FILE)

    assert (report.rows_read, report.created, report.rejected) == (6, 4, 2)
    latest = inspection_of(100492, Framework.GRADED, datetime.date(2023, 3, 14))
    assert latest.source == InspectionSource.OFSTED_MI
    assert (latest.inspection_number, latest.inspection_type) == ("10227801", "S5 Inspection")
    assert latest.end_date == datetime.date(2023, 3, 15)
    assert latest.publication_date == datetime.date(2023, 4, 20)
    assert grades(latest) == {
        JudgementArea.OVERALL_EFFECTIVENESS: Grade.GOOD,
        JudgementArea.QUALITY_OF_EDUCATION: Grade.GOOD,
        JudgementArea.BEHAVIOUR_AND_ATTITUDES: Grade.OUTSTANDING,
        JudgementArea.PERSONAL_DEVELOPMENT: Grade.GOOD,
        JudgementArea.LEADERSHIP_AND_MANAGEMENT: Grade.GOOD,
        JudgementArea.SAFEGUARDING: Grade.MET,
        JudgementArea.EARLY_YEARS: Grade.GOOD,
    }
    previous = inspection_of(100492, Framework.GRADED, datetime.date(2014, 11, 5))
    assert grades(previous) == {JudgementArea.OVERALL_EFFECTIVENESS: Grade.OUTSTANDING}
    ungraded = inspection_of(100492, Framework.UNGRADED, datetime.date(2024, 1, 10))
    assert grades(ungraded) == {JudgementArea.UNGRADED_OUTCOME: Grade.GOOD}


def test_an_ungraded_outcome_without_a_grade_word_is_kept_as_its_type_with_no_judgement(gias_schools):
    import_file("ofsted", GRADED_FILE)

    ungraded = inspection_of(106653, Framework.UNGRADED, datetime.date(2022, 12, 12))
    assert ungraded.inspection_type == "Standards maintained"
    assert grades(ungraded) == {}


def test_category_of_concern_and_unsafe_safeguarding_are_recorded(gias_schools):
    import_file("ofsted", GRADED_FILE)

    inspection = inspection_of(100459, Framework.GRADED, datetime.date(2023, 5, 15))
    assert inspection.category_of_concern == "Serious weaknesses"
    assert grades(inspection)[JudgementArea.SAFEGUARDING] == Grade.NOT_MET
    assert grades(inspection)[JudgementArea.OVERALL_EFFECTIVENESS] == Grade.INADEQUATE


def test_graded_layout_sets_latest_inspection_to_the_latest_graded_not_a_later_ungraded(gias_schools):
    import_file("ofsted", GRADED_FILE)

    assert School.objects.get(urn=100492).latest_inspection.start_date == datetime.date(2023, 3, 14)
    penistone = School.objects.get(urn=106653).latest_inspection
    assert (penistone.framework, penistone.start_date) == (Framework.GRADED, datetime.date(2017, 10, 10))
    # The Ofsted file's more recent inspection replaces the older GIAS rating as the latest.
    assert School.objects.get(urn=100459).latest_inspection.overall_effectiveness == Grade.INADEQUATE


def test_the_ofsted_file_takes_over_an_inspection_first_recorded_from_gias(gias_schools):
    assert inspection_of(126416, Framework.GRADED, datetime.date(2016, 6, 22)).source == InspectionSource.GIAS

    import_file("ofsted", GRADED_FILE)

    taken_over = inspection_of(126416, Framework.GRADED, datetime.date(2016, 6, 22))
    assert (taken_over.source, taken_over.inspection_number) == (InspectionSource.OFSTED_MI, "10005892")


def test_bad_rows_and_unknown_schools_are_rejected_with_their_row_numbers(gias_schools):
    report = import_file("ofsted", GRADED_FILE)

    assert {error.row: error.reason for error in report.errors} == {
        6: "Inspection start date “31/02/2023” is not a date like 30/09/2024 or 2024-09-30.",
        7: "URN 999999 is not a known school: import the GIAS extract first.",
    }
    assert not Inspection.objects.filter(school_id=100494, source=InspectionSource.OFSTED_MI).exists()


def test_report_card_layout_records_grades_per_evaluation_area(gias_schools):
    report = import_file("ofsted", REPORT_CARD_FILE)

    assert (report.rows_read, report.created, report.rejected) == (5, 3, 2)
    report_card = inspection_of(100171, Framework.REPORT_CARD, datetime.date(2025, 12, 1))
    assert report_card.category_of_concern == "Special measures"
    assert grades(report_card) == {
        JudgementArea.SAFEGUARDING: Grade.NOT_MET,
        JudgementArea.INCLUSION: Grade.NEEDS_ATTENTION,
        JudgementArea.CURRICULUM_AND_TEACHING: Grade.URGENT_IMPROVEMENT,
        JudgementArea.ACHIEVEMENT: Grade.NEEDS_ATTENTION,
        JudgementArea.ATTENDANCE_AND_BEHAVIOUR: Grade.NEEDS_ATTENTION,
        JudgementArea.PERSONAL_DEVELOPMENT_AND_WELLBEING: Grade.EXPECTED_STANDARD,
        JudgementArea.EARLY_YEARS: Grade.EXPECTED_STANDARD,
        JudgementArea.POST_16: Grade.NEEDS_ATTENTION,
        JudgementArea.LEADERSHIP_AND_GOVERNANCE: Grade.URGENT_IMPROVEMENT,
    }
    assert {error.row for error in report.errors} == {5, 6}


def test_report_card_layout_records_the_latest_oeif_inspection_as_graded(gias_schools):
    import_file("ofsted", REPORT_CARD_FILE)

    oeif = inspection_of(126416, Framework.GRADED, datetime.date(2022, 9, 20))
    assert oeif.inspection_number == "10211502"
    assert grades(oeif)[JudgementArea.OVERALL_EFFECTIVENESS] == Grade.REQUIRES_IMPROVEMENT
    # The published column name has a doubled space: matched all the same.
    assert grades(oeif)[JudgementArea.SAFEGUARDING] == Grade.MET


def test_report_card_becomes_the_latest_inspection_and_oeif_only_schools_keep_the_graded_one(gias_schools):
    import_file("ofsted", GRADED_FILE)
    import_file("ofsted", REPORT_CARD_FILE)

    latest = School.objects.get(urn=100492).latest_inspection
    assert (latest.framework, latest.start_date) == (Framework.REPORT_CARD, datetime.date(2025, 11, 18))
    oeif_only = School.objects.get(urn=126416).latest_inspection
    assert (oeif_only.framework, oeif_only.start_date) == (Framework.GRADED, datetime.date(2022, 9, 20))


def test_the_report_card_file_does_not_blank_what_only_the_graded_file_records(gias_schools):
    import_file("ofsted", GRADED_FILE)
    import_file("ofsted", REPORT_CARD_FILE)

    graded = inspection_of(100492, Framework.GRADED, datetime.date(2023, 3, 14))
    assert (graded.inspection_type, graded.end_date) == ("S5 Inspection", datetime.date(2023, 3, 15))


@pytest.mark.parametrize("ofsted_file", [GRADED_FILE, REPORT_CARD_FILE], ids=["graded", "report-card"])
def test_importing_an_ofsted_file_again_changes_nothing(gias_schools, ofsted_file):
    first = import_file("ofsted", ofsted_file)
    history = (Inspection.history.count(), Judgement.history.count())

    second = import_file("ofsted", ofsted_file)

    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert (Inspection.history.count(), Judgement.history.count()) == history


def test_both_files_alternately_reach_a_steady_state(gias_schools):
    import_file("ofsted", GRADED_FILE)
    import_file("ofsted", REPORT_CARD_FILE)

    again = [import_file("ofsted", f) for f in (GRADED_FILE, REPORT_CARD_FILE)]

    assert [(r.created, r.updated) for r in again] == [(0, 0), (0, 0)]


def test_a_regraded_area_replaces_the_old_judgement(gias_schools, tmp_path):
    import_file("ofsted", GRADED_FILE)
    regraded = tmp_path / "regraded.csv"
    lines = GRADED_FILE.read_bytes().split(b"\r\n")
    lines[1] = lines[1].replace(b",Yes,2,9,", b",Yes,9,9,")  # early years no longer applies
    regraded.write_bytes(b"\r\n".join(lines))

    report = import_file("ofsted", regraded)

    assert report.updated == 1
    latest = inspection_of(100492, Framework.GRADED, datetime.date(2023, 3, 14))
    assert JudgementArea.EARLY_YEARS not in grades(latest)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (FIXTURES / "gias" / "edubase_sample_2018_header.csv", "is not an Ofsted inspection outcomes file"),
        (FIXTURES / "crafted" / "not_a_csv.png", "not a CSV text file"),
        (FIXTURES / "crafted" / "empty.csv", "The file is empty"),
    ],
    ids=["gias-extract", "binary", "empty"],
)
def test_a_file_in_neither_layout_is_refused_whole(gias_schools, path, reason):
    inspections_before = Inspection.objects.count()

    report = import_file("ofsted", path)

    assert reason in report.refused
    assert Inspection.objects.count() == inspections_before


def test_a_report_card_file_missing_an_area_column_is_refused(gias_schools, tmp_path):
    truncated = tmp_path / "truncated.csv"
    truncated.write_text(
        "URN,Inspection start date,Safeguarding standards,Inclusion\r\n100492,18/11/2025,Met,\r\n"
    )

    report = import_file("ofsted", truncated)

    assert report.refused.startswith("The file looks like Ofsted's report card layout but it has no columns")
    assert "“Curriculum and teaching”" in report.refused
