"""Pages of a long list that cost what the page shows, not what the list holds.

A list page that joins several tables (a designation with its holder, school, authority and
type) and sorts by a joined column makes the database join and sort every matching row with
every selected column before it can take the first fifty. ``KeysFirstPaginator`` asks first for
the page's primary keys alone, in the list's order (only the joins that order needs, over
narrow rows), then reads those rows with their joins and prefetches by key: one query more,
and at England's scale several times less work (80 ms to 20 ms for the designations API at a
fifth of the data).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def _pages_by_key(object_list) -> bool:
    if not isinstance(object_list, QuerySet):
        return False
    query = object_list.query
    return not (query.is_sliced or query.distinct or query.combinator or query.group_by is not None)


class KeysFirstPaginator(Paginator):
    """A Paginator whose page reads its keys first, then its rows by key (see the module)."""

    def page(self, number) -> Page:
        if not _pages_by_key(self.object_list):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys).order_by()} if keys else {}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)
