"""The pool page: only a teaching-school lead sees it, with their own pool's SLEs, what training
they lack, and a way to open a recruitment round (the deployment figures: test_pool.py)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.designations import DesignationFactory, SpecialismFactory, TrainingRequirementFactory

pytestmark = pytest.mark.django_db

POOL_URL = reverse("pool:index")


def test_the_pool_keeps_its_address_among_the_designation_pages():
    assert POOL_URL == "/designations/pool/"


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(POOL_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teaching_school_lead", 200),
        ("national_admin", 403),
        ("la_officer", 403),
        ("school_leader", 403),
        ("commissioner", 403),
        ("associate", 403),
        ("outsider", 403),
    ],
)
def test_only_teaching_school_leads_see_a_pool(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(POOL_URL).status_code == status


def test_a_pool_shows_only_the_leads_own_designations_and_missing_training(
    client, teaching_school_lead, teaching_school_org
):
    own = DesignationFactory(
        holder=UserFactory(full_name="Pool Member"), designating_organisation=teaching_school_org,
        training_completed_on=None,
    )
    TrainingRequirementFactory(designation_type=own.designation_type, name="SLE induction")
    own.specialisms.add(SpecialismFactory(slug="phonics-coaching", name="Phonics coaching"))
    DesignationFactory(holder=UserFactory(full_name="Someone Elses"))
    client.force_login(teaching_school_lead)
    page = client.get(POOL_URL).content.decode()
    assert "Pool Member" in page
    assert "Someone Elses" not in page
    assert "Phonics coaching" in page
    assert "Missing: SLE induction" in page


def test_the_pool_page_offers_a_lead_to_open_a_recruitment_round(client, teaching_school_lead):
    client.force_login(teaching_school_lead)
    response = client.get(POOL_URL)
    assert reverse("designations:round-create") in response.content.decode()
    assert "Open a recruitment round" in response.content.decode()
