"""What every importer shares: reading a published CSV as a stream, batching, and the report.

Published files are Windows-1252 (GIAS, Ofsted) but copies saved by spreadsheet tools are often
UTF-8, with or without a byte-order mark, so bytes are decoded as UTF-8 and any sequence that is
not valid UTF-8 is read as Windows-1252. Rows are read one at a time and handled in batches, so a
national extract never sits in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar

from django.db import models

BATCH_SIZE = 500
MAX_STORED_ERRORS = 1000
BINARY_SNIFF_BYTES = 8192

ProgressCallback = Callable[[int], None]


class ImportRefused(Exception):
    """The file as a whole is not what the importer expects: nothing is written."""


class RowRejected(Exception):
    """One row cannot be imported; the others carry on."""


def _utf8_or_cp1252(error: UnicodeDecodeError) -> tuple[str, int]:
    bad_bytes = error.object[error.start:error.end]
    return bad_bytes.decode("cp1252", errors="replace"), error.end


codecs.register_error("syslead_utf8_or_cp1252", _utf8_or_cp1252)


def normalise_column(name: str) -> str:
    """Column names compared without case, surrounding spaces or doubled inner spaces."""
    return " ".join(name.replace("\ufeff", "").split()).lower()


@dataclass
class RowError:
    row: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "reason": self.reason}


@dataclass
class ImportReport:
    kind: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    refused: str = ""

    @property
    def succeeded(self) -> bool:
        return not self.refused

    def reject(self, row: int, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(RowError(row, reason))

    def tally(self, outcome: str) -> None:
        """Count one accepted row by its outcome: 'created', 'updated' or 'unchanged'."""
        if outcome not in ("created", "updated", "unchanged"):
            raise ValueError(f"Unknown import outcome {outcome!r}")
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        if self.refused:
            return f"File refused: {self.refused}"
        return (
            f"{self.rows_read} rows read: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected."
        )


@dataclass
class CsvRow:
    number: int
    values: dict[str, str]
    problem: str = ""  # why the row could not be read as a row, whatever the importer

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def has(self, column: str) -> bool:
        return column in self.values


class CsvSource:
    """A published CSV read row by row; header row is row 1, the first data row is row 2."""

    def __init__(self, path_or_fileobj: str | Path | IO[bytes]):
        self._source = path_or_fileobj
        self.header: list[str] = []
        self.columns: list[str] = []

    def rows(self, on_header: Callable[[list[str]], None]) -> Iterator[CsvRow]:
        with self._open_binary() as binary:
            head = binary.read(BINARY_SNIFF_BYTES)
            self._refuse_unreadable(head)
            text = io.TextIOWrapper(
                _Prepended(head, _RefusingBinary(binary)),
                encoding="utf-8-sig", errors="syslead_utf8_or_cp1252", newline="",
            )
            reader = csv.reader(text)
            try:
                header = next(reader, None)
                if not header or not any(cell.strip() for cell in header):
                    raise ImportRefused("The file is empty: it has no header row.")
                self.header = [" ".join(cell.replace("\ufeff", "").split()) for cell in header]
                self.columns = [normalise_column(cell) for cell in header]
                on_header(self.columns)
                yield from self._data_rows(reader)
            except csv.Error as error:
                raise ImportRefused(
                    f"The file is not valid CSV (near line {reader.line_num}): {error}."
                ) from error

    def _data_rows(self, reader: Any) -> Iterator[CsvRow]:
        # Rows are numbered by the line they start on, so the rows after an unclosed quote keep
        # their line numbers in the file. Published files have no line breaks inside a cell: one
        # there is a quote left open, which swallowed the lines up to the next quote.
        # Rows are matched to the header by position; GIAS rows taken from a later extract carry
        # extra trailing values, which are unknown columns and ignored like them.
        while True:
            number = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                return
            if not any(cell.strip() for cell in cells):
                continue
            if reader.line_num > number:
                yield from self._unclosed_quote(number, reader.line_num, cells)
                continue
            values: dict[str, str] = {}
            for column, cell in zip(self.columns, cells, strict=False):
                values.setdefault(column, cell)
            yield CsvRow(number, values)

    def _unclosed_quote(self, first: int, last: int, cells: list[str]) -> Iterator[CsvRow]:
        position = next(i for i, cell in enumerate(cells) if "\n" in cell or "\r" in cell)
        column = self.header[position] if position < len(self.header) else f"column {position + 1}"
        swallowed = f"row {last} was" if last == first + 1 else f"rows {first + 1} to {last} were"
        yield CsvRow(first, {}, problem=(
            f"The quote that opens {column} is not closed, so {swallowed} read into this row."
        ))
        for number in range(first + 1, last + 1):
            yield CsvRow(number, {}, problem=f"This row was read into the unclosed quote in row {first}.")

    def _open_binary(self) -> IO[bytes]:
        if isinstance(self._source, str | Path):
            return open(self._source, "rb")  # noqa: SIM115 - closed by the caller's with
        self._source.seek(0)
        return _Unclosable(self._source)

    @staticmethod
    def _refuse_unreadable(head: bytes) -> None:
        if not head.strip(b"\xef\xbb\xbf \t\r\n"):
            raise ImportRefused("The file is empty.")
        if _looks_like_utf16(head):
            raise ImportRefused(
                "The file is UTF-16 text, which is not read: save it as CSV in UTF-8 or Windows-1252"
                " and import that."
            )
        if b"\x00" in head:
            raise ImportRefused("The file is not a CSV text file (it starts with binary data).")


def _looks_like_utf16(head: bytes) -> bool:
    """A UTF-16 byte-order mark, or (without one) text whose every other byte is nearly all zero."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    pairs = len(head) // 2
    if pairs < 2:
        return False
    return any(head[start::2][:pairs].count(0) >= pairs * 0.9 for start in (0, 1))


