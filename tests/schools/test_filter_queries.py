"""Filtering lists by a column's values never makes the database de-duplicate every row: the
choice joins nothing, so SELECT DISTINCT (over every column, and its count) would only cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.choices import Phase
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["phase=primary", "phase=primary&phase=secondary", "status=open"])
def test_the_school_list_filters_without_distinct(client, national_admin, query):
    SchoolFactory(phase=Phase.PRIMARY)
    SchoolFactory(phase=Phase.SECONDARY)
    client.force_login(national_admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{reverse('schools:school-list')}?{query}")
    assert response.status_code == 200
    # The list and its count select whole school rows: none of them de-duplicated.
    whole_rows = 'DISTINCT "schools_school"."urn", "schools_school"."name"'
    rows = [q["sql"] for q in queries if whole_rows in q["sql"]]
    assert not rows


def test_filtering_by_two_phases_lists_each_school_once(client, national_admin):
    primary, secondary = SchoolFactory(phase=Phase.PRIMARY), SchoolFactory(phase=Phase.SECONDARY)
    client.force_login(national_admin)
    response = client.get(f"{reverse('schools:school-list')}?phase=primary&phase=secondary")
    listed = [school.pk for school in response.context["object_list"]]
    assert sorted(listed) == sorted({primary.pk, secondary.pk})
