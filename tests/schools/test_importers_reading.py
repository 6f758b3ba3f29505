"""What every importer shares when reading a file: numbers, quotes and encodings."""

from pathlib import Path

import pytest

from schools.models import EstablishmentLink, Inspection, School
from schools.services import import_file

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GIAS_SAMPLE = FIXTURES / "gias" / "edubase_sample_cp1252.csv"
GRADED_FILE = FIXTURES / "ofsted" / "ofsted_graded_2023-24.csv"

GIAS_HEADER = (
    "URN,LA (code),LA (name),EstablishmentName,EstablishmentStatus (name),"
    "PhaseOfEducation (name),NumberOfPupils,StatutoryLowAge"
)
LINKS_HEADER = "URN,LinkURN,LinkName,LinkType,LinkEstablishedDate"


def _gias_row(
    urn: str, *, la_code: str = "926", name: str = "A School", pupils: str = "", low_age: str = ""
) -> str:
    return f"{urn},{la_code},Norfolk,{name},Open,Primary,{pupils},{low_age}"


def _write(tmp_path: Path, lines: list[str], name: str = "file.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


@pytest.mark.parametrize(
    ("urn", "reason"),
    [
        ("①", "URN “①” is not a number."),
        ("٣٣٣", "URN “٣٣٣” is not a number."),
        ("12345678901234567890", "URN “12345678901234567890” is too large: URNs go up to 2147483647."),
        ("2147483648", "URN “2147483648” is too large: URNs go up to 2147483647."),
    ],
    ids=["circled-digit", "arabic-indic-digits", "twenty-digits", "one-past-integer"],
)
def test_a_bad_gias_urn_rejects_its_row_and_the_good_rows_are_imported(tmp_path, urn, reason):
    extract = _write(tmp_path, [GIAS_HEADER, _gias_row("926001"), _gias_row(urn), _gias_row("926003")])

    report = import_file("gias", extract)

    assert report.refused == ""
    assert (report.rows_read, report.created, report.rejected) == (3, 2, 1)
    assert {error.row: error.reason for error in report.errors} == {3: reason}
    assert set(School.objects.values_list("urn", flat=True)) == {926001, 926003}


def test_the_largest_urn_postgresql_holds_is_imported(tmp_path):
    extract = _write(tmp_path, [GIAS_HEADER, _gias_row("2147483647")])

    assert import_file("gias", extract).created == 1
    assert School.objects.get().urn == 2147483647


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_gias_row("926002", pupils="٣٣٣"), "NumberOfPupils “٣٣٣” is not a whole number."),
        (_gias_row("926002", pupils="①"), "NumberOfPupils “①” is not a whole number."),
        (
            _gias_row("926002", pupils="12345678901234567890"),
            "NumberOfPupils “12345678901234567890” is too large: it goes up to 2147483647.",
        ),
        (_gias_row("926002", low_age="40000"), "StatutoryLowAge “40000” is too large: it goes up to 32767."),
        (_gias_row("926002", la_code="٩٢٦"), "LA (code) “٩٢٦” is not a three-digit local authority code."),
    ],
    ids=["arabic-indic-pupils", "circled-pupils", "twenty-digit-pupils", "small-field", "arabic-indic-la"],
)
def test_only_ascii_digits_in_range_count_in_every_gias_number(tmp_path, row, reason):
    extract = _write(tmp_path, [GIAS_HEADER, _gias_row("926001"), row])

    report = import_file("gias", extract)

    assert (report.created, report.rejected) == (1, 1)
    assert {error.row: error.reason for error in report.errors} == {3: reason}


@pytest.mark.parametrize(
    ("urn", "reason"),
    [
        ("①", "URN “①” is not a number."),
        ("٣٣٣", "URN “٣٣٣” is not a number."),
        ("12345678901234567890", "URN “12345678901234567890” is too large: URNs go up to 2147483647."),
    ],
    ids=["circled-digit", "arabic-indic-digits", "twenty-digits"],
)
def test_a_bad_ofsted_urn_rejects_its_row_and_the_good_rows_are_imported(tmp_path, urn, reason):
    assert import_file("gias", FIXTURES / "gias" / "edubase_sample_2018_header.csv").rejected == 0
    assert import_file("gias", GIAS_SAMPLE).rejected == 0
    published = GRADED_FILE.read_bytes()
    first_row = published.split(b"\r\n")[1] if b"\r\n" in published else published.split(b"\n")[1]
    assert b",100492,2133614," in first_row
    bad = tmp_path / "ofsted.csv"
    bad.write_bytes(published.replace(first_row, first_row.replace(b",100492,", f",{urn},".encode(), 1), 1))
    clean = import_file("ofsted", GRADED_FILE)
    Inspection.objects.all().delete()

    report = import_file("ofsted", bad)

    assert report.refused == ""
    assert report.rows_read == clean.rows_read
    assert report.rejected == clean.rejected + 1
    assert {error.row: error.reason for error in report.errors}[2] == reason
    assert not Inspection.objects.filter(school_id=100492).exists()
    assert Inspection.objects.filter(school_id=126416).exists()


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ("①,134643", "URN “①” is not a number."),
        ("100006,٣٣٣", "LinkURN “٣٣٣” is not a number."),
        (
            "100006,12345678901234567890",
            "LinkURN “12345678901234567890” is too large: URNs go up to 2147483647.",
        ),
    ],
    ids=["circled-urn", "arabic-indic-link-urn", "twenty-digit-link-urn"],
)
def test_a_bad_link_urn_rejects_its_row_and_the_good_rows_are_imported(tmp_path, cells, reason):
    links = _write(tmp_path, [
        LINKS_HEADER,
        "100012,132245,Kingsgate Primary School,Successor,31-08-2021",
        f"{cells},CCfL Key Stage 3 PRU,Predecessor - merged,01-01-2022",
    ])

    report = import_file("gias_links", links)

    assert (report.rows_read, report.created, report.rejected) == (2, 1, 1)
    assert {error.row: error.reason for error in report.errors} == {3: reason}
    assert EstablishmentLink.objects.get().urn == 100012


