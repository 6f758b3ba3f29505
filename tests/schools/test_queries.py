import pytest

from schools.queries import schools_visible_to

pytestmark = pytest.mark.django_db


def test_la_officer_sees_only_their_own_authoritys_schools(la_officer, home_school, other_school):
    assert list(schools_visible_to(la_officer)) == [home_school]


def test_national_administrator_sees_every_school(national_admin, home_school, other_school):
    assert set(schools_visible_to(national_admin)) == {home_school, other_school}


def test_member_of_no_organisation_sees_no_school(outsider, home_school):
    assert list(schools_visible_to(outsider)) == []
