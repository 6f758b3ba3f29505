"""The GIAS establishment extract: one row per establishment, keyed by URN.

Creates or updates schools, and the local authorities, trusts and dioceses they name. An older
extract that still carries ``OfstedRating (name)`` and ``OfstedLastInsp`` also gives each school
its latest graded inspection (source GIAS), unless the Ofsted file already recorded it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..choices import (
    GRADE_BY_WORDS,
    GRADED_SCALE,
    PHASE_BY_GIAS_NAME,
    STATUS_BY_GIAS_NAME,
    Framework,
    Grade,
    InspectionSource,
    JudgementArea,
)
from ..models import Diocese, LocalAuthority, School, Trust
from .base import CsvRow, Importer, RowRejected, changed_fields
from .inspections import (
    CREATED,
    UNCHANGED,
    UPDATED,
    InspectionRecord,
    InspectionWriter,
    refresh_latest_inspections,
)
from .parsing import (
    fit,
    is_ascii_digits,
    is_blank,
    largest_value,
    parse_date,
    parse_percentage,
    parse_urn,
    parse_whole_number,
)

GIAS_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y")

# School field <- GIAS column, for plain text values.
TEXT_COLUMNS = {
    "name": "EstablishmentName",
    "establishment_number": "EstablishmentNumber",
    "type_code": "TypeOfEstablishment (code)",
    "type_name": "TypeOfEstablishment (name)",
    "type_group": "EstablishmentTypeGroup (name)",
    "gender": "Gender (name)",
    "religious_character": "ReligiousCharacter (name)",
    "street": "Street",
    "locality": "Locality",
    "address3": "Address3",
    "town": "Town",
    "county": "County (name)",
    "postcode": "Postcode",
    "website": "SchoolWebsite",
    "telephone": "TelephoneNum",
    "head_title": "HeadTitle (name)",
    "head_first_name": "HeadFirstName",
    "head_last_name": "HeadLastName",
    "head_job_title": "HeadPreferredJobTitle",
    "region": "GOR (name)",
    "ukprn": "UKPRN",
}
WHOLE_NUMBER_COLUMNS = {
    "statutory_low_age": "StatutoryLowAge",
    "statutory_high_age": "StatutoryHighAge",
    "number_of_pupils": "NumberOfPupils",
    "school_capacity": "SchoolCapacity",
    "easting": "Easting",
    "northing": "Northing",
}
DATE_COLUMNS = {"open_date": "OpenDate", "close_date": "CloseDate", "gias_last_changed": "LastChangedDate"}
# Values GIAS uses for "none" in otherwise meaningful text columns.
TEXT_MEANING_NONE = {"does not apply", "not applicable", "no data", "null"}
NO_DIOCESE_CODES = {"", "0", "0000"}
CATEGORY_OF_CONCERN_RATINGS = {"serious weaknesses", "special measures"}


@dataclass
class Organisation:
    code: str
    name: str


@dataclass
class SchoolRecord:
    urn: int
    values: dict[str, Any]
    local_authority: Organisation
    region: str = ""
    trust: Organisation | None = None
    diocese: Organisation | None = None
    inspection: InspectionRecord | None = None
    # "trust", "diocese": set when the file has their columns; otherwise existing links stay.
    manages: set[str] = field(default_factory=set)


class GiasImporter(Importer):
    kind = "gias"
    description = "a GIAS establishment extract"
    required_columns = (
        "URN", "EstablishmentName", "LA (code)", "LA (name)",
        "EstablishmentStatus (name)", "PhaseOfEducation (name)",
    )

    def start(self, columns: list[str]) -> None:
        super().start(columns)
        self.organisations = _OrganisationCache(self.history_options())
        self.inspection_writer = InspectionWriter(
            self.history_options(), keep_sources=[InspectionSource.OFSTED_MI, InspectionSource.MANUAL]
        )
        self.carries_rating = self._has("OfstedRating (name)") and self._has("OfstedLastInsp")
        self.has_trusts = self._has("Trusts (code)")
        self.has_dioceses = self._has("Diocese (code)")
        self.touched_urns: set[int] = set()

    def _has(self, column: str) -> bool:
        return column.lower() in self.columns

    def key(self, record: SchoolRecord) -> int:
        return record.urn

    def parse(self, row: CsvRow) -> SchoolRecord:
        urn = parse_urn(row.get("urn"))
        values: dict[str, Any] = {}
        if not row.get("establishmentname"):
            raise RowRejected("EstablishmentName is empty.")
        for field_name, column in TEXT_COLUMNS.items():
            if self._has(column):
                text = row.get(column.lower())
                text = "" if text.lower() in TEXT_MEANING_NONE else text
                values[field_name] = fit(School, field_name, text, column)
        for field_name, column in WHOLE_NUMBER_COLUMNS.items():
            if self._has(column):
                values[field_name] = parse_whole_number(
                    row.get(column.lower()), column, largest_value(School, field_name)
                )
        for field_name, column in DATE_COLUMNS.items():
            if self._has(column):
                values[field_name] = parse_date(row.get(column.lower()), column, GIAS_DATE_FORMATS)
        if self._has("PercentageFSM"):
            values["percentage_fsm"] = parse_percentage(row.get("percentagefsm"), "PercentageFSM")
        values["phase"] = _lookup(PHASE_BY_GIAS_NAME, row, "PhaseOfEducation (name)")
        values["status"] = _lookup(STATUS_BY_GIAS_NAME, row, "EstablishmentStatus (name)")
        return SchoolRecord(
            urn=urn,
            values=values,
            local_authority=self._local_authority(row),
            region=row.get("gor (name)"),
            trust=self._optional_organisation(row, "Trusts", Trust) if self.has_trusts else None,
            diocese=self._optional_organisation(row, "Diocese", Diocese) if self.has_dioceses else None,
            inspection=self._rated_inspection(row) if self.carries_rating else None,
            manages={name for name, present in (("trust", self.has_trusts), ("diocese", self.has_dioceses))
                     if present},
        )

    @staticmethod
    def _local_authority(row: CsvRow) -> Organisation:
        code, name = row.get("la (code)"), row.get("la (name)")
        if not is_ascii_digits(code) or len(code) > 3:
            raise RowRejected(f"LA (code) “{code}” is not a three-digit local authority code.")
        if not name:
            raise RowRejected("LA (name) is empty.")
        return Organisation(code.zfill(3), fit(LocalAuthority, "name", name, "LA (name)"))

    @staticmethod
    def _optional_organisation(row: CsvRow, prefix: str, model: type) -> Organisation | None:
        code = row.get(f"{prefix} (code)".lower())
        name = row.get(f"{prefix} (name)".lower())
        if code in NO_DIOCESE_CODES or name.lower() in TEXT_MEANING_NONE:
            return None
        return Organisation(
            fit(model, "code", code, f"{prefix} (code)"),
            fit(model, "name", name or code, f"{prefix} (name)"),
        )

    @staticmethod
    def _rated_inspection(row: CsvRow) -> InspectionRecord | None:
        rating = row.get("ofstedrating (name)")
        inspected_on = parse_date(row.get("ofstedlastinsp"), "OfstedLastInsp", GIAS_DATE_FORMATS)
        if is_blank(rating) or rating.lower() in TEXT_MEANING_NONE or inspected_on is None:
            return None
        grade = GRADE_BY_WORDS.get(rating.lower())
        if grade not in (*GRADED_SCALE, Grade.SATISFACTORY):
            raise RowRejected(f"OfstedRating (name) “{rating}” is not an Ofsted grade.")
        concern = rating.capitalize() if rating.lower() in CATEGORY_OF_CONCERN_RATINGS else ""
        return InspectionRecord(
            framework=Framework.GRADED, start_date=inspected_on, source=InspectionSource.GIAS,
            inspection_type="Graded inspection (from GIAS)", category_of_concern=concern,
            grades={JudgementArea.OVERALL_EFFECTIVENESS: grade},
        )

    def write_batch(self, records: list[SchoolRecord]) -> None:
        self.organisations.prepare(records)
        existing = School.objects.in_bulk([r.urn for r in records])
        to_create, to_update, update_fields, outcomes = [], [], set(), {}
        for record in records:
            values = {**record.values, **self.organisations.foreign_keys(record)}
            school = existing.get(record.urn)
            if school is None:
                to_create.append(School(urn=record.urn, **values))
                outcomes[record.urn] = CREATED
            elif changed := changed_fields(school, values):
                to_update.append(school)
                update_fields.update(changed)
                outcomes[record.urn] = UPDATED
        if to_create:
            bulk_create_with_history(to_create, School, **self.history_options())
        if to_update:
            now = timezone.now()  # bulk_update skips auto_now: only the rows that changed are updated
            for school in to_update:
                school.updated_at = now
            fields = sorted(update_fields | {"updated_at"})
            bulk_update_with_history(to_update, School, fields, **self.history_options())
        inspections = {r.urn: [r.inspection] for r in records if r.inspection}
        for urn, outcome in self.inspection_writer.write(inspections).items():
            if outcome != UNCHANGED:
                # A school that gained or changed an inspection counts as updated.
                outcomes.setdefault(urn, UPDATED)
        self.touched_urns.update(inspections)
        for record in records:
            self.report.tally(outcomes.get(record.urn, UNCHANGED))

    def finish(self) -> None:
        refresh_latest_inspections(self.touched_urns)


def _lookup(mapping: dict[str, Any], row: CsvRow, column: str) -> Any:
    value = row.get(column.lower())
    try:
        return mapping[value.lower()]
    except KeyError:
        raise RowRejected(f"{column} “{value}” is not a value GIAS publishes.") from None


class _OrganisationCache:
    """Local authorities, trusts and dioceses by code, upserted once per import.

    The first name (and region) a file gives for a code is the one kept for the whole import, so
    that a file naming one code two ways does not flip it back and forth.
    """

    def __init__(self, history_options: dict[str, Any]):
        self.history_options = history_options
        self.by_model: dict[type, dict[str, Any]] = {LocalAuthority: {}, Trust: {}, Diocese: {}}

    def prepare(self, records: list[SchoolRecord]) -> None:
        wanted: dict[type, dict[str, dict[str, str]]] = {LocalAuthority: {}, Trust: {}, Diocese: {}}
        for record in records:
            la = record.local_authority
            wanted[LocalAuthority].setdefault(la.code, {"name": la.name, "region": record.region})
            if record.trust:
                wanted[Trust].setdefault(record.trust.code, {"name": record.trust.name})
            if record.diocese:
                wanted[Diocese].setdefault(record.diocese.code, {"name": record.diocese.name})
        for model, values_by_code in wanted.items():
            self._upsert(model, values_by_code)

    def _upsert(self, model: type, values_by_code: dict[str, dict[str, str]]) -> None:
        known = self.by_model[model]
        new_codes = [code for code in values_by_code if code not in known]
        if not new_codes:
            return
        existing = {obj.code: obj for obj in model.objects.filter(code__in=new_codes)}
        to_create, to_update, update_fields = [], [], set()
        for code in new_codes:
            values = {k: v for k, v in values_by_code[code].items() if v or k == "name"}
            obj = existing.get(code)
            if obj is None:
                obj = model(code=code, **values)
                to_create.append(obj)
            elif changed := changed_fields(obj, values):
                to_update.append(obj)
                update_fields.update(changed)
            known[code] = obj
        if to_create:
            created = bulk_create_with_history(to_create, model, **self.history_options)
            known.update({obj.code: obj for obj in created})
        if to_update:
            bulk_update_with_history(to_update, model, sorted(update_fields), **self.history_options)

    def foreign_keys(self, record: SchoolRecord) -> dict[str, Any]:
        keys: dict[str, Any] = {
            "local_authority_id": self.by_model[LocalAuthority][record.local_authority.code].pk,
        }
        if "trust" in record.manages:
            keys["trust_id"] = self.by_model[Trust][record.trust.code].pk if record.trust else None
        if "diocese" in record.manages:
            keys["diocese_id"] = self.by_model[Diocese][record.diocese.code].pk if record.diocese else None
        return keys
