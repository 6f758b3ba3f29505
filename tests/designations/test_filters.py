import datetime

import pytest
from django.utils import timezone

from designations.choices import DesignationStatus
from designations.filters import ApplicationRoundFilterSet, DesignationFilterSet
from designations.models import ApplicationRound, Designation
from schools.choices import Phase
from schools.models import OutwardCode
from tests.factories import LocalAuthorityFactory, SchoolFactory, UserFactory
from tests.factories.designations import (
    ApplicationRoundFactory,
    DesignationFactory,
    DesignationTypeFactory,
    SpecialismFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _filter(**params) -> DesignationFilterSet:
    return DesignationFilterSet(params, queryset=Designation.objects.all())


def _rounds(**params) -> ApplicationRoundFilterSet:
    return ApplicationRoundFilterSet(params, queryset=ApplicationRound.objects.all())


def test_searches_holder_name_school_name_and_urn():
    by_name = DesignationFactory(holder=UserFactory(full_name="Priya Shah"))
    by_school = DesignationFactory(school=SchoolFactory(name="Cromer Academy"))
    by_urn = DesignationFactory(school=SchoolFactory(urn=123456))
    assert list(_filter(q="priya").qs) == [by_name]
    assert list(_filter(q="cromer").qs) == [by_school]
    assert list(_filter(q="123456").qs) == [by_urn]


def test_filters_by_type_code():
    sle = DesignationFactory(designation_type=DesignationTypeFactory(code="DLE"))
    DesignationFactory()
    assert list(_filter(designation_type="DLE").qs) == [sle]


def test_an_unknown_type_code_is_a_clear_error():
    filterset = _filter(designation_type="NOPE")
    assert not filterset.is_valid()
    assert "designation_type" in filterset.errors


def test_filters_by_any_of_several_specialisms_without_duplicates():
    maths, send, art = (SpecialismFactory(slug=s, name=s) for s in ("maths", "send", "art"))
    both = DesignationFactory()
    both.specialisms.set([maths, send])
    only_art = DesignationFactory()
    only_art.specialisms.set([art])
    assert list(_filter(specialism=["maths", "send"]).qs) == [both]
    assert _filter(specialism=["maths", "art"]).qs.count() == 2


def test_filters_by_school_phase_and_local_authority():
    authority = LocalAuthorityFactory(code="873")
    secondary = DesignationFactory(school=SchoolFactory(phase=Phase.SECONDARY, local_authority=authority))
    DesignationFactory(school=SchoolFactory(phase=Phase.PRIMARY))
    assert list(_filter(phase=[Phase.SECONDARY]).qs) == [secondary]
    assert list(_filter(local_authority="873").qs) == [secondary]


def test_filters_by_status():
    suspended = DesignationFactory(status=DesignationStatus.SUSPENDED)
    DesignationFactory()
    assert list(_filter(status=[DesignationStatus.SUSPENDED]).qs) == [suspended]


def test_near_a_postcode_lists_the_nearest_first_within_the_radius():
    OutwardCode.objects.create(code="NR1", easting=623000, northing=308000)
    near = DesignationFactory(school=SchoolFactory(easting=623900, northing=308000))
    nearer = DesignationFactory(school=SchoolFactory(easting=623100, northing=308000))
    DesignationFactory(school=SchoolFactory(easting=650000, northing=308000))
    assert list(_filter(near="NR1 3QU").qs) == [nearer, near]
    assert len(_filter(near="NR1", within_km=30).qs) == 3


def test_near_a_school_measures_from_that_schools_grid_point():
    origin = SchoolFactory(urn=100001, easting=500000, northing=200000)
    same_school = DesignationFactory(school=origin)
    close = DesignationFactory(school=SchoolFactory(easting=504000, northing=203000))  # 5 km
    DesignationFactory(school=SchoolFactory(easting=520000, northing=200000))  # 20 km
    assert list(_filter(near_school=100001).qs) == [same_school, close]
    assert list(_filter(near_school=100001, within_km=4).qs) == [same_school]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"near": "not a postcode"}, "near", "Enter a real postcode"),
        ({"near": "ZZ9"}, "near", "We do not know where the postcode area ZZ9 is"),
        ({"near_school": 999}, "near_school", "There is no school with URN 999"),
        ({"near_school": 100002}, "near_school", "We do not know where the school with URN 100002 is"),
        ({"near": "NR1", "near_school": 100003}, "near_school", "not both"),
        ({"near_school": 100002, "within_km": 500}, "within_km", "less than or equal to 200"),
    ],
)
def test_bad_places_are_clear_field_errors(params, field, message):
    OutwardCode.objects.create(code="NR1", easting=623000, northing=308000)
    SchoolFactory(urn=100002, easting=None, northing=None)
    SchoolFactory(urn=100003, easting=623000, northing=308000)
    filterset = _filter(**params)
    assert not filterset.is_valid()
    assert message in " ".join(filterset.errors[field])


def test_rounds_filter_open_today_and_on_a_date():
    open_now = ApplicationRoundFactory()
    later = ApplicationRoundFactory(
        opens_on=TODAY + datetime.timedelta(days=60), closes_on=TODAY + datetime.timedelta(days=90)
    )
    closed_early = ApplicationRoundFactory(closed_early_on=TODAY - datetime.timedelta(days=1))
    assert list(_rounds(open="true").qs) == [open_now]
    assert set(_rounds(open="false").qs) == {later, closed_early}
    assert list(_rounds(open_on=(TODAY + datetime.timedelta(days=70)).isoformat()).qs) == [later]


def test_rounds_filter_by_type_and_local_authority(home_la):
    scoped = ApplicationRoundFactory(
        designation_type=DesignationTypeFactory(code="DLE"), local_authority=home_la
    )
    ApplicationRoundFactory()
    assert list(_rounds(designation_type="DLE").qs) == [scoped]
    assert list(_rounds(local_authority="926").qs) == [scoped]
