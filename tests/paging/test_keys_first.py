"""A page read keys first holds the same rows, in the same order, as a plain page, with the
queryset's joins still loaded; querysets it cannot page by key are paged the plain way."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paging import KeysFirstPaginator
from schools.models import School
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    return [SchoolFactory(name=f"School {letter}") for letter in "GCAFEDB"]


def listing():
    return School.objects.select_related("local_authority").order_by("-name", "urn")


@pytest.mark.parametrize("number", [1, 2, 3])
def test_each_page_holds_what_a_plain_page_holds_in_its_order(schools, number):
    keys_first = KeysFirstPaginator(listing(), 3).page(number)
    plain = Paginator(listing(), 3).page(number)

    assert [s.urn for s in keys_first] == [s.urn for s in plain]
    assert keys_first.has_next() == plain.has_next()


def test_the_rows_come_with_their_joins(schools):
    page = KeysFirstPaginator(listing(), 3).page(1)

    with CaptureQueriesContext(connection) as captured:
        names = [school.local_authority.name for school in page]
    assert len(names) == 3 and len(captured) == 0


def test_the_page_asks_for_its_keys_alone_first(schools):
    paginator = KeysFirstPaginator(listing(), 3)
    paginator.count  # noqa: B018 - counted apart, as any paginator does
    with CaptureQueriesContext(connection) as captured:
        list(paginator.page(1))

    keys, rows = (query["sql"] for query in captured)
    assert "local_authority" not in keys.split("FROM")[0]
    assert "LIMIT" in keys and " IN (" in rows


def test_a_distinct_listing_is_paged_the_plain_way(schools):
    distinct = listing().distinct()
    with CaptureQueriesContext(connection) as captured:
        page = KeysFirstPaginator(distinct, 3).page(1)
        list(page)

    assert [s.urn for s in page] == [s.urn for s in Paginator(distinct, 3).page(1)]
    assert len(captured) == 2  # the count and the page
