"""Writing inspections and their judgements in bulk, and keeping each school's latest inspection."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apiformat.timestamps import touch

from ..choices import Framework, Grade
from ..models import Inspection, Judgement, School
from .base import BATCH_SIZE, changed_fields

# The latest inspection shown for a school: an ungraded inspection confirms, never replaces, it.
HEADLINE_FRAMEWORKS = (Framework.GRADED, Framework.REPORT_CARD)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class InspectionRecord:
    framework: str
    start_date: datetime.date
    source: str
    inspection_number: str = ""
    inspection_type: str = ""
    end_date: datetime.date | None = None
    publication_date: datetime.date | None = None
    category_of_concern: str = ""
    grades: dict[str, Grade] = field(default_factory=dict)
    # What the file says something about: None for everything. A field or judgement area the
    # file has no column for keeps its stored value (another file may have recorded it).
    known_fields: set[str] | None = None
    known_areas: set[str] | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "inspection_number": self.inspection_number,
            "inspection_type": self.inspection_type,
            "end_date": self.end_date,
            "publication_date": self.publication_date,
            "category_of_concern": self.category_of_concern,
            "source": self.source,
        }

    def known_values(self) -> dict[str, Any]:
        values = self.fields()
        if self.known_fields is None:
            return values
        known = self.known_fields | {"source"}
        return {name: value for name, value in values.items() if name in known}

    def says_about(self, area: str) -> bool:
        return self.known_areas is None or area in self.known_areas


class InspectionWriter:
    """Upserts inspections on (school, framework, start date) and judgements on (inspection, area).

    ``keep_sources``: inspections from these sources are left as they are (the GIAS extract's
    one-word rating must not overwrite what the Ofsted file recorded about the same inspection).
    """

    def __init__(self, history_options: dict[str, Any], keep_sources: Iterable[str] = ()):
        self.history_options = history_options
        self.keep_sources = set(keep_sources)

    def write(self, records_by_school: dict[int, list[InspectionRecord]]) -> dict[int, str]:
        """Writes every record; returns each school's outcome: created, updated or unchanged."""
        outcomes = dict.fromkeys(records_by_school, UNCHANGED)
        existing = {
            (i.school_id, i.framework, i.start_date): i
            for i in Inspection.objects.filter(school_id__in=list(records_by_school))
        }
        to_create, to_update, update_fields, wanted, seen = [], [], set(), [], set()
        for urn, records in records_by_school.items():
            for record in records:
                key = (urn, record.framework, record.start_date)
                if key in seen:
                    continue  # one row naming the same inspection twice: the first mention wins
                seen.add(key)
                inspection = existing.get(key)
                if inspection is None:
                    inspection = Inspection(
                        school_id=urn, framework=record.framework, start_date=record.start_date,
                        **record.fields(),
                    )
                    to_create.append(inspection)
                    outcomes[urn] = CREATED
                elif inspection.source in self.keep_sources and inspection.source != record.source:
                    continue
                elif changed := changed_fields(inspection, record.known_values()):
                    to_update.append(inspection)
                    update_fields.update(changed)
                    outcomes[urn] = _stronger(outcomes[urn], UPDATED)
                wanted.append((inspection, record))
        if to_create:
            bulk_create_with_history(to_create, Inspection, **self.history_options)
        if to_update:
            bulk_update_with_history(to_update, Inspection, sorted(update_fields), **self.history_options)
        for urn in self._write_judgements(wanted):
            outcomes[urn] = _stronger(outcomes[urn], UPDATED)
        # The API shows a school with its inspections: those whose inspections changed did change.
        changed = [urn for urn, outcome in outcomes.items() if outcome != UNCHANGED]
        touch(School.objects.filter(urn__in=changed))
        return outcomes

    def _write_judgements(self, wanted: list[tuple[Inspection, InspectionRecord]]) -> set[int]:
        """Creates, regrades and removes judgements; returns the URNs whose judgements changed."""
        existing = {
            (j.inspection_id, j.area): j
            for j in Judgement.objects.filter(inspection_id__in=[i.pk for i, _ in wanted])
        }
        to_create, to_update, to_delete, changed_urns = [], [], [], set()
        for inspection, record in wanted:
            for area, grade in record.grades.items():
                judgement = existing.pop((inspection.pk, area), None)
                if judgement is None:
                    to_create.append(Judgement(inspection_id=inspection.pk, area=area, grade=grade))
                    changed_urns.add(inspection.school_id)
                elif judgement.grade != grade:
                    judgement.grade = grade
                    to_update.append(judgement)
                    changed_urns.add(inspection.school_id)
        records = {inspection.pk: (inspection.school_id, record) for inspection, record in wanted}
        for (inspection_id, area), judgement in existing.items():
            school_id, record = records[inspection_id]
            if record.says_about(area):
                to_delete.append(judgement)
                changed_urns.add(school_id)
        if to_create:
            bulk_create_with_history(to_create, Judgement, **self.history_options)
        if to_update:
            bulk_update_with_history(to_update, Judgement, ["grade"], **self.history_options)
        for judgement in to_delete:
            # One by one so that simple-history records each removal (rare: a regraded file).
            judgement.delete()
        return changed_urns


def _stronger(current: str, candidate: str) -> str:
    order = (UNCHANGED, UPDATED, CREATED)
    return max(current, candidate, key=order.index)


def refresh_latest_inspections(urns: Iterable[int]) -> int:
    """Points each school at its most recent graded or report-card inspection with judgements.

    Costs three queries per 500 schools whatever their number of inspections; returns how many
    schools changed.
    """
    urns = sorted(set(urns))
    changed = 0
    for start in range(0, len(urns), BATCH_SIZE):
        chunk = urns[start:start + BATCH_SIZE]
        latest: dict[int, int] = {}
        candidates = (
            Inspection.objects.filter(school_id__in=chunk, framework__in=HEADLINE_FRAMEWORKS)
            .filter(Exists(Judgement.objects.filter(inspection=OuterRef("pk"))))
            .order_by("school_id", "-start_date", "-pk")
            .values_list("school_id", "pk")
        )
        for school_id, inspection_id in candidates:
            latest.setdefault(school_id, inspection_id)
        schools = list(School.objects.filter(urn__in=chunk).only("urn", "latest_inspection"))
        stale = [s for s in schools if s.latest_inspection_id != latest.get(s.urn)]
        now = timezone.now()
        for school in stale:
            school.latest_inspection_id, school.updated_at = latest.get(school.urn), now
        if stale:
            # latest_inspection is excluded from the school's history: a plain bulk update.
            School.objects.bulk_update(stale, ["latest_inspection", "updated_at"])
        changed += len(stale)
    return changed

