import pytest

from schools.choices import Grade, Phase
from schools.filters import SchoolFilterSet
from schools.models import OutwardCode, School
from tests.factories import SchoolFactory, graded_inspection

pytestmark = pytest.mark.django_db


def _filter(**params):
    return SchoolFilterSet(data=params, queryset=School.objects.all())


def test_phase_filter_keeps_only_that_phase():
    primary = SchoolFactory(phase=Phase.PRIMARY)
    SchoolFactory(phase=Phase.SECONDARY)
    assert list(_filter(phase=[Phase.PRIMARY]).qs) == [primary]


def test_free_text_search_matches_name_town_postcode_and_urn():
    school = SchoolFactory(name="Blofield Primary School", town="Blofield", postcode="NR13 4RH")
    SchoolFactory(name="Other School", town="Ipswich", postcode="IP1 1AA")
    for term in ("blofield", "NR13", str(school.urn)):
        assert list(_filter(q=term).qs) == [school], term


def test_ofsted_grade_filter_uses_the_latest_graded_inspection():
    good = SchoolFactory()
    graded_inspection(good, Grade.GOOD)
    outstanding = SchoolFactory()
    graded_inspection(outstanding, Grade.OUTSTANDING)
    assert list(_filter(ofsted_grade=[Grade.GOOD]).qs) == [good]


def test_near_a_postcode_keeps_schools_within_the_radius_nearest_first():
    OutwardCode.objects.create(code="NR1", easting=623000, northing=308000)
    near = SchoolFactory(easting=623500, northing=308000)
    nearer = SchoolFactory(easting=623100, northing=308000)
    SchoolFactory(easting=650000, northing=308000)  # 27 km away
    SchoolFactory(easting=None, northing=None)  # unplaced: never "near"
    result = _filter(near="NR1 3QU", within_km=5)
    assert result.is_valid()
    assert list(result.qs) == [nearer, near]


def test_radius_defaults_to_ten_kilometres():
    OutwardCode.objects.create(code="NR1", easting=623000, northing=308000)
    inside = SchoolFactory(easting=632000, northing=308000)
    SchoolFactory(easting=634000, northing=308000)
    assert list(_filter(near="NR1").qs) == [inside]


@pytest.mark.parametrize(
    ("near", "message"),
    [("hello", "Enter a real postcode"), ("ZZ9 9ZZ", "We do not know where the postcode area ZZ9 is")],
)
def test_a_postcode_that_cannot_be_placed_is_a_field_error(near, message):
    filterset = _filter(near=near)
    assert not filterset.is_valid()
    assert message in filterset.errors["near"][0]


def test_search_with_non_ascii_digits_is_a_text_search_not_a_crash():
    SchoolFactory(name="Blofield Primary School")
    assert list(_filter(q="²").qs) == []


def test_search_reads_only_ascii_digits_as_a_urn():
    SchoolFactory(urn=333, name="Three Primary School")

    assert list(_filter(q="٣٣٣").qs) == []
    assert [s.urn for s in _filter(q="333").qs] == [333]
