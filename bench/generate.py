"""A GIAS establishment extract written from the schools in the database, for the import benchmark.

The rows carry the current GIAS column names (bench/gias_header_2025.txt) and Windows-1252, as the
download does, with a changed census count so that re-importing into the same database has real
updates to write.
"""

from __future__ import annotations

import csv
from pathlib import Path

from schools.models import School

BATCH_SIZE = 2000
HEADER_FILE = Path(__file__).resolve().parent / "gias_header_2025.txt"
GIAS_STATUS_CODES = {"open": "1", "closed": "2", "open_proposed_to_close": "4", "proposed_to_open": "3"}


def _gias_row(school: School, columns: list[str]) -> dict[str, str]:
    values = {
        "URN": school.urn, "LA (code)": school.local_authority.code, "LA (name)": school.local_authority.name,
        "EstablishmentNumber": school.establishment_number, "EstablishmentName": school.name,
        "TypeOfEstablishment (code)": school.type_code, "TypeOfEstablishment (name)": school.type_name,
        "EstablishmentTypeGroup (name)": school.type_group,
        "EstablishmentStatus (code)": GIAS_STATUS_CODES.get(school.status, ""),
        "EstablishmentStatus (name)": school.get_status_display(),
        "OpenDate": school.open_date.strftime("%d-%m-%Y") if school.open_date else "",
        "CloseDate": school.close_date.strftime("%d-%m-%Y") if school.close_date else "",
        "PhaseOfEducation (name)": school.get_phase_display(),
        "StatutoryLowAge": school.statutory_low_age, "StatutoryHighAge": school.statutory_high_age,
        "Gender (name)": school.gender, "ReligiousCharacter (name)": school.religious_character or "None",
        "Diocese (code)": school.diocese.code if school.diocese else "0000",
        "Diocese (name)": school.diocese.name if school.diocese else "Not applicable",
        "Trusts (code)": school.trust.code if school.trust else "",
        "Trusts (name)": school.trust.name if school.trust else "",
        # A changed census count, so that the import has real updates to write.
        "NumberOfPupils": (school.number_of_pupils or 0) + school.urn % 7,
        "SchoolCapacity": school.school_capacity, "Town": school.town, "Postcode": school.postcode,
        "HeadTitle (name)": school.head_title, "HeadFirstName": school.head_first_name,
        "HeadLastName": school.head_last_name, "HeadPreferredJobTitle": school.head_job_title,
        "GOR (name)": school.region, "Easting": school.easting, "Northing": school.northing,
    }
    return {column: values.get(column, "") for column in columns}


def write_gias_extract(path: Path, rows: int) -> int:
    """Write a GIAS-style extract (current column names, Windows-1252) of the first ``rows`` schools."""
    columns = [line.strip() for line in HEADER_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    schools = School.objects.select_related("local_authority", "trust", "diocese").order_by("urn")[:rows]
    written = 0
    with path.open("w", newline="", encoding="cp1252", errors="replace") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        for school in schools.iterator(chunk_size=BATCH_SIZE):
            writer.writerow(_gias_row(school, columns))
            written += 1
    return written
