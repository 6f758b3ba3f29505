"""From no account to an agreed deployment: an LA officer invites the head of a supported school
that has nobody in the service, the head accepts and sets a password, finds the agreement on their
tasks page and agrees it; the leader agrees for their school and the commissioner agrees last.
Each person starts signed out; every page on the way is checked with axe-core."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.choices import Role
from brokerage.choices import RequestStatus
from deployments.choices import DeploymentState
from deployments.models import Deployment
from designations.models import DesignationType
from tests.factories import SchoolFactory, UserFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import draft_phonics_agreement, proposed_deployment
from tests.factories.designations import DesignationFactory

from .conftest import assert_accessible
from .test_designation_journey import sign_in

pytestmark = pytest.mark.browser

HEAD_EMAIL = "hana.head@home.example.org"
HEAD_PASSWORD = "reading-lessons-every-day"


@pytest.fixture
def sent_later(home_school, home_la, home_la_org, la_officer):
    """A proposed LLE deployment at home_school (which has no users) with its agreement drafted."""
    home_school.head_first_name, home_school.head_last_name = "Hana", "Head"
    home_school.save()
    leader_school = SchoolFactory(local_authority=home_la, name="Leader Primary School")
    designation = DesignationFactory(
        designation_type=DesignationType.objects.get(code="LLE"),
        school=leader_school,
        availability_days_per_week=Decimal("2"),
        holder=UserFactory(full_name="Lee Leader", email="lee.leader@leader.example.org"),
    )
    request = SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=home_la_org, status=RequestStatus.OPEN
    )
    deployment = proposed_deployment(request, designation)
    start = datetime.date.today() + datetime.timedelta(days=14)
    draft_phonics_agreement(deployment, actor=la_officer, starts_on=start)
    return deployment


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def agree_from_the_tasks_page(page: Page, party_label: str) -> None:
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Agree the support agreement")).first.click()
    assert_accessible(page)
    page.get_by_role("button", name=f"Agree as {party_label}").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You agreed version 1")


def test_an_officer_brings_in_the_supported_schools_head_and_the_deployment_is_agreed(
    page: Page, live_server, la_officer, commissioner, sent_later
):
    base, deployment = live_server.url, sent_later
    agreement_url = f"{base}{reverse('deployments:agreement-version', args=[deployment.pk, 1])}"

    # The officer (the broker) sees that nobody at the school can agree, invites its head, and sends.
    sign_in(page, base, la_officer.email)
    page.goto(agreement_url)
    expect(page.get_by_text("Nobody at Home Primary School can agree yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Invite someone who can agree for the supported school").click()
    expect(page.get_by_text("names Hana Head")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill(HEAD_EMAIL)
    page.get_by_label("Headteacher").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {HEAD_EMAIL}")).to_be_visible()
    expect(page.get_by_text("Invited, not yet accepted")).to_be_visible()
    page.get_by_role("link", name="Send for agreement").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send for agreement").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    sign_out(page)

    # The head follows the emailed link, creates an account, and agrees from their tasks page.
    invitation_email = next(m for m in mail.outbox if m.to == [HEAD_EMAIL])
    link = re.search(r"https?://\S+/accounts/invitations/\S+/", invitation_email.body).group(0)
    page.goto(base + link[link.index("/accounts/") :])
    expect(page.get_by_role("heading", name="Join Home Primary School")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Hana Head")
    page.get_by_label("Create a password").fill(HEAD_PASSWORD)
    page.get_by_label("Confirm").fill(HEAD_PASSWORD)
    page.get_by_role("button", name="Create account and join").click()
    agree_from_the_tasks_page(page, "the supported school")
    sign_out(page)

    # The head can sign in again with the password they chose.
    page.get_by_label("Email address").fill(HEAD_EMAIL)
    page.get_by_label("Password").fill(HEAD_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    sign_out(page)

    # The leader agrees for their school; the commissioner agrees last.
    sign_in(page, base, "lee.leader@leader.example.org")
    agree_from_the_tasks_page(page, "the leader's school")
    sign_out(page)
    sign_in(page, base, commissioner.email)
    agree_from_the_tasks_page(page, "the commissioner")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "All three parties have agreed"
    )

    deployment.refresh_from_db()
    assert deployment.state in {DeploymentState.AGREED, DeploymentState.ACTIVE}
    assert Deployment.objects.get(pk=deployment.pk).leader.email == "lee.leader@leader.example.org"
    assert la_officer.memberships.filter(role=Role.LA_OFFICER).exists()
