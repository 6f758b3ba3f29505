"""Ofsted's state-funded schools inspections and outcomes (management information), keyed by URN.

Two layouts are recognised by their columns:

- graded (to 2025): the latest graded inspection (grades 1 to 4, 9 or empty for not applicable),
  the previous graded inspection and the latest ungraded inspection;
- report card (from November 2025): the latest report-card inspection, graded in words per
  evaluation area with safeguarding met or not met; the "most recent inspections" sheet also
  carries the latest graded inspection under the previous framework ("Latest OEIF ...") and the
  latest ungraded inspection.

Each row may give a school several inspections; a row counts as created when it added an
inspection, updated when it changed one, unchanged otherwise.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from ..choices import (
    GRADE_BY_NUMBER,
    GRADE_BY_WORDS,
    GRADED_SCALE,
    REPORT_CARD_SCALE,
    Framework,
    Grade,
    InspectionSource,
    JudgementArea,
)
from ..models import Inspection, School
from .base import CsvRow, Importer, ImportRefused, RowRejected, describe_missing, normalise_column
from .inspections import (
    UNCHANGED,
    InspectionRecord,
    InspectionWriter,
    refresh_latest_inspections,
)
from .parsing import fit, is_blank, parse_date, parse_urn

OFSTED_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
NOT_APPLICABLE_GRADES = {"9"}
GRADED_WORDS = {Grade(g).label.lower(): Grade(g) for g in GRADED_SCALE}


@dataclass(frozen=True)
class InspectionColumns:
    """Where one inspection sits in a row; each entry lists the names it has been published under."""

    framework: str
    start_date: tuple[str, ...]
    grades: dict[str, tuple[str, ...]]
    number: tuple[str, ...] = ()
    inspection_type: tuple[str, ...] = ()
    end_date: tuple[str, ...] = ()
    publication_date: tuple[str, ...] = ()
    category_of_concern: tuple[str, ...] = ()
    default_type: str = ""


def _graded_areas(prefix: str = "", overall: str = "Overall effectiveness") -> dict[str, tuple[str, ...]]:
    def named(column: str) -> tuple[str, ...]:
        return (f"{prefix}{column}",) if prefix else (column,)

    return {
        JudgementArea.OVERALL_EFFECTIVENESS: (overall,),
        JudgementArea.QUALITY_OF_EDUCATION: named("quality of education"),
        JudgementArea.BEHAVIOUR_AND_ATTITUDES: named("behaviour and attitudes"),
        JudgementArea.PERSONAL_DEVELOPMENT: named("personal development"),
        JudgementArea.LEADERSHIP_AND_MANAGEMENT: named("effectiveness of leadership and management"),
        JudgementArea.SAFEGUARDING: named("safeguarding is effective?"),
        JudgementArea.EARLY_YEARS: named("early years provision (where applicable)"),
        JudgementArea.SIXTH_FORM: named("sixth form provision (where applicable)"),
    }


LATEST_GRADED = InspectionColumns(
    framework=Framework.GRADED,
    number=("Inspection number of latest graded inspection",),
    inspection_type=("Inspection type",),
    start_date=("Inspection start date",),
    end_date=("Inspection end date",),
    publication_date=("Publication date",),
    category_of_concern=("Category of concern",),
    grades=_graded_areas(),
    default_type="Graded inspection",
)
PREVIOUS_GRADED = InspectionColumns(
    framework=Framework.GRADED,
    number=("Previous graded inspection number",),
    start_date=("Previous inspection start date",),
    end_date=("Previous inspection end date",),
    publication_date=("Previous publication date",),
    category_of_concern=("Previous category of concern",),
    grades=_graded_areas("Previous ", overall="Previous graded inspection overall effectiveness"),
    default_type="Graded inspection",
)
# The report-card file's column list elides the OEIF dates; these are the names they take in
# the file's own naming pattern ("Latest OEIF <column of the graded layout>").
LATEST_OEIF = InspectionColumns(
    framework=Framework.GRADED,
    number=("Inspection number of latest OEIF graded inspection",),
    inspection_type=("Latest OEIF inspection type",),
    start_date=(
        "Latest OEIF inspection start date", "Inspection start date of latest OEIF graded inspection",
    ),
    end_date=("Latest OEIF inspection end date",),
    publication_date=("Latest OEIF publication date",),
    category_of_concern=("Latest OEIF category of concern",),
    grades=_graded_areas("Latest OEIF ", overall="Latest OEIF overall effectiveness"),
    default_type="Graded inspection",
)
LATEST_REPORT_CARD = InspectionColumns(
    framework=Framework.REPORT_CARD,
    number=("Inspection number", "Inspection number of latest full inspection"),
    inspection_type=("Inspection type",),
    start_date=("Inspection start date",),
    end_date=("Inspection end date",),
    publication_date=("Publication date",),
    category_of_concern=("Category of concern",),
    grades={
        JudgementArea.SAFEGUARDING: ("Safeguarding standards",),
        JudgementArea.INCLUSION: ("Inclusion",),
        JudgementArea.CURRICULUM_AND_TEACHING: ("Curriculum and teaching",),
        JudgementArea.ACHIEVEMENT: ("Achievement",),
        JudgementArea.ATTENDANCE_AND_BEHAVIOUR: ("Attendance and behaviour",),
        JudgementArea.PERSONAL_DEVELOPMENT_AND_WELLBEING: ("Personal development and wellbeing",),
        JudgementArea.EARLY_YEARS: (
            "Early years (where applicable)", "Early years provision (where applicable)",
        ),
        JudgementArea.POST_16: ("Post-16 provision (where applicable)",),
        JudgementArea.LEADERSHIP_AND_GOVERNANCE: ("Leadership and governance",),
    },
    default_type="Report card inspection",
)
LATEST_UNGRADED = InspectionColumns(
    framework=Framework.UNGRADED,
    number=(
        "Latest ungraded inspection number since last graded inspection", "Latest ungraded inspection number",
    ),
    start_date=("Date of latest ungraded inspection",),
    publication_date=("Ungraded inspection publication date",),
    grades={JudgementArea.UNGRADED_OUTCOME: ("Ungraded inspection overall outcome",)},
    default_type="Ungraded inspection",
)


@dataclass(frozen=True)
class Layout:
    name: str
    required_columns: tuple[str, ...]
    inspections: tuple[InspectionColumns, ...]


GRADED_LAYOUT = Layout(
    name="graded",
    required_columns=("URN", "Inspection start date", "Overall effectiveness"),
    inspections=(LATEST_GRADED, PREVIOUS_GRADED, LATEST_UNGRADED),
)
REPORT_CARD_LAYOUT = Layout(
    name="report card",
    required_columns=(
        "URN", "Inspection start date", "Safeguarding standards", "Inclusion", "Curriculum and teaching",
        "Achievement", "Attendance and behaviour", "Personal development and wellbeing",
        "Leadership and governance",
    ),
    inspections=(LATEST_REPORT_CARD, LATEST_OEIF, LATEST_UNGRADED),
)


@dataclass
class OfstedRecord:
    row: int
    urn: int
    inspections: list[InspectionRecord] = field(default_factory=list)


class OfstedImporter(Importer):
    kind = "ofsted"
    description = "an Ofsted inspection outcomes file"
    required_columns = ("URN",)

    def start(self, columns: list[str]) -> None:
        super().start(columns)
        self.layout = self._recognise(set(columns))
        self.inspection_columns = [
            resolved for spec in self.layout.inspections if (resolved := self._resolve(spec)) is not None
        ]
        self.writer = InspectionWriter(self.history_options())
        self.touched_urns: set[int] = set()

    def _recognise(self, columns: set[str]) -> Layout:
        for layout in (REPORT_CARD_LAYOUT, GRADED_LAYOUT):
            if all(normalise_column(c) in columns for c in layout.required_columns[1:3]):
                missing = [c for c in layout.required_columns if normalise_column(c) not in columns]
                if missing:
                    raise ImportRefused(
                        f"The file looks like Ofsted's {layout.name} layout but {describe_missing(missing)}."
                    )
                return layout
        raise ImportRefused(
            "The file is not an Ofsted inspection outcomes file: it has neither the graded layout's "
            "“Inspection start date” and “Overall effectiveness” columns nor the report card layout's "
            "“Inspection start date” and “Safeguarding standards” columns."
        )

    def _resolve(self, spec: InspectionColumns) -> InspectionColumns | None:
        """The spec with each entry narrowed to the one name this file uses (or none)."""
        start_date = self._present(spec.start_date)
        if not start_date:
            return None
        return InspectionColumns(
            framework=spec.framework,
            start_date=start_date,
            grades={area: names for area, names in
                    ((area, self._present(names)) for area, names in spec.grades.items()) if names},
            number=self._present(spec.number),
            inspection_type=self._present(spec.inspection_type),
            end_date=self._present(spec.end_date),
            publication_date=self._present(spec.publication_date),
            category_of_concern=self._present(spec.category_of_concern),
            default_type=spec.default_type,
        )

    def _present(self, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            if normalise_column(name) in self.columns:
                return (name,)
        return ()

    def key(self, record: OfstedRecord) -> int:
        return record.urn

    def parse(self, row: CsvRow) -> OfstedRecord:
        record = OfstedRecord(row=row.number, urn=parse_urn(row.get("urn")))
        for spec in self.inspection_columns:
            inspection = self._inspection(row, spec)
            if inspection is not None:
                record.inspections.append(inspection)
        return record

    def _inspection(self, row: CsvRow, spec: InspectionColumns) -> InspectionRecord | None:
        start_date = self._date(row, spec.start_date)
        if start_date is None:
            return None
        inspection = InspectionRecord(
            framework=spec.framework,
            start_date=start_date,
            source=InspectionSource.OFSTED_MI,
            inspection_number=self._text(row, spec.number, "inspection_number"),
            inspection_type=self._text(row, spec.inspection_type, "inspection_type") or spec.default_type,
            end_date=self._date(row, spec.end_date),
            publication_date=self._date(row, spec.publication_date),
            category_of_concern=self._text(row, spec.category_of_concern, "category_of_concern"),
            known_fields=self._known_fields(spec),
            known_areas=set(spec.grades),
        )
        for area, (column,) in spec.grades.items():
            value = row.get(normalise_column(column))
            if area == JudgementArea.UNGRADED_OUTCOME:
                grade = ungraded_outcome_grade(value)
                if grade is None and not is_blank(value):
                    inspection.inspection_type = fit(Inspection, "inspection_type", value, column)
            elif spec.framework == Framework.REPORT_CARD:
                grade = report_card_grade(value, column)
            else:
                grade = graded_grade(value, column, yes_no=area == JudgementArea.SAFEGUARDING)
            if grade is not None:
                inspection.grades[area] = grade
        return inspection

    @staticmethod
    def _known_fields(spec: InspectionColumns) -> set[str]:
        columns = {
            "inspection_number": spec.number,
            "inspection_type": spec.inspection_type or spec.grades.get(JudgementArea.UNGRADED_OUTCOME, ()),
            "end_date": spec.end_date,
            "publication_date": spec.publication_date,
            "category_of_concern": spec.category_of_concern,
        }
        return {field_name for field_name, names in columns.items() if names}

    @staticmethod
    def _date(row: CsvRow, names: tuple[str, ...]) -> datetime.date | None:
        if not names:
            return None
        return parse_date(row.get(normalise_column(names[0])), names[0], OFSTED_DATE_FORMATS)

    @staticmethod
    def _text(row: CsvRow, names: tuple[str, ...], field_name: str) -> str:
        if not names:
            return ""
        value = row.get(normalise_column(names[0]))
        if is_blank(value) or value in NOT_APPLICABLE_GRADES:
            return ""
        return fit(Inspection, field_name, value, names[0])

    def write_batch(self, records: list[OfstedRecord]) -> None:
        known = set(School.objects.filter(urn__in=[r.urn for r in records]).values_list("urn", flat=True))
        for record in records:
            if record.urn not in known:
                self.report.reject(
                    record.row, f"URN {record.urn} is not a known school: import the GIAS extract first."
                )
        accepted = [r for r in records if r.urn in known]
        outcomes = self.writer.write({r.urn: r.inspections for r in accepted})
        self.touched_urns.update(outcomes)
        for record in accepted:
            self.report.tally(outcomes.get(record.urn, UNCHANGED))

    def finish(self) -> None:
        refresh_latest_inspections(self.touched_urns)


def graded_grade(value: str, column: str, *, yes_no: bool = False) -> Grade | None:
    """A graded-era grade: 1 to 4 (or its word), or yes/no where the judgement is safeguarding."""
    text = value.strip().lower()
    if is_blank(text) or text in NOT_APPLICABLE_GRADES:
        return None
    grade = GRADE_BY_NUMBER.get(text) or GRADED_WORDS.get(text)
    if yes_no and text in {"yes", "no"}:
        grade = GRADE_BY_WORDS[text]
    if grade is None:
        raise RowRejected(f"{column} “{value}” is not a grade (1 to 4, or 9 for not applicable).")
    return grade


def report_card_grade(value: str, column: str) -> Grade | None:
    text = " ".join(value.split()).lower()
    if is_blank(text) or text in NOT_APPLICABLE_GRADES:
        return None
    grade = GRADE_BY_WORDS.get(text)
    if grade not in (*REPORT_CARD_SCALE, Grade.MET, Grade.NOT_MET):
        raise RowRejected(f"{column} “{value}” is not a report card grade.")
    return grade


def ungraded_outcome_grade(value: str) -> Grade | None:
    """The grade an ungraded inspection confirms ("School remains Good"), if its outcome names one."""
    text = " ".join(value.split()).lower()
    if text in GRADED_WORDS:
        return GRADED_WORDS[text]
    named = {grade for word, grade in GRADED_WORDS.items() if re.search(rf"\b{re.escape(word)}\b", text)}
    return named.pop() if len(named) == 1 else None
