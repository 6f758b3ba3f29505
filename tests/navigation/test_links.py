"""Links that led to a 403 or a 404, or misled, each fixed: the page now offers only what the
viewer may open."""

import re

import pytest
from django.urls import reverse

from tests.factories import SchoolFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db


def page(client, user, address: str) -> str:
    client.force_login(user)
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def links_under(html: str, prefix: str) -> set[str]:
    return {href for href in re.findall(r'href="([^"]+)"', html) if href.startswith(prefix)}


def school_url(school) -> str:
    return reverse("schools:school-detail", kwargs={"urn": school.urn})


# "Update your specialisms and availability" ----------------------------------------------------


def test_an_administrator_is_not_offered_to_update_someone_elses_designation(client, superuser_admin):
    designation = DesignationFactory()

    html = page(client, superuser_admin, reverse("designations:designation-detail", args=[designation.pk]))

    assert "Update your specialisms and availability" not in html
    assert reverse("designations:mine-update", args=[designation.pk]) not in html


def test_the_holder_is_offered_to_update_their_own_designation_and_may(client):
    designation = DesignationFactory()
    update = reverse("designations:mine-update", args=[designation.pk])

    detail = reverse("designations:designation-detail", args=[designation.pk])
    html = page(client, designation.holder, detail)

    assert update in html
    assert client.get(update).status_code == 200


# Professional partners and offering partnership ----------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["la_officer", "commissioner", "teaching_school_lead", "school_leader", "associate", "outsider"],
)
def test_people_with_nothing_to_do_with_partnerships_are_not_sent_there(client, request, persona):
    html = page(client, request.getfixturevalue(persona), reverse("designations:designation-list"))

    assert links_under(html, "/partners/") == set()


@pytest.mark.parametrize(
    "persona, offered",
    [
        ("new_head", {"partners:search", "partners:mine"}),
        ("lle", {"partners:mine", "partners:offer"}),
        ("superuser_admin", {"partners:mine"}),
    ],
)
def test_the_partnership_pages_offer_only_what_each_person_may_open(client, request, persona, offered):
    user = request.getfixturevalue(persona)
    html = page(client, user, reverse("partners:mine"))

    links = links_under(html, "/partners/")
    assert links == {reverse(name) for name in offered}
    assert {link: client.get(link).status_code for link in links} == dict.fromkeys(links, 200)


# School names link only where the viewer may open the school --------------------------------------


def test_a_teaching_school_sees_the_school_of_a_request_it_brokers_as_plain_text(
    client, teaching_school_lead, teaching_school_org, la_officer, home_la_org, other_school
):
    support_request = SupportRequestFactory(school=other_school, broker=teaching_school_org)
    address = reverse("brokerage:request-detail", args=[support_request.pk])

    html = page(client, teaching_school_lead, address)

    assert school_url(other_school) not in html
    assert str(other_school.urn) in html


def test_the_commissioner_of_a_request_gets_a_link_to_its_school(
    client, la_officer, home_la_org, home_school
):
    support_request = SupportRequestFactory(school=home_school, commissioner=home_la_org)

    html = page(client, la_officer, reverse("brokerage:request-detail", args=[support_request.pk]))

    assert school_url(home_school) in html
    assert client.get(school_url(home_school)).status_code == 200


@pytest.mark.parametrize(
    "persona, linked",
    [("national_admin", True), ("other_la_officer", True), ("la_officer", False), ("school_leader", False)],
)
def test_a_designations_school_is_linked_only_for_those_who_may_see_it(
    client, request, other_school, persona, linked
):
    designation = DesignationFactory(school=other_school)

    detail = reverse("designations:designation-detail", args=[designation.pk])
    html = page(client, request.getfixturevalue(persona), detail)

    assert (school_url(other_school) in html) is linked
    assert other_school.name in html
    if linked:
        assert client.get(school_url(other_school)).status_code == 200
    else:
        assert client.get(school_url(other_school)).status_code == 404


def test_the_pool_links_no_school_the_lead_may_not_see(client, teaching_school_lead, teaching_school_org):
    elsewhere = SchoolFactory()
    DesignationFactory(school=elsewhere, designating_organisation=teaching_school_org)

    html = page(client, teaching_school_lead, reverse("pool:index"))

    assert school_url(elsewhere) not in html


# "Your own deployments" and a leader's way to their deployment -------------------------------------


@pytest.mark.parametrize("persona", ["la_officer", "commissioner", "school_leader"])
def test_people_whose_list_is_support_to_their_schools_are_not_offered_their_own_deployments(
    client, request, persona, leader_deployment
):
    html = page(client, request.getfixturevalue(persona), reverse("deployments:deployment-list"))

    assert reverse("deployments:mine") not in html
    assert reverse("deployments:unavailability") not in html


def test_a_leader_reaches_their_deployment_from_the_navigation(client, leader, leader_deployment):
    html = page(client, leader, reverse("designations:designation-list"))
    mine = reverse("deployments:mine")
    assert f'href="{mine}"' in html  # the Support section, whose first page this is

    listed = page(client, leader, mine)

    detail = reverse("deployments:deployment-detail", args=[leader_deployment.pk])
    assert detail in listed
    assert reverse("deployments:unavailability") in listed
    assert client.get(detail).status_code == 200


def test_named_staff_without_a_designation_are_not_sent_to_record_unavailability(
    client, leader_deployment
):
    from deployments.models import AgreementStaff
    from tests.factories import UserFactory

    deputy = UserFactory(email="deputy@example.org")
    AgreementStaff.objects.create(
        agreement=leader_deployment.agreements.get(), name="Dee Deputy", role="Deputy head", user=deputy
    )

    html = page(client, deputy, reverse("deployments:mine"))

    assert reverse("deployments:deployment-detail", args=[leader_deployment.pk]) in html
    assert reverse("deployments:unavailability") not in html
