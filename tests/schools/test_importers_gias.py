"""The GIAS establishment extract importer, against the published samples and crafted bad files."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schools.choices import Framework, Grade, InspectionSource, JudgementArea, Phase, SchoolStatus
from schools.importers.base import BATCH_SIZE
from schools.models import Diocese, Inspection, Judgement, LocalAuthority, School, Trust
from schools.services import import_file

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GIAS = FIXTURES / "gias"
CRAFTED = FIXTURES / "crafted"

SAMPLES = {
    "edubase_sample_2018_header.csv": 4,
    "edubase_sample_cp1252.csv": 4,
    "edubase_example_2024_header_anonymised.csv": 2,
    "childrens_centres_reduced_columns.csv": 2992,
}
HISTORIES = (School, LocalAuthority, Trust, Diocese, Inspection, Judgement)


def history_rows() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in HISTORIES}


@pytest.mark.parametrize(("filename", "rows"), SAMPLES.items())
def test_every_published_sample_imports_every_row(filename, rows):
    report = import_file("gias", GIAS / filename)

    assert report.refused == ""
    assert (report.rows_read, report.created, report.rejected) == (rows, rows, 0)
    assert School.objects.count() == rows


@pytest.mark.parametrize("filename", SAMPLES)
def test_importing_the_same_sample_again_changes_nothing(filename):
    import_file("gias", GIAS / filename)
    before = history_rows()

    report = import_file("gias", GIAS / filename)

    assert (report.created, report.updated, report.unchanged) == (0, 0, SAMPLES[filename])
    assert history_rows() == before


def test_windows_1252_names_are_read_as_published():
    import_file("gias", GIAS / "edubase_sample_cp1252.csv")

    assert School.objects.get(urn=126416).name == "St Thomas à Becket Church of England Aided Primary School"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"], ids=["utf-8", "utf-8-with-bom"])
def test_a_utf8_copy_reads_the_same_as_the_windows_1252_original(tmp_path, encoding):
    utf8_copy = tmp_path / "extract-utf8.csv"
    published = (GIAS / "edubase_sample_cp1252.csv").read_bytes()
    utf8_copy.write_bytes(published.decode("cp1252").encode(encoding))

    report = import_file("gias", utf8_copy)

    assert report.created == 4
    assert School.objects.get(urn=126416).name == "St Thomas à Becket Church of England Aided Primary School"


def test_school_fields_local_authority_diocese_and_region_come_from_the_extract():
    import_file("gias", GIAS / "edubase_sample_2018_header.csv")

    school = School.objects.select_related("local_authority", "diocese").get(urn=100492)
    assert school.name == "St Thomas' CofE Primary School"
    assert (school.local_authority.code, school.local_authority.name) == ("207", "Kensington and Chelsea")
    assert school.local_authority.region == "London"
    assert (school.diocese.code, school.diocese.name) == ("CE23", "Diocese of London")
    assert school.phase == Phase.PRIMARY
    assert school.status == SchoolStatus.OPEN
    assert (school.easting, school.northing) == (524351, 182075)
    assert school.percentage_fsm == Decimal("30.00")
    assert (school.number_of_pupils, school.school_capacity) == (237, 236)
    assert school.gias_last_changed == datetime.date(2018, 9, 19)
    assert School.objects.get(urn=100171).phase == Phase.ALL_THROUGH


def test_not_applicable_diocese_and_does_not_apply_religion_are_left_blank():
    import_file("gias", GIAS / "edubase_sample_cp1252.csv")

    penistone = School.objects.get(urn=106653)
    assert penistone.diocese is None
    assert penistone.religious_character == ""
    assert not Diocese.objects.filter(code__in=["0000", "0"]).exists()


def test_closed_and_proposed_schools_keep_their_status_and_dates():
    import_file("gias", GIAS / "edubase_sample_cp1252.csv")

    closed = School.objects.get(urn=117137)
    assert closed.status == SchoolStatus.CLOSED
    assert closed.close_date == datetime.date(2012, 5, 31)
    assert School.objects.get(urn=148847).status == SchoolStatus.PROPOSED_TO_OPEN


def test_trusts_are_created_from_the_extract():
    import_file("gias", GIAS / "edubase_example_2024_header_anonymised.csv")

    academy = School.objects.select_related("trust").get(urn=138130)
    assert (academy.trust.code, academy.trust.name) == ("5711", "EXAMPLE ACADEMY TRUST")
    assert School.objects.get(urn=140134).trust is None


def test_childrens_centres_without_coordinates_are_imported_unplaced():
    import_file("gias", GIAS / "childrens_centres_reduced_columns.csv")

    centre = School.objects.get(urn=20001)
    assert centre.name == "The Starship Children's Centre"
    assert centre.type_name == "Children's centre"
    assert centre.phase == Phase.NOT_APPLICABLE
    assert not centre.has_location


def test_a_reduced_extract_leaves_columns_it_does_not_carry_alone(tmp_path):
    import_file("gias", GIAS / "edubase_sample_2018_header.csv")
    reduced = tmp_path / "reduced.csv"
    reduced.write_text(
        "URN,LA (code),LA (name),EstablishmentName,EstablishmentStatus (name),PhaseOfEducation (name)\r\n"
        "100492,207,Kensington and Chelsea,St Thomas' CofE Primary School,Open,Primary\r\n",
        encoding="cp1252",
    )

    report = import_file("gias", reduced)

    assert report.unchanged == 1
    assert School.objects.get(urn=100492).easting == 524351


def test_an_older_extract_gives_each_rated_school_a_graded_inspection_from_gias():
    import_file("gias", GIAS / "edubase_sample_2018_header.csv")

    school = School.objects.select_related("latest_inspection").get(urn=100459)
    inspection = school.latest_inspection
    assert inspection.framework == Framework.GRADED
    assert inspection.source == InspectionSource.GIAS
    assert inspection.start_date == datetime.date(2018, 11, 7)
    assert inspection.grade_for(JudgementArea.OVERALL_EFFECTIVENESS) == Grade.REQUIRES_IMPROVEMENT


def test_a_category_of_concern_rating_is_an_inadequate_grade_with_its_category():
    import_file("gias", GIAS / "edubase_example_2024_header_anonymised.csv")

    inspection = School.objects.get(urn=140134).latest_inspection
    assert inspection.overall_effectiveness == Grade.INADEQUATE
    assert inspection.category_of_concern == "Serious weaknesses"


def test_a_school_with_no_rating_gets_no_inspection():
    import_file("gias", GIAS / "edubase_sample_cp1252.csv")

    assert School.objects.get(urn=148847).latest_inspection is None
    assert not Inspection.objects.filter(school_id=148847).exists()


def test_a_changed_row_updates_the_school_and_records_one_history_row(tmp_path):
    import_file("gias", GIAS / "edubase_sample_cp1252.csv")
    renamed = tmp_path / "renamed.csv"
    original = (GIAS / "edubase_sample_cp1252.csv").read_bytes()
    renamed.write_bytes(original.replace(b"Penistone Grammar School", b"Penistone Grammar Academy"))

    report = import_file("gias", renamed)

    assert (report.updated, report.unchanged) == (1, 3)
    penistone = School.objects.get(urn=106653)
    assert penistone.name == "Penistone Grammar Academy"
    assert penistone.history.count() == 2
    assert penistone.history.first().prev_record.name == "Penistone Grammar School"


def test_bad_rows_are_reported_by_row_number_and_good_rows_still_imported():
    report = import_file("gias", CRAFTED / "gias_bad_rows.csv")

    assert (report.rows_read, report.created, report.rejected) == (9, 2, 7)
    reasons = {error.row: error.reason for error in report.errors}
    assert reasons == {
        3: "URN is missing.",
        4: "URN “12A45” is not a number.",
        5: "PhaseOfEducation (name) “Kindergarten” is not a value GIAS publishes.",
        6: "EstablishmentStatus (name) “Sleeping” is not a value GIAS publishes.",
        7: "OpenDate “31-02-2020” is not a date like 30-09-2024 or 30/09/2024.",
        8: "NumberOfPupils “lots” is not a whole number.",
        10: "URN 926001 already appears in row 2.",
    }
    assert set(School.objects.values_list("urn", flat=True)) == {926001, 926008}
    assert School.objects.get(urn=926008).status == SchoolStatus.OPEN_PROPOSED_TO_CLOSE


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (CRAFTED / "gias_wrong_columns.csv", "it has no columns “EstablishmentName”, “LA (code)”"),
        (GIAS / "establishment_types_20250422.csv", "it has no columns “URN”, “EstablishmentName”"),
        (GIAS / "links_edubasealldata20250422.csv", "is not a GIAS establishment extract"),
        (CRAFTED / "not_a_csv.png", "not a CSV text file"),
        (CRAFTED / "empty.csv", "The file is empty"),
    ],
    ids=["wrong-columns", "another-gias-file", "links-file", "binary", "empty"],
)
def test_a_file_that_is_not_an_extract_is_refused_whole_and_nothing_is_written(path, reason):
    report = import_file("gias", path)

    assert reason in report.refused
    assert not report.succeeded
    assert (School.objects.count(), LocalAuthority.objects.count(), School.history.count()) == (0, 0, 0)


def test_a_file_refused_half_way_leaves_nothing_behind(tmp_path):
    broken = tmp_path / "broken.csv"
    good_rows = (GIAS / "childrens_centres_reduced_columns.csv").read_bytes()
    broken.write_bytes(good_rows + b"\x00" * 10 + b"\r\n")

    report = import_file("gias", broken)

    assert "binary data" in report.refused
    assert School.objects.count() == 0


def _extract(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / f"extract-{rows}.csv"
    lines = ["URN,LA (code),LA (name),EstablishmentName,EstablishmentStatus (name),PhaseOfEducation (name),"
             "Trusts (code),Trusts (name),Diocese (code),Diocese (name),OfstedRating (name),OfstedLastInsp"]
    lines += [
        f"{700000 + n},{800 + n % 40},Authority {n % 40},School {n},Open,Primary,{n % 25},Trust {n % 25},"
        f"CE{n % 9},Diocese {n % 9},Good,0{1 + n % 9}-03-2019"
        for n in range(rows)
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    return path


def test_the_number_of_queries_does_not_grow_with_the_rows_in_a_batch(tmp_path):
    small, large = _extract(tmp_path, 20), _extract(tmp_path, 200)

    with CaptureQueriesContext(connection) as small_import:
        import_file("gias", small)
    School.objects.all().delete()
    with CaptureQueriesContext(connection) as large_import:
        assert import_file("gias", large).created == 200

    # Ten times the rows cost well under twice the queries (SQLite splits long inserts in
    # chunks of its parameter limit; PostgreSQL sends one insert per batch).
    assert len(large_import.captured_queries) < 2 * len(small_import.captured_queries)
    assert len(large_import.captured_queries) < 60


def test_rows_are_written_in_batches_of_the_batch_size(tmp_path):
    rows = BATCH_SIZE * 2 + 10
    with CaptureQueriesContext(connection) as queries:
        report = import_file("gias", _extract(tmp_path, rows))

    assert report.created == rows
    school_selects = [q for q in queries.captured_queries if q["sql"].startswith('SELECT "schools_school"')]
    # One lookup per batch of rows, and one per batch of the latest-inspection pass.
    assert len(school_selects) == 3 + 3
