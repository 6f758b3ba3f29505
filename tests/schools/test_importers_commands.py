"""The import_gias, import_gias_links and import_ofsted commands."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from schools.choices import ImportKind, ImportStatus
from schools.models import EstablishmentLink, ImportRun, School

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def run_command(name: str, path: Path) -> str:
    out = StringIO()
    call_command(name, str(path), stdout=out)
    return out.getvalue()


def test_import_gias_prints_the_counts_and_records_the_run():
    output = run_command("import_gias", FIXTURES / "gias" / "edubase_sample_cp1252.csv")

    run = ImportRun.objects.get()
    assert f"Import run #{run.pk}: 4 rows read: 4 created, 0 updated, 0 unchanged, 0 rejected." in output
    assert (run.kind, run.status, run.created) == (ImportKind.GIAS, ImportStatus.SUCCEEDED, 4)
    assert run.original_filename == "edubase_sample_cp1252.csv"
    assert School.objects.count() == 4


def test_import_gias_lists_rejected_rows_with_their_numbers():
    output = run_command("import_gias", FIXTURES / "crafted" / "gias_bad_rows.csv")

    assert "2 created, 0 updated, 0 unchanged, 7 rejected." in output
    assert "  Row 4: URN “12A45” is not a number." in output
    assert "  Row 7: OpenDate “31-02-2020” is not a date like 30-09-2024 or 30/09/2024." in output
    assert "Done, with rejected rows." in output


def test_a_refused_file_exits_with_an_error_and_imports_nothing():
    with pytest.raises(CommandError, match="not a GIAS establishment extract") as refused:
        run_command("import_gias", FIXTURES / "crafted" / "gias_wrong_columns.csv")

    assert "Nothing was imported" in str(refused.value)
    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert School.objects.count() == 0


def test_a_missing_file_exits_with_an_error():
    with pytest.raises(CommandError, match="No file at"):
        run_command("import_gias", FIXTURES / "no-such-file.csv")


def test_import_gias_links_imports_the_links_file(tmp_path):
    sample = tmp_path / "links.csv"
    lines = (FIXTURES / "gias" / "links_edubasealldata20250422.csv").read_bytes().splitlines()[:101]
    sample.write_bytes(b"\r\n".join(lines))

    output = run_command("import_gias_links", sample)

    assert "100 rows read: 100 created" in output
    assert EstablishmentLink.objects.count() == 100


def test_import_ofsted_imports_inspections_for_known_schools():
    run_command("import_gias", FIXTURES / "gias" / "edubase_sample_2018_header.csv")
    run_command("import_gias", FIXTURES / "gias" / "edubase_sample_cp1252.csv")

    output = run_command("import_ofsted", FIXTURES / "ofsted" / "ofsted_graded_2023-24.csv")

    assert "6 rows read: 4 created, 0 updated, 0 unchanged, 2 rejected." in output
    assert "  Row 7: URN 999999 is not a known school: import the GIAS extract first." in output


def test_import_ofsted_refuses_a_gias_extract():
    with pytest.raises(CommandError, match="not an Ofsted inspection outcomes file"):
        run_command("import_ofsted", FIXTURES / "gias" / "edubase_sample_2018_header.csv")


@pytest.mark.parametrize("name", ["import_gias", "import_gias_links", "import_ofsted"])
def test_every_import_command_has_a_full_help(name):
    command = load_command_class(get_commands()[name], name)

    assert len(command.help) > 200
    assert "row number" in command.help
