"""The GIAS links file: predecessor and successor establishments, one link per row."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apiformat.timestamps import touch

from ..models import EstablishmentLink, School
from .base import CsvRow, Importer, RowRejected, changed_fields
from .gias import GIAS_DATE_FORMATS
from .parsing import fit, parse_date, parse_urn


@dataclass
class LinkRecord:
    urn: int
    linked_urn: int
    link_type: str
    linked_name: str
    established_date: datetime.date | None

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.urn, self.linked_urn, self.link_type)


class GiasLinksImporter(Importer):
    kind = "gias_links"
    description = "a GIAS links file"
    required_columns = ("URN", "LinkURN", "LinkType")

    def key(self, record: LinkRecord) -> tuple[int, int, str]:
        return record.key

    def describe_key(self, key: tuple[int, int, str]) -> str:
        urn, linked_urn, link_type = key
        return f"The link “{link_type}” from URN {urn} to URN {linked_urn}"

    def parse(self, row: CsvRow) -> LinkRecord:
        link_type = row.get("linktype")
        if not link_type:
            raise RowRejected("LinkType is empty.")
        return LinkRecord(
            urn=parse_urn(row.get("urn")),
            linked_urn=parse_urn(row.get("linkurn"), "LinkURN"),
            link_type=fit(EstablishmentLink, "link_type", link_type, "LinkType"),
            linked_name=fit(EstablishmentLink, "linked_name", row.get("linkname"), "LinkName"),
            established_date=parse_date(
                row.get("linkestablisheddate"), "LinkEstablishedDate", GIAS_DATE_FORMATS
            ),
        )

    def start(self, columns: list[str]) -> None:
        super().start(columns)
        # Optional columns a file leaves out leave what is stored alone.
        self.managed_fields = [
            field_name for field_name, column in (("linked_name", "linkname"),
                                                  ("established_date", "linkestablisheddate"))
            if column in self.columns
        ]

    def write_batch(self, records: list[LinkRecord]) -> None:
        existing = {link_key(link): link for link in self._existing(records)}
        to_create, to_update, update_fields = [], [], set()
        for record in records:
            values = {name: getattr(record, name) for name in self.managed_fields}
            link = existing.get(record.key)
            if link is None:
                to_create.append(EstablishmentLink(
                    urn=record.urn, linked_urn=record.linked_urn, link_type=record.link_type, **values,
                ))
            elif changed := changed_fields(link, values):
                to_update.append(link)
                update_fields.update(changed)
        if to_create:
            bulk_create_with_history(to_create, EstablishmentLink, **self.history_options())
        if to_update:
            bulk_update_with_history(
                to_update, EstablishmentLink, sorted(update_fields), **self.history_options()
            )
        # The API shows a school with its links: a school whose links changed did change.
        touch(School.objects.filter(urn__in={link.urn for link in (*to_create, *to_update)}))
        self.report.created += len(to_create)
        self.report.updated += len(to_update)
        self.report.unchanged += len(records) - len(to_create) - len(to_update)

    @staticmethod
    def _existing(records: list[LinkRecord]) -> list[EstablishmentLink]:
        # Narrowed by URN in SQL, then matched exactly on the whole key in Python.
        return list(EstablishmentLink.objects.filter(urn__in={r.urn for r in records}))


def link_key(link: EstablishmentLink) -> tuple[int, int, str]:
    return (link.urn, link.linked_urn, link.link_type)
