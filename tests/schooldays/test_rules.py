"""Who may see and change term dates, role by role, object by object."""

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

PERSONAS = [
    "national_admin", "la_officer", "other_la_officer", "teaching_school_lead", "headteacher", "signed_out",
]
# persona: (sees term dates, changes the national default, changes Norfolk's, changes Suffolk's)
EXPECTED = {
    "national_admin": (True, True, True, True),
    "la_officer": (True, False, True, False),
    "other_la_officer": (True, False, False, True),
    "teaching_school_lead": (False, False, False, False),
    "headteacher": (False, False, False, False),
    "signed_out": (False, False, False, False),
}


@pytest.fixture
def persona(request):
    def get(name: str):
        return AnonymousUser() if name == "signed_out" else request.getfixturevalue(name)

    return get


@pytest.mark.parametrize("name", PERSONAS)
def test_who_sees_and_changes_term_dates(name, persona, home_la, other_la):
    user = persona(name)
    seen = (
        user.has_perm("schooldays.view_term_dates"),
        user.has_perm("schooldays.change_term_dates", None),
        user.has_perm("schooldays.change_term_dates", home_la),
        user.has_perm("schooldays.change_term_dates", other_la),
    )
    assert seen == EXPECTED[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_who_changes_a_period_follows_its_term_dates(name, persona, own_period, national_period):
    user = persona(name)
    _, national, norfolk, _ = EXPECTED[name]
    assert user.has_perm("schooldays.change_term_period", own_period) is norfolk
    assert user.has_perm("schooldays.change_term_period", national_period) is national


def test_a_commissioner_of_the_authority_is_not_its_officer(commissioner, home_la):
    assert not commissioner.has_perm("schooldays.view_term_dates")
    assert not commissioner.has_perm("schooldays.change_term_dates", home_la)
