"""Load outward-code centroids, used to place a postcode typed by a user on the map grid."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from schools.models import OutwardCode

DEFAULT_OUTCODES_FILE = Path(__file__).resolve().parents[2] / "data" / "outcodes.csv"
REQUIRED_COLUMNS = ("postcode", "eastings", "northings")
CODE_MAX_LENGTH = OutwardCode._meta.get_field("code").max_length
TOWN_MAX_LENGTH = OutwardCode._meta.get_field("town").max_length
REGION_MAX_LENGTH = OutwardCode._meta.get_field("region").max_length


@dataclass
class OutcodeLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)


def _parse_row(row: dict[str, str]) -> OutwardCode:
    """Build an unsaved OutwardCode from a CSV row, or raise ValueError saying what is wrong."""
    code = (row.get("postcode") or "").strip().upper()
    if not code:
        raise ValueError("no outward code")
    if len(code) > CODE_MAX_LENGTH or not code.isalnum():
        raise ValueError(f"'{code}' is not an outward code")
    coordinates = []
    for column in ("eastings", "northings"):
        value = (row.get(column) or "").strip()
        try:
            number = int(float(value))
        except ValueError:
            raise ValueError(f"{column} '{value}' is not a number") from None
        if number < 0:
            raise ValueError(f"{column} '{value}' is off the British National Grid")
        coordinates.append(number)
    return OutwardCode(
        code=code,
        easting=coordinates[0],
        northing=coordinates[1],
        town=(row.get("town") or "").strip()[:TOWN_MAX_LENGTH],
        region=(row.get("region") or "").strip()[:REGION_MAX_LENGTH],
    )


def _read_outcodes(path: Path, result: OutcodeLoadResult) -> dict[str, OutwardCode]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
    with handle:
        try:
            return _parse_rows(csv.DictReader(handle), path, result)
        except (UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"{path.name} is not a UTF-8 CSV file: {error}.") from None


def _parse_rows(reader: csv.DictReader, path: Path, result: OutcodeLoadResult) -> dict[str, OutwardCode]:
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CommandError(f"{path.name} has no column {', '.join(missing)}: is it an outcodes file?")
    parsed: dict[str, OutwardCode] = {}
    for line_number, row in enumerate(reader, start=2):
        try:
            outcode = _parse_row(row)
        except ValueError as error:
            result.rejected.append(f"line {line_number}: {error}")
            continue
        parsed[outcode.code] = outcode
    return parsed


FIELDS = ("easting", "northing", "town", "region")


@transaction.atomic
def load_outcodes(path: Path) -> OutcodeLoadResult:
    """Create or update an OutwardCode per valid row; rows already up to date are not written."""
    result = OutcodeLoadResult()
    parsed = _read_outcodes(path, result)
    existing = OutwardCode.objects.in_bulk(list(parsed))
    to_create, to_update = [], []
    for code, outcode in parsed.items():
        current = existing.get(code)
        if current is None:
            to_create.append(outcode)
        elif any(getattr(current, f) != getattr(outcode, f) for f in FIELDS):
            to_update.append(outcode)
        else:
            result.unchanged += 1
    OutwardCode.objects.bulk_create(to_create, batch_size=500)
    OutwardCode.objects.bulk_update(to_update, FIELDS, batch_size=500)
    result.created, result.updated = len(to_create), len(to_update)
    return result


class Command(BaseCommand):
    help = (
        "Load outward-code centroids (e.g. NR2 -> easting, northing) from a CSV file with the columns "
        "postcode, eastings, northings, town and region. Without FILE, loads the public CC0 file "
        "shipped in schools/data/outcodes.csv. Safe to run again: existing codes are updated only "
        "when they changed. Rows that cannot be read are listed and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", type=Path, default=DEFAULT_OUTCODES_FILE,
            help="Outcodes CSV file (default: the file shipped with the project).",
        )

    def handle(self, *args, file: Path, **options) -> None:
        result = load_outcodes(file)
        if options["verbosity"] >= 1:
            for problem in result.rejected:
                self.stderr.write(f"Skipped {problem}")
        self.stdout.write(
            f"Outward codes: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {len(result.rejected)} rejected."
        )
