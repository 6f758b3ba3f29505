"""What the three import commands share: run, record and print an import of one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ..models import ImportRun

ERRORS_SHOWN = 20


class ImportCommand(BaseCommand):
    kind: ClassVar[str]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Path of the CSV file, as published.")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        from ..services import perform_import_run

        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        run = ImportRun.objects.create(kind=self.kind, original_filename=file.name[:255])
        report = perform_import_run(run, file)
        if report is None or not report.succeeded:
            raise CommandError(f"{run.message} Nothing was imported (import run #{run.pk}).")
        self.stdout.write(f"Import run #{run.pk}: {report.summary()}")
        for error in report.errors[:ERRORS_SHOWN]:
            self.stdout.write(f"  Row {error.row}: {error.reason}")
        if report.rejected > ERRORS_SHOWN:
            self.stdout.write(f"  … and {report.rejected - ERRORS_SHOWN} more rejected rows.")
        style = self.style.WARNING if report.rejected else self.style.SUCCESS
        self.stdout.write(style("Done, with rejected rows." if report.rejected else "Done."))
