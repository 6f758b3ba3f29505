import pytest

from schools.queries import schools_visible_to

pytestmark = pytest.mark.django_db


def test_la_officer_sees_only_their_own_authoritys_schools(la_officer, home_school, other_school):
    assert list(schools_visible_to(la_officer)) == [home_school]


def test_national_administrator_sees_every_school(national_admin, home_school, other_school):
    assert set(schools_visible_to(national_admin)) == {home_school, other_school}


def test_member_of_no_organisation_sees_no_school(outsider, home_school):
    assert list(schools_visible_to(outsider)) == []


# One school, no query: school_visible_to agrees with schools_visible_to --------------------------


@pytest.fixture
def trust_and_diocese_people(home_la):
    from accounts.choices import OrganisationKind, Role
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
    from tests.factories.schools import DioceseFactory, TrustFactory

    trust, diocese = TrustFactory(), DioceseFactory()
    people = {}
    for kind, field, value in (
        (OrganisationKind.ACADEMY_TRUST, "trust", trust),
        (OrganisationKind.DIOCESE, "diocese", diocese),
    ):
        organisation = OrganisationFactory(kind=kind, **{field: value})
        people[kind] = MembershipFactory(
            user=UserFactory(), organisation=organisation, role=Role.COMMISSIONER
        ).user
    return trust, diocese, people


@pytest.mark.parametrize(
    "persona",
    ["national_admin", "la_officer", "other_la_officer", "teaching_school_lead", "school_leader",
     "commissioner", "associate", "outsider"],
)
def test_one_school_visibility_matches_the_list(
    request, persona, home_school, other_school, trust_and_diocese_people, django_assert_num_queries
):
    from accounts.models import User
    from schools.queries import school_visible_to
    from tests.factories import SchoolFactory

    trust, diocese, people = trust_and_diocese_people
    schools = [
        home_school, other_school, SchoolFactory(local_authority=home_school.local_authority, trust=trust),
        SchoolFactory(local_authority=other_school.local_authority, diocese=diocese),
    ]
    users = [request.getfixturevalue(persona), *people.values()]
    for user in users:
        user = User.objects.get(pk=user.pk)
        visible = schools_visible_to(user).filter(pk__in=[school.pk for school in schools])
        listed = set(visible.values_list("pk", flat=True))
        user.active_memberships  # noqa: B018 - read once per request, before the checks
        with django_assert_num_queries(0):
            one_by_one = {school.pk for school in schools if school_visible_to(user, school)}
        assert one_by_one == listed
