"""The demo dataset: the same on every run, complete, and with a working sign-in per role."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import demo
from accounts.choices import OrganisationKind, Role
from accounts.models import AccessRequest, Invitation, Membership, Organisation, User
from schools.choices import InspectionSource, Phase
from schools.models import Diocese, Inspection, Judgement, LocalAuthority, OutwardCode, School, Trust

SCHOOLS_PER_AREA_IN_TESTS = 12


@pytest.fixture
def seeded(db, monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The selection logic is the same at any size; a small sample keeps the test quick.
    monkeypatch.setattr(demo, "SCHOOLS_PER_AREA", SCHOOLS_PER_AREA_IN_TESTS)
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def _counts() -> dict[str, int]:
    models = (
        LocalAuthority, School, Inspection, Judgement, Trust, Diocese, Organisation, User, Membership,
        Invitation, AccessRequest,
        School.history.model, User.history.model,
    )
    return {model.__name__: model.objects.count() for model in models}


def _snapshot() -> list[tuple]:
    return list(School.objects.order_by("urn").values_list(
        "urn", "phase", "type_name", "easting", "northing", "number_of_pupils", "head_last_name",
        "trust__name", "diocese__name", "latest_inspection__start_date",
    ))


def test_seeding_again_creates_and_changes_nothing(seeded):
    counts, snapshot = _counts(), _snapshot()

    call_command("seed_demo", stdout=StringIO())

    assert _counts() == counts
    assert _snapshot() == snapshot


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


@pytest.mark.parametrize(
    ("email", "role", "kind"),
    [
        ("admin@syslead.demo", Role.NATIONAL_ADMINISTRATOR, OrganisationKind.NATIONAL_BODY),
        ("la.officer@norfolk.demo", Role.LA_OFFICER, OrganisationKind.LOCAL_AUTHORITY),
        ("la.officer@suffolk.demo", Role.LA_OFFICER, OrganisationKind.LOCAL_AUTHORITY),
        ("ts.lead@norfolk.demo", Role.TEACHING_SCHOOL_LEAD, OrganisationKind.TEACHING_SCHOOL),
        ("commissioner@norfolk.demo", Role.COMMISSIONER, OrganisationKind.LOCAL_AUTHORITY),
        ("head@norfolk.demo", Role.HEADTEACHER, OrganisationKind.SCHOOL),
        ("associate@syslead.demo", Role.ASSOCIATE, OrganisationKind.NATIONAL_BODY),
    ],
)
def test_each_demo_user_holds_one_role_in_the_right_organisation(seeded, email, role, kind):
    user = User.objects.get(email=email)

    membership = user.memberships.select_related("organisation__local_authority").get()

    assert (membership.role, membership.organisation.kind) == (role, kind)
    assert user.check_password(demo.DEMO_PASSWORD)
    if kind == OrganisationKind.NATIONAL_BODY:
        assert membership.organisation.name == "National College for School Leadership"
    else:
        code = "935" if email.endswith("@suffolk.demo") else "926"
        assert membership.organisation.local_authority.code == code


def test_only_the_national_administrator_can_use_the_admin_site(seeded):
    staff = User.objects.filter(email__endswith=".demo", is_staff=True, is_superuser=True)
    assert list(staff.values_list("email", flat=True)) == ["admin@syslead.demo"]


def test_the_demo_schools_of_norfolk_users_are_in_norfolk(seeded):
    for email in ("ts.lead@norfolk.demo", "head@norfolk.demo"):
        organisation = Organisation.objects.select_related("school__local_authority").get(
            memberships__user__email=email
        )
        assert organisation.school.local_authority.code == "926"


def test_the_command_prints_every_demo_sign_in(seeded):
    for user in demo.DEMO_USERS:
        assert user.email in seeded
        assert user.try_this in seeded
    assert demo.DEMO_PASSWORD in seeded


def test_seeding_leaves_a_pending_invitation_and_an_access_request_awaiting_the_head(seeded):
    invitation = Invitation.objects.pending().get(email=demo.INVITED_EMAIL)
    access_request = AccessRequest.objects.get(email=demo.REQUESTER_EMAIL)

    assert invitation.invited_by.email == "la.officer@norfolk.demo"
    assert access_request.state == "awaiting_decision"
    assert list(access_request.routed_to.values_list("email", flat=True)) == ["head@norfolk.demo"]


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


def test_a_demo_user_signs_in_through_the_sign_in_page(seeded, client):
    response = client.post(
        reverse("accounts:sign-in"), {"username": "head@norfolk.demo", "password": demo.DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert response.wsgi_request.user.email == "head@norfolk.demo"


def test_seeding_prints_the_sign_ins_and_none_of_the_demo_emails(db, monkeypatch, settings, capsys):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    monkeypatch.setattr(demo, "SCHOOLS_PER_AREA", SCHOOLS_PER_AREA_IN_TESTS)

    call_command("seed_demo")

    printed = capsys.readouterr().out
    assert "Demo sign-ins" in printed
    assert "Subject:" not in printed
