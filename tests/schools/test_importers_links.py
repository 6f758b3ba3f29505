"""The GIAS links file importer."""

import datetime
from pathlib import Path

import pytest

from schools.models import EstablishmentLink
from schools.services import import_file

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LINKS_SAMPLE = FIXTURES / "gias" / "links_edubasealldata20250422.csv"


def test_the_published_links_file_imports_every_link_and_a_second_run_changes_nothing():
    first = import_file("gias_links", LINKS_SAMPLE)
    history_after_first = EstablishmentLink.history.count()

    second = import_file("gias_links", LINKS_SAMPLE)

    assert (first.rows_read, first.created, first.rejected) == (33801, 33801, 0)
    assert EstablishmentLink.objects.count() == 33801
    assert (second.created, second.updated, second.unchanged) == (0, 0, 33801)
    assert EstablishmentLink.history.count() == history_after_first == 33801


def test_a_link_keeps_its_name_type_and_date():
    import_file("gias_links", LINKS_SAMPLE)

    link = EstablishmentLink.objects.get(urn=100012, linked_urn=100021)
    assert link.linked_name == "Rhyl Community Primary School"
    assert link.link_type == "Successor - merged"
    assert link.established_date == datetime.date(2021, 8, 31)
    assert EstablishmentLink.objects.get(urn=100016, linked_urn=132245).established_date is None


def test_a_changed_link_is_updated_in_place(tmp_path):
    import_file("gias_links", FIXTURES / "crafted" / "links_bad_rows.csv")
    changed = tmp_path / "links.csv"
    changed.write_text(
        '"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"\r\n'
        '"100006","134643","CCfL Key Stage 3 Pupil Referral Unit","Predecessor - merged","01-01-2022"\r\n',
        encoding="cp1252",
    )

    report = import_file("gias_links", changed)

    assert report.updated == 1
    link = EstablishmentLink.objects.get(urn=100006, linked_urn=134643, link_type="Predecessor - merged")
    assert link.linked_name == "CCfL Key Stage 3 Pupil Referral Unit"
    assert link.history.count() == 2


def test_bad_link_rows_are_reported_and_the_others_imported():
    report = import_file("gias_links", FIXTURES / "crafted" / "links_bad_rows.csv")

    assert (report.created, report.rejected) == (2, 3)
    assert {error.row: error.reason for error in report.errors} == {
        3: "LinkURN “NaN” is not a number.",
        4: "LinkEstablishedDate “2021/31/08” is not a date like 30-09-2024 or 30/09/2024.",
        6: "The link “Predecessor - merged” from URN 100006 to URN 134643 already appears in row 2.",
    }


def test_an_establishment_extract_is_not_a_links_file():
    report = import_file("gias_links", FIXTURES / "gias" / "edubase_sample_2018_header.csv")

    assert report.refused == "The file is not a GIAS links file: it has no columns “LinkURN” and “LinkType”."
    assert EstablishmentLink.objects.count() == 0
