"""The import benchmark's extract is one the importer reads as published."""

from io import StringIO

import pytest
from django.core.management import call_command

from bench.generate import write_gias_extract
from schools.choices import SchoolStatus
from schools.models import ImportRun, School
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db


def test_the_extract_imports_without_rejected_rows_and_keeps_closed_schools_closed(tmp_path):
    SchoolFactory.create_batch(5)
    closed = SchoolFactory(status=SchoolStatus.CLOSED)
    path = tmp_path / "extract.csv"

    written = write_gias_extract(path, 6)
    call_command("import_gias", str(path), stdout=StringIO())

    run = ImportRun.objects.get()
    assert written == run.rows_read == 6
    assert (run.created, run.rejected) == (0, 0)
    assert run.updated > 0
    assert School.objects.get(pk=closed.pk).status == SchoolStatus.CLOSED
