"""Spreadsheets: CSV files the service writes and reads.

Written cells are *formula-safe*: a spreadsheet runs a cell starting ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return before one) as a formula, so such text gains a leading quote
(OWASP's advice on CSV injection). Files are streamed a row at a time (``csv_response``), so an
export of many rows holds none of them in memory. Reading (``read_csv``) gives each row as a dict
of the columns asked for, by their headings, with clear errors for a file that is not a CSV, is
empty or lacks a column.

Foundation code: it knows nothing of the apps, so every app can use it.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "text/csv; charset=utf-8"
# Sniffed as not text: a CSV has none of these bytes.
BINARY_BYTES = frozenset(range(0, 9)) | {11, 12} | frozenset(range(14, 32))


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula: text starting = + - @ (or a tab or carriage
    return) gains a quote. None is an empty cell; dates are ISO dates (2026-04-01)."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class Echo:
    """A file-like object whose write returns the line, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one line of CSV, every cell made formula-safe."""
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """A download of ``rows`` (the first one the headings), streamed as it is written."""
    response = StreamingHttpResponse(csv_lines(rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def filename_part(text: str) -> str:
    """Text safe in a file name: letters, digits and hyphens ("Norfolk County Council" →
    "norfolk-county-council")."""
    words = "".join(c.lower() if c.isalnum() else " " for c in text).split()
    return "-".join(words) or "file"


# --- reading -------------------------------------------------------------------------------------


class SpreadsheetError(ValueError):
    """The file cannot be read as the CSV asked for; the message says why, for the person."""


@dataclass(frozen=True)
class CsvRow:
    number: int  # the row's line in the file, counting the headings as row 1
    values: dict[str, str]


def _heading(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").strip().lower().split())


def read_csv(data: bytes, columns: dict[str, tuple[str, ...]]) -> list[CsvRow]:
    """The rows of a CSV file as dicts keyed by ``columns``' names. ``columns`` maps each name to
    the headings accepted for it (compared without case or extra spaces). Blank rows are skipped.

    Raises ``SpreadsheetError`` for a file that is not text, not CSV, has no rows, or lacks a
    column."""
    if not data.strip():
        raise SpreadsheetError("The selected file is empty")
    if any(byte in BINARY_BYTES for byte in data[:4096]):
        raise SpreadsheetError("The selected file must be a CSV file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise SpreadsheetError("The selected file must be a CSV file") from error
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise SpreadsheetError(f"The selected file could not be read as a CSV file: {error}") from error
    headings = [_heading(h) for h in lines[0]] if lines else []
    positions = {}
    for name, accepted in columns.items():
        found = next((i for i, h in enumerate(headings) if h in {_heading(a) for a in accepted}), None)
        if found is None:
            raise SpreadsheetError(f"The selected file must have a column headed ‘{accepted[0]}’")
        positions[name] = found
    rows = [
        CsvRow(number, {name: (cells[i].strip() if i < len(cells) else "") for name, i in positions.items()})
        for number, cells in enumerate(lines[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise SpreadsheetError("The selected file has no rows below its headings")
    return rows