def test_an_unclosed_quote_at_the_end_is_reported_with_the_rows_it_swallowed(tmp_path):
    extract = _write(tmp_path, [
        GIAS_HEADER, _gias_row("926001"), _gias_row("926002", name='"Unclosed School'), _gias_row("926003"),
    ])

    report = import_file("gias", extract)

    assert (report.rows_read, report.created, report.rejected) == (3, 1, 2)
    assert {error.row: error.reason for error in report.errors} == {
        3: "The quote that opens EstablishmentName is not closed, so row 4 was read into this row.",
        4: "This row was read into the unclosed quote in row 3.",
    }
    assert School.objects.get().urn == 926001


def test_an_unclosed_quote_mid_file_is_reported_and_the_rows_after_it_keep_their_numbers(tmp_path):
    extract = _write(tmp_path, [
        GIAS_HEADER,
        _gias_row("926001"),
        _gias_row("926002", name='"Unclosed School'),
        _gias_row("926003"),
        _gias_row("926004", name='"Quoted School"'),
        _gias_row("926005"),
        _gias_row("926005"),
    ])

    report = import_file("gias", extract)

    assert (report.rows_read, report.created, report.rejected) == (6, 2, 4)
    assert {error.row: error.reason for error in report.errors} == {
        3: "The quote that opens EstablishmentName is not closed, so rows 4 to 5 were read into this row.",
        4: "This row was read into the unclosed quote in row 3.",
        5: "This row was read into the unclosed quote in row 3.",
        7: "URN 926005 already appears in row 6.",
    }
    assert set(School.objects.values_list("urn", flat=True)) == {926001, 926005}


def test_an_unclosed_quote_in_an_ofsted_file_is_reported_and_the_row_count_kept(tmp_path):
    assert import_file("gias", FIXTURES / "gias" / "edubase_sample_2018_header.csv").rejected == 0
    clean = import_file("ofsted", GRADED_FILE)
    unclosed = tmp_path / "ofsted.csv"
    unclosed.write_bytes(GRADED_FILE.read_bytes().replace(b",St Thomas' CofE", b',"St Thomas\' CofE', 1))

    report = import_file("ofsted", unclosed)

    reasons = {error.row: error.reason for error in report.errors}
    assert reasons[2].startswith("The quote that opens School name is not closed, so row")
    assert reasons[3] == "This row was read into the unclosed quote in row 2."
    assert report.rows_read == clean.rows_read


def test_an_unclosed_quote_in_a_links_file_is_reported(tmp_path):
    links = _write(tmp_path, [
        LINKS_HEADER,
        '100012,132245,"Kingsgate Primary School,Successor,31-08-2021',
        "100006,134643,CCfL Key Stage 3 PRU,Predecessor - merged,01-01-2022",
    ])

    report = import_file("gias_links", links)

    assert (report.rows_read, report.created, report.rejected) == (2, 0, 2)
    assert {error.row: error.reason for error in report.errors} == {
        2: "The quote that opens LinkName is not closed, so row 3 was read into this row.",
        3: "This row was read into the unclosed quote in row 2.",
    }


UTF16_REFUSAL = (
    "The file is UTF-16 text, which is not read: save it as CSV in UTF-8 or Windows-1252 and import that."
)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("kind", ["gias", "ofsted", "gias_links"])
def test_a_utf16_file_is_refused_as_utf16_naming_the_encodings_read(tmp_path, kind, encoding):
    utf16_copy = tmp_path / "extract-utf16.csv"
    utf16_copy.write_bytes(GIAS_SAMPLE.read_bytes().decode("cp1252").encode(encoding))

    report = import_file(kind, utf16_copy)

    assert report.refused == UTF16_REFUSAL
    assert School.objects.count() == 0
