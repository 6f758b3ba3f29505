"""What a request reads about its person (memberships, the rules' answers, Django's model
permissions) is read once, kept on the user object for that request only, and forgotten when a
membership of theirs changes within it."""

import pytest
from django.conf import settings
from django.contrib.auth import load_backend
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.backends import model_permission_names
from accounts.choices import OrganisationKind, Role
from accounts.models import User
from designations.rules import HOLDS_A_DESIGNATION
from navigation.menu import PERSONAL_FACTS, navigation_for
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.designations import DesignationFactory

# Rules with no model permission of the same name, and two that are both.
RULES = [
    "accounts.manage_people_somewhere", "accounts.manage_api_tokens", "brokerage.raise_request",
    "brokerage.view_broker_queue", "funding.view_finance", "oversight.view_dashboard",
]
BOTH = ["deployments.view_deployment", "schools.view_school"]


def fresh(user: User) -> User:
    """The person as a new request loads them: nothing read yet."""
    return User.objects.get(pk=user.pk)


def queries(ask) -> int:
    with CaptureQueriesContext(connection) as context:
        ask()
    return len(context.captured_queries)


def check(user: User, permissions: list[str]) -> list[bool]:
    return [user.has_perm(permission) for permission in permissions]


@pytest.mark.parametrize("persona", ["la_officer", "commissioner", "school_leader", "outsider"])
def test_a_page_that_checks_several_permissions_costs_what_checking_one_does(request, persona):
    person = request.getfixturevalue(persona)
    one = queries(lambda: check(fresh(person), RULES[:1]))

    several = queries(lambda: check(fresh(person), RULES))

    assert several == one <= 2  # the user (as a new request loads them) and their memberships


def test_django_model_permissions_are_read_once_a_request(la_officer):
    person = fresh(la_officer)
    list(person.active_memberships)
    first = queries(lambda: check(person, BOTH))

    assert first <= 2  # the person's own permissions and their groups'
    assert queries(lambda: check(person, BOTH + RULES)) == 0


def test_a_rule_that_says_no_asks_the_database_nothing_more(la_officer):
    """Without the backend's check, Django's ModelBackend would read two tables to find nothing."""
    person = fresh(la_officer)
    list(person.active_memberships)

    assert queries(lambda: person.has_perm("accounts.manage_api_tokens")) == 0
    assert not person.has_perm("accounts.manage_api_tokens")


def test_a_model_permission_given_in_the_admin_still_counts(db):
    staff = UserFactory(is_staff=True)
    change_school = Permission.objects.get(codename="change_school", content_type__app_label="schools")
    staff.user_permissions.add(change_school)

    assert "schools.change_school" in model_permission_names()
    assert fresh(staff).has_perm("schools.change_school")
    assert not fresh(UserFactory(is_staff=True)).has_perm("schools.change_school")


def test_a_membership_accepted_in_a_request_is_seen_in_the_rest_of_it(db):
    person = UserFactory(email="new.head@example.org")
    school_org = OrganisationFactory(kind=OrganisationKind.SCHOOL)
    assert not person.has_role(Role.HEADTEACHER)  # read and kept on the object
    invitation = services.invite(
        email=person.email, organisation=school_org, role=Role.HEADTEACHER, invited_by=None
    )

    services.accept_invitation(invitation, user=person)

    assert person.has_role(Role.HEADTEACHER)


@pytest.mark.parametrize("url_name", ["home"])
def test_a_membership_granted_is_seen_on_the_next_request(client, outsider, url_name, home_la_org):
    client.force_login(outsider)
    assert "Schools" not in navigation_of(client.get(reverse(url_name)))

    MembershipFactory(user=outsider, organisation=home_la_org, role=Role.LA_OFFICER)

    assert ">Schools<" in navigation_of(client.get(reverse(url_name)))


def navigation_of(response) -> str:
    page = response.content.decode()
    return page[page.index('id="navigation"'):]


# --- the facts every page asks, read with the person ----------------------------------------------


def load_signed_in(user: User) -> User | None:
    """The person as the session's backend loads them for a request."""
    return load_backend(settings.AUTHENTICATION_BACKENDS[-1]).get_user(user.pk)


@pytest.fixture
def leader(db) -> User:
    return DesignationFactory().holder


def test_the_navigation_asks_nothing_of_its_own_about_the_person_a_request_has_loaded(leader):
    person = load_signed_in(leader)
    list(person.active_memberships)

    assert queries(lambda: navigation_for(person)) == 0
    assert {fact.key for fact in PERSONAL_FACTS} <= set(person._rule_answers)


@pytest.mark.parametrize(("persona", "holds"), [("leader", True), ("la_officer", False)])
def test_the_facts_read_with_the_person_are_the_facts_asked_alone(request, persona, holds):
    person = request.getfixturevalue(persona)

    assert HOLDS_A_DESIGNATION(load_signed_in(person)) is holds
    assert HOLDS_A_DESIGNATION(fresh(person)) is holds  # asked on its own, by its own query


def test_a_deactivated_person_is_not_loaded_for_a_request(la_officer):
    la_officer.is_active = False
    la_officer.save(update_fields=["is_active"])

    assert load_signed_in(la_officer) is None
