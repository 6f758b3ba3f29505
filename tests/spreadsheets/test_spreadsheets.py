"""Formula-safe cells, streamed CSV downloads, and reading an uploaded CSV by its headings."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from spreadsheets import SpreadsheetError, csv_response, filename_part, read_csv, safe_cell

COLUMNS = {"reference": ("Claim reference", "Reference"), "amount": ("Amount",)}


@pytest.mark.parametrize("value", ["=1+1", "+44 1603", "-2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")'])
def test_text_a_spreadsheet_would_run_gains_a_quote(value):
    assert safe_cell(value) == f"'{value}"


@pytest.mark.parametrize(
    ("value", "cell"),
    [("plain", "plain"), (None, ""), (12, "12"), (datetime.date(2027, 3, 31), "2027-03-31"), ("a=b", "a=b")],
)
def test_other_values_are_written_as_they_are(value, cell):
    assert safe_cell(value) == cell


def test_a_csv_response_streams_safe_rows_as_an_attachment():
    response = csv_response(iter([["Name", "Amount"], ["=cmd|' /C calc'!A0", "1.00"]]), "claims-x.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="claims-x.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [["Name", "Amount"], ["'=cmd|' /C calc'!A0", "1.00"]]


def test_a_file_name_part_keeps_letters_and_digits():
    assert filename_part("Norfolk County Council") == "norfolk-county-council"
    assert filename_part('St Mary\'s (C of E) / "x"') == "st-mary-s-c-of-e-x"
    assert filename_part("***") == "file"


def test_rows_are_read_by_their_headings_in_any_order_and_case():
    data = "\ufeffamount , CLAIM  reference\r\n12.00,CL-1\r\n,\r\n3, CL-2 \n".encode()
    rows = read_csv(data, COLUMNS)
    assert [(r.number, r.values) for r in rows] == [
        (2, {"reference": "CL-1", "amount": "12.00"}),
        (4, {"reference": "CL-2", "amount": "3"}),
    ]


def test_a_short_row_reads_its_missing_cells_as_empty():
    [row] = read_csv(b"Reference,Amount\nCL-1\n", COLUMNS)
    assert row.values == {"reference": "CL-1", "amount": ""}


def test_a_file_in_windows_1252_is_read():
    [row] = read_csv("Reference,Amount\nCL-1,£3\n".encode("cp1252"), COLUMNS)
    assert row.values["amount"] == "£3"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The selected file is empty"),
        (b" \r\n ", "The selected file is empty"),
        (b"PK\x03\x04\x00\x00binary", "The selected file must be a CSV file"),
        (b"Reference\nCL-1\n", "The selected file must have a column headed \u2018Amount\u2019"),
        (b"Reference,Amount\n", "The selected file has no rows below its headings"),
        (b"Reference,Amount\n,\n", "The selected file has no rows below its headings"),
    ],
)
def test_a_file_that_is_not_the_csv_asked_for_is_refused_with_the_reason(data, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_csv(data, COLUMNS)
