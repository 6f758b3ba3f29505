"""England-scale data for the benchmarks, built from the public open-schools and outcodes files.

Every open school in England whose outward code is known becomes a School with its local
authority (one per county or unitary area of the outcodes file), coordinates, synthesised
phase, type, trust, diocese and inspections: the same synthesis as the demo data, so the same
on every run. Rows are written in bulk (no history), as a national import would leave them.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from schools.choices import InspectionSource
from schools.demo import read_source_schools, religious_character, synthesise_inspections, synthesise_school
from schools.management.commands.load_outcodes import DEFAULT_OUTCODES_FILE, load_outcodes
from schools.models import Diocese, Inspection, Judgement, LocalAuthority, OutwardCode, School, Trust

BATCH_SIZE = 2000
TRUST_COUNT = 1200
HEADER_FILE = Path(__file__).resolve().parent / "gias_header_2025.txt"


@dataclass(frozen=True)
class Area:
    """Where an outward code is: its county or unitary area and its English region."""

    authority: str
    region: str


def english_areas(path: Path = DEFAULT_OUTCODES_FILE) -> dict[str, Area]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["postcode"]: Area(row["region"], row["uk_region"])
            for row in csv.DictReader(handle)
            if row["country"] == "ENG" and row["region"]
        }


def _authorities(areas: dict[str, Area]) -> dict[str, LocalAuthority]:
    names = sorted({(a.authority, a.region) for a in areas.values()})
    LocalAuthority.objects.bulk_create(
        [LocalAuthority(code=f"{100 + index:03d}", name=name, region=region)
         for index, (name, region) in enumerate(names)],
        ignore_conflicts=True,
    )
    return {la.name: la for la in LocalAuthority.objects.all()}


def _trusts_and_dioceses() -> tuple[list[Trust], dict[str, Diocese]]:
    Trust.objects.bulk_create(
        [Trust(code=f"B{n:05d}", name=f"Bench Learning Trust {n}") for n in range(1, TRUST_COUNT + 1)],
        ignore_conflicts=True,
    )
    Diocese.objects.bulk_create(
        [
            Diocese(code="BCE", name="Bench Anglican Diocese"),
            Diocese(code="BRC", name="Bench Catholic Diocese"),
        ],
        ignore_conflicts=True,
    )
    dioceses = {"CofE": Diocese.objects.get(code="BCE"), "Catholic": Diocese.objects.get(code="BRC")}
    return list(Trust.objects.order_by("code")), dioceses


def _build_schools(limit: int) -> list[School]:
    areas = english_areas()
    authorities = _authorities(areas)
    trusts, dioceses = _trusts_and_dioceses()
    outcodes = OutwardCode.objects.in_bulk()
    schools = []
    for source in read_source_schools():
        area = areas.get(source.outward_code)
        if area is None or source.outward_code not in outcodes:
            continue
        school = synthesise_school(
            source, local_authority=authorities[area.authority], outcode=outcodes[source.outward_code],
            region=area.region,
        )
        if school.type_group == "Academies":
            school.trust = trusts[school.urn % len(trusts)]
        school.diocese = dioceses.get(religious_character(school.name))
        schools.append(school)
        if len(schools) == limit:
            break
    return schools


def _save_inspections(schools: list[School]) -> int:
    latest: dict[int, Inspection] = {}
    inspections, grades = [], []
    for school in schools:
        for synthesised in synthesise_inspections(school.urn, school.phase):
            inspection = Inspection(
                school=school, framework=synthesised.framework, start_date=synthesised.start_date,
                end_date=synthesised.start_date + datetime.timedelta(days=1),
                publication_date=synthesised.publication_date, source=InspectionSource.DEMO,
            )
            inspections.append(inspection)
            grades.append(synthesised.grades)
            latest[school.urn] = inspection
    Inspection.objects.bulk_create(inspections, batch_size=BATCH_SIZE)
    Judgement.objects.bulk_create(
        [Judgement(inspection=inspection, area=area, grade=grade)
         for inspection, by_area in zip(inspections, grades, strict=True) for area, grade in by_area.items()],
        batch_size=BATCH_SIZE,
    )
    for school in schools:
        school.latest_inspection = latest[school.urn]
    School.objects.bulk_update(schools, ["latest_inspection"], batch_size=BATCH_SIZE)
    return len(inspections)


@transaction.atomic
def generate_schools(limit: int) -> tuple[int, int]:
    """Create up to ``limit`` schools with their inspections; returns (schools, inspections)."""
    load_outcodes(DEFAULT_OUTCODES_FILE)
    schools = _build_schools(limit)
    School.objects.bulk_create(schools, batch_size=BATCH_SIZE)
    return len(schools), _save_inspections(schools)


def _gias_row(school: School, columns: list[str]) -> dict[str, str]:
    values = {
        "URN": school.urn, "LA (code)": school.local_authority.code, "LA (name)": school.local_authority.name,
        "EstablishmentNumber": school.establishment_number, "EstablishmentName": school.name,
        "TypeOfEstablishment (code)": school.type_code, "TypeOfEstablishment (name)": school.type_name,
        "EstablishmentTypeGroup (name)": school.type_group, "EstablishmentStatus (code)": "1",
        "EstablishmentStatus (name)": "Open",
        "OpenDate": school.open_date.strftime("%d-%m-%Y") if school.open_date else "",
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
