"""Contact between the parties: each party of a deployment sees the others' named contacts on its
page, nobody else sees them; and before an agreement is sent its page shows, for each party, who
there can agree (or that nobody can yet)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from deployments.choices import AgreementStatus
from deployments.models import AgreementStaff
from deployments.queries import party_people
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.deployments import AgreementFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def leader_head(lle_leader):
    """The head of the leader's school: they agree for it."""
    school = lle_leader.school
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, name=school.name, school=school)
    return MembershipFactory(
        user=UserFactory(full_name="Helen Head", email="helen.head@leaderschool.example.org"),
        organisation=organisation,
        role=Role.SCHOOL_LEADER,
    ).user


@pytest.fixture
def deputy(home_deployment):
    """A named member of staff of the leader's school, with an account."""
    user = UserFactory(full_name="Dee Deputy", email="dee.deputy@leaderschool.example.org")
    AgreementStaff.objects.create(
        agreement=home_deployment.agreements.get(), name="Dee Deputy", role="Deputy head", user=user
    )
    return user


@pytest.fixture
def unrelated_head(db):
    school = SchoolFactory(name="Unrelated Primary")
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, name=school.name, school=school)
    return MembershipFactory(organisation=organisation, role=Role.SCHOOL_LEADER).user


def deployment_page(client, user, deployment):
    client.force_login(user)
    return client.get(reverse("deployments:deployment-detail", args=[deployment.pk]))


# --- who sees contacts on the deployment page ----------------------------------------------------

# Every persona that can open the deployment sees every party's contacts; the rest see no page.
SEES = ["la_officer", "school_leader", "commissioner", "leader", "leader_head", "deputy", "national_admin"]
DOES_NOT_SEE = ["outsider", "other_la_officer", "unrelated_head"]


@pytest.mark.parametrize("persona", SEES)
def test_each_party_sees_the_others_named_contacts(
    client, request, home_deployment, school_leader, commissioner, leader, leader_head, deputy, persona
):
    response = deployment_page(client, request.getfixturevalue(persona), home_deployment)

    assert response.status_code == 200
    body = response.content.decode()
    for person in (school_leader, commissioner, leader, leader_head, deputy):
        assert f'href="mailto:{person.email}"' in body
    assert "Dee Deputy, Deputy head" in body


@pytest.mark.parametrize("persona", DOES_NOT_SEE)
def test_people_outside_the_deployment_see_no_contacts(
    client, request, home_deployment, school_leader, commissioner, leader, leader_head, persona
):
    response = deployment_page(client, request.getfixturevalue(persona), home_deployment)

    assert response.status_code == 404
    body = response.content.decode()
    for person in (school_leader, commissioner, leader, leader_head):
        assert person.email not in body


def test_a_person_without_an_active_account_is_not_a_contact(
    client, la_officer, home_deployment, school_leader
):
    school_leader.is_active = False
    school_leader.save()
    body = deployment_page(client, la_officer, home_deployment).content.decode()
    assert school_leader.email not in body
    assert "Nobody at Home Primary School can agree yet." in body


# --- who can agree, before the agreement is sent -------------------------------------------------


@pytest.fixture
def draft(proposed_deployment):
    starts_on = TODAY + datetime.timedelta(days=14)
    return AgreementFactory(
        deployment=proposed_deployment,
        status=AgreementStatus.DRAFT,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=180),
        days_per_week=Decimal("1.0"),
        agreed_at=None,
    )


def test_the_parties_panel_names_who_can_agree_for_each_party(
    client, la_officer, commissioner, school_leader, leader, leader_head, draft
):
    client.force_login(la_officer)
    response = client.get(reverse("deployments:agreement-version", args=[draft.deployment_id, 1]))

    body = response.content.decode()
    assert "Who can agree" in body
    rows = {row.key: row for row in response.context["party_rows"]}
    assert rows["supported_school"].people == [school_leader]
    assert set(rows["leader_school"].people) == {leader, leader_head}
    assert set(rows["commissioner"].people) == {la_officer, commissioner}
    assert rows["leader"].people == [leader]
    assert "Nobody at" not in body
    assert f"{leader.full_name} (the leader)" in body


def test_a_party_with_nobody_who_can_agree_is_warned_about(client, la_officer, draft, proposed_deployment):
    client.force_login(la_officer)
    for name in ("agreement-version", "agreement-send"):
        response = client.get(reverse(f"deployments:{name}", args=[proposed_deployment.pk, 1]))
        body = response.content.decode()
        assert "Nobody at Home Primary School can agree yet." in body
        assert 'class="govuk-warning-text' in body
    row = next(r for r in party_people(proposed_deployment) if r.key == "supported_school")
    assert row.nobody_can_agree and row.place == "Home Primary School"


def test_the_leader_alone_can_agree_for_a_school_with_no_accounts(proposed_deployment, leader):
    rows = {row.key: row for row in party_people(proposed_deployment)}
    assert rows["leader_school"].people == [leader] and not rows["leader_school"].nobody_can_agree


def test_the_parties_panel_is_gone_once_the_version_is_agreed(client, la_officer, home_deployment):
    client.force_login(la_officer)
    response = client.get(reverse("deployments:agreement-version", args=[home_deployment.pk, 1]))
    assert response.context["party_rows"] == []
    assert "Who can agree" not in response.content.decode()


def test_party_people_costs_two_queries(
    proposed_deployment, school_leader, commissioner, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the people who can agree, and the invitations pending
        party_people(proposed_deployment)


def test_the_send_page_says_once_that_an_outside_agreement_can_be_recorded(
    client, la_officer, draft, proposed_deployment
):
    client.force_login(la_officer)
    send_page = reverse("deployments:agreement-send", args=[proposed_deployment.pk, 1])
    body = client.get(send_page).content.decode()

    assert body.count("you can record an agreement a party gives outside the service") == 1
