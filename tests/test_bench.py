"""The benchmark data: England-style schools, and a GIAS extract the importer reads as published."""

from io import StringIO

from django.core.management import call_command

from bench.generate import generate_schools, write_gias_extract
from schools.models import ImportRun, LocalAuthority, School


def test_generated_schools_are_placed_and_inspected(db):
    schools, inspections = generate_schools(60)

    assert schools == School.objects.count() == 60
    assert inspections >= schools
    assert not School.objects.filter(local_authority=None).exists()
    assert not School.objects.filter(easting=None).exists()
    assert not School.objects.filter(latest_inspection=None).exists()
    assert LocalAuthority.objects.exclude(region="").count() == LocalAuthority.objects.count()


def test_the_generated_extract_imports_without_rejected_rows(db, tmp_path):
    generate_schools(60)
    path = tmp_path / "extract.csv"

    written = write_gias_extract(path, 40)
    call_command("import_gias", str(path), stdout=StringIO())

    run = ImportRun.objects.get()
    assert written == run.rows_read == 40
    assert (run.created, run.rejected) == (0, 0)
    assert run.updated > 0
    assert School.objects.count() == 60
