"""The schools part of the demo data: real East of England schools, placed by postcode, with
their made-up details, trusts, dioceses and inspections the same on every run."""

from io import StringIO

import pytest
from django.core.management import call_command

from schools import demo
from schools.choices import InspectionSource, Phase
from schools.models import LocalAuthority, OutwardCode, School

SCHOOLS_PER_AREA_IN_TESTS = 12


@pytest.fixture
def seeded(db, monkeypatch):
    # The selection logic is the same at any size; a small sample keeps the test quick.
    monkeypatch.setattr(demo, "SCHOOLS_PER_AREA", SCHOOLS_PER_AREA_IN_TESTS)
    call_command("load_outcodes", verbosity=0, stdout=StringIO())
    return demo.seed_schools_demo()


def test_seeding_again_changes_no_school(seeded):
    snapshot = list(School.objects.order_by("urn").values())
    counts = (School.history.count(), seeded.inspections)

    again = demo.seed_schools_demo()

    assert list(School.objects.order_by("urn").values()) == snapshot
    assert (School.history.count(), again.inspections) == counts
    assert [s.urn for s in again.schools] == [s.urn for s in seeded.schools]


def test_seeding_builds_the_three_east_of_england_authorities_with_their_schools(seeded):
    authorities = LocalAuthority.objects.order_by("code").values_list("code", "name", "region")
    assert list(authorities) == [
        ("873", "Cambridgeshire", "East of England"),
        ("926", "Norfolk", "East of England"),
        ("935", "Suffolk", "East of England"),
    ]
    for code, area in (("926", "NR"), ("935", "IP"), ("873", "CB")):
        postcodes = School.objects.filter(local_authority__code=code).values_list("postcode", flat=True)
        assert len(postcodes) == SCHOOLS_PER_AREA_IN_TESTS
        assert all(p.startswith(area) for p in postcodes)


def test_every_demo_school_is_placed_near_its_outward_code(seeded):
    centroids = OutwardCode.objects.in_bulk()
    for school in School.objects.all():
        centroid = centroids[school.postcode.split(" ")[0]]
        assert school.local_authority_id is not None
        assert abs(school.easting - centroid.easting) <= 1500
        assert abs(school.northing - centroid.northing) <= 1500


def test_every_demo_school_has_a_latest_demo_inspection_with_judgements(seeded):
    for school in School.objects.select_related("latest_inspection"):
        latest = school.latest_inspection
        assert latest.source == InspectionSource.DEMO
        assert latest.start_date == max(i.start_date for i in school.inspections.all())
        assert latest.judgements.exists()


def test_academies_have_a_trust_and_church_schools_a_diocese(seeded):
    for school in School.objects.all():
        assert (school.trust_id is not None) == (school.type_group == "Academies")
        assert (school.diocese_id is not None) == bool(demo.religious_character(school.name))


def test_a_synthesised_school_is_the_same_every_time():
    source = demo.SourceSchool(
        urn=121000, name="Example CofE Primary School", open_date=None, town="Norwich", postcode="NR2 1AA"
    )
    authority = LocalAuthority(code="926", name="Norfolk")
    outcode = OutwardCode(code="NR2", easting=622000, northing=308000)

    def build():
        school = demo.synthesise_school(source, local_authority=authority, outcode=outcode, region="East")
        return demo._school_values(school), demo.synthesise_inspections(source.urn, school.phase)

    assert build() == build()


@pytest.mark.parametrize(
    ("name", "phase"),
    [
        ("Hethersett VC Junior School", Phase.PRIMARY),
        ("Acle St Edmund Voluntary Controlled Infant School", Phase.PRIMARY),
        ("Earlham Nursery School", Phase.NURSERY),
        ("Hellesdon High School", Phase.SECONDARY),
        ("Thorpe St Andrew School and Sixth Form", Phase.SIXTEEN_PLUS),
        ("Chapel Road Special School", Phase.NOT_APPLICABLE),
        ("Cromer Academy", Phase.SECONDARY),
    ],
)
def test_phase_is_read_from_the_school_name(name, phase):
    assert demo.phase_from_name(name) == phase
