import pytest

from schools.geography import GridPoint, distance_metres, outward_code, place_postcode
from schools.models import OutwardCode
from tests.factories import SchoolFactory


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("nr1 3qu", "NR1"), ("NR1 3QU", "NR1"), ("NR13QU", "NR1"), ("nr1", "NR1"),
     ("SW1A 1AA", "SW1A"), ("  ip4  2ab ", "IP4"), ("not a postcode", None), ("", None)],
)
def test_outward_code_is_read_from_what_a_user_types(typed, expected):
    assert outward_code(typed) == expected


@pytest.mark.django_db
def test_a_postcode_is_placed_at_its_outward_code_centroid():
    OutwardCode.objects.create(code="NR1", easting=623500, northing=307900)
    assert place_postcode("nr1 3qu") == GridPoint(623500, 307900)


@pytest.mark.django_db
def test_an_unknown_outward_code_is_not_placed():
    assert place_postcode("ZZ9 9ZZ") is None


def test_distance_is_euclidean_in_metres_on_the_national_grid():
    assert distance_metres(GridPoint(0, 0), GridPoint(3000, 4000)) == 5000


@pytest.mark.django_db
def test_school_distance_needs_both_schools_placed():
    placed = SchoolFactory(easting=600000, northing=300000)
    other = SchoolFactory(easting=600300, northing=300400)
    overseas = SchoolFactory(easting=None, northing=None, postcode="")
    assert placed.distance_to(other) == 500
    assert placed.distance_to(overseas) is None