class _Prepended(io.RawIOBase):
    """The already-sniffed first bytes followed by the rest of the stream."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _RefusingBinary(io.RawIOBase):
    """Refuses the file as soon as binary data turns up, however far into it."""

    def __init__(self, stream: IO[bytes]):
        self._stream = stream
        self._offset = BINARY_SNIFF_BYTES

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if b"\x00" in data:
            position = self._offset + data.index(0)
            raise ImportRefused(f"The file is not a CSV text file (binary data at byte {position}).")
        self._offset += len(data)
        return data


class _Unclosable(io.RawIOBase):
    """A caller's file object used in a ``with`` without being closed by it."""

    def __init__(self, fileobj: IO[bytes]):
        self._fileobj = fileobj

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._fileobj.read(size)

    def readinto(self, buffer: Any) -> int:
        data = self._fileobj.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        """Leave the caller's file open."""


class Importer(ABC):
    """Reads rows, parses each into a record, and writes records in batches.

    Subclasses set ``kind`` and ``required_columns`` and implement ``parse`` (one row to a record
    or RowRejected) and ``write_batch`` (records to the database, counting into the report).
    """

    kind: ClassVar[str]
    description: ClassVar[str]
    required_columns: ClassVar[tuple[str, ...]]

    def __init__(
        self, *, user: Any = None, change_reason: str = "", progress: ProgressCallback | None = None
    ):
        self.user = user
        self.change_reason = change_reason
        self.progress = progress
        self.report = ImportReport(kind=self.kind)
        self.columns: set[str] = set()
        self._seen_keys: dict[Any, int] = {}

    def run(self, source: CsvSource) -> ImportReport:
        batch: list[Any] = []
        for row in source.rows(on_header=self.start):
            self.report.rows_read += 1
            record = self._parse_or_reject(row)
            if record is not None:
                batch.append(record)
            if len(batch) >= BATCH_SIZE:
                self._flush(batch)
                batch = []
        self._flush(batch)
        self.finish()
        return self.report

    def start(self, columns: list[str]) -> None:
        """Check the header; called once, before the first row is parsed."""
        self.columns = set(columns)
        missing = [name for name in self.required_columns if normalise_column(name) not in self.columns]
        if missing:
            raise ImportRefused(f"The file is not {self.description}: {describe_missing(missing)}.")

    def finish(self) -> None:  # noqa: B027 - an optional hook: most importers need nothing here
        """Work that needs every row written (e.g. each school's latest inspection)."""

    @abstractmethod
    def parse(self, row: CsvRow) -> Any:
        """The row as a record ready to write, or RowRejected with the reason."""

    @abstractmethod
    def key(self, record: Any) -> Any:
        """What makes a record unique within one file (usually its URN)."""

    @abstractmethod
    def write_batch(self, records: list[Any]) -> None:
        """Upsert a batch of parsed records, counting each in the report."""

    def _parse_or_reject(self, row: CsvRow) -> Any:
        try:
            if row.problem:
                raise RowRejected(row.problem)
            record = self.parse(row)
            key = self.key(record)
            if key in self._seen_keys:
                raise RowRejected(f"{self.describe_key(key)} already appears in row {self._seen_keys[key]}.")
            self._seen_keys[key] = row.number
            return record
        except RowRejected as rejection:
            self.report.reject(row.number, str(rejection))
            return None

    @property
    def accepted_urns(self) -> list[int]:
        """The URNs of the rows that were accepted (empty for files not keyed by URN)."""
        return [key for key in self._seen_keys if isinstance(key, int)]

    def describe_key(self, key: Any) -> str:
        return f"URN {key}"

    def _flush(self, batch: list[Any]) -> None:
        if batch:
            self.write_batch(batch)
        if self.progress:
            self.progress(self.report.rows_read)

    def history_options(self) -> dict[str, Any]:
        return {"default_user": self.user, "default_change_reason": self.change_reason[:100] or None}


def describe_missing(columns: list[str]) -> str:
    quoted = [f"“{name}”" for name in columns]
    if len(quoted) == 1:
        return f"it has no column {quoted[0]}"
    return f"it has no columns {', '.join(quoted[:-1])} and {quoted[-1]}"


def changed_fields(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """The names of the fields whose values differ, after setting them on the instance."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
