"""The accounts part of the demo data: one user per role in the right organisation, with a working
sign-in, a pending invitation and an access request awaiting the demo head."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import demo
from accounts.choices import OrganisationKind, Role
from accounts.models import AccessRequest, Invitation, Organisation, User
from schools import demo as schools_demo

SCHOOLS_PER_AREA_IN_TESTS = 12


@pytest.fixture
def seeded(db, monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setattr(schools_demo, "SCHOOLS_PER_AREA", SCHOOLS_PER_AREA_IN_TESTS)
    call_command("load_outcodes", verbosity=0, stdout=StringIO())
    return demo.seed_accounts_demo(schools_demo.seed_schools_demo())


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


def test_seeding_leaves_a_pending_invitation_and_an_access_request_awaiting_the_head(seeded):
    invitation = Invitation.objects.pending().get(email=demo.INVITED_EMAIL)
    access_request = AccessRequest.objects.get(email=demo.REQUESTER_EMAIL)

    assert invitation.invited_by.email == "la.officer@norfolk.demo"
    assert access_request.state == "awaiting_decision"
    assert list(access_request.routed_to.values_list("email", flat=True)) == ["head@norfolk.demo"]


def test_a_demo_user_signs_in_through_the_sign_in_page(seeded, client):
    response = client.post(
        reverse("accounts:sign-in"), {"username": "head@norfolk.demo", "password": demo.DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert response.wsgi_request.user.email == "head@norfolk.demo"
