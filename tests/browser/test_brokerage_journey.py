"""An LA officer raises a support request, sees ranked candidates with the reasons for their place,
proposes the best, and agrees the deployment for the commissioner once the schools have, accepting
explicitly that it is over the request's budget."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.choices import OrganisationKind, Role
from deployments import services
from deployments.choices import DeploymentState, Party
from deployments.models import Deployment
from designations.models import DesignationType
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.deployments import draft_phonics_agreement
from tests.factories.designations import DesignationFactory, SpecialismFactory

from .test_designation_journey import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def leaders(home_la, home_school):
    lle = DesignationType.objects.get(code="LLE")
    reading = SpecialismFactory(name="Early reading", slug="early-reading")

    def leader(name, km, specialisms):
        school = SchoolFactory(
            local_authority=home_la,
            name=f"{name} Primary",
            easting=home_school.easting + km * 1000,
            northing=home_school.northing,
        )
        designation = DesignationFactory(
            designation_type=lle,
            school=school,
            availability_days_per_week=Decimal("2"),
            holder=UserFactory(full_name=name),
        )
        designation.specialisms.set(specialisms)
        return designation

    return leader("Rosa Reading", 6, [reading]), leader("Far Away", 45, [])


def school_member(school, email):
    organisation = OrganisationFactory(
        kind=OrganisationKind.SCHOOL, name=f"{school.name} staff", school=school
    )
    return MembershipFactory(
        user=UserFactory(email=email), organisation=organisation, role=Role.SCHOOL_LEADER
    ).user


def test_an_la_officer_raises_a_request_and_agrees_a_deployment(
    page: Page, live_server, la_officer, home_school, leaders
):
    best, far = leaders
    base = live_server.url
    sign_in(page, base, la_officer.email)

    page.goto(f"{base}{reverse('brokerage:request-new')}")
    page.get_by_role("link", name=home_school.name).click()
    page.get_by_label("Title").fill("Early reading")
    page.get_by_label("What the school needs").fill("Phonics screening results fell two years running.")
    page.get_by_label("Early reading").check()
    page.get_by_label("Local leader of education (LLE)").check()
    page.get_by_label("Broker").select_option(label="Norfolk County Council (local authority)")
    page.get_by_label("Budget (£)").fill("2000")
    page.get_by_role("button", name="Raise the request").click()

    expect(page.get_by_role("heading", name="Early reading", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Candidates")).to_be_visible()
    first = page.locator(".app-candidates > li").first
    expect(first).to_contain_text("1. Rosa Reading")
    expect(first).to_contain_text("Specialisms match the needs: Early reading.")
    expect(first).to_contain_text("6.0 km from the school.")
    expect(page.locator(".app-candidates > li").nth(1)).to_contain_text("2. Far Away")
    page.get_by_role("link", name="Propose Rosa Reading").click()
    expect(page.get_by_role("heading", name="Are you sure you want to propose Rosa Reading?")).to_be_visible()
    page.get_by_role("button", name="Propose Rosa Reading").click()
    expect(page.get_by_text("Rosa Reading proposed")).to_be_visible()

    # The broker's agreement is drafted and the two schools agree (their own pages are tested elsewhere).
    deployment = Deployment.objects.get()
    agreement = draft_phonics_agreement(deployment, actor=la_officer, starts_on=datetime.date.today())
    # The broker adds supply cover, at its own rate, on the agreement form.
    page.goto(f"{base}{reverse('deployments:agreement-edit', args=[deployment.pk])}")
    page.get_by_role("button", name="Add a cost").click()
    page.get_by_label("What is it for?").select_option(label="Supply cover")
    page.get_by_label("Description (optional)").fill("Cover for the leader's class")
    page.locator("#id_cost_lines-0-days").fill("4")
    page.locator("#id_cost_lines-0-day_rate").fill("200")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("#costs")).to_contain_text("Cover for the leader's class")
    expect(page.locator("#costs")).to_contain_text("£800.00")
    agreement.refresh_from_db()
    services.send_for_agreement(agreement, actor=la_officer)
    services.agree(
        agreement, actor=school_member(home_school, "head@home.example.org"), party=Party.SUPPORTED_SCHOOL
    )
    services.agree(agreement, actor=best.holder, party=Party.LEADER_SCHOOL)

    # Half a day a week for 26 weeks at £400 a day is over the £2,000 budget, however many of those
    # weeks are school weeks (term dates, holidays): the commissioner sees
    # by how much, and agrees only once they accept the overrun.
    total = agreement.cost_summary().total
    over = f"£{total - 2000:,.2f}"
    page.goto(f"{base}{reverse('deployments:agreement-detail', args=[deployment.pk])}")
    expect(page.locator("#costs-total")).to_have_text(f"£{total:,.2f}")
    expect(page.locator("#overrun")).to_contain_text(f"{over} over the £2,000.00 budget")
    page.get_by_role("button", name="Agree as the commissioner").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"accept the overrun of {over}")
    page.get_by_label(f"I accept the overrun of {over}").check()
    page.get_by_role("button", name="Agree as the commissioner").click()
    expect(page.get_by_text(f"accepted the overrun of {over}")).to_be_visible()
    page.goto(f"{base}{reverse('deployments:deployment-detail', args=[deployment.pk])}")
    expect(page.locator(".govuk-tag", has_text="Active").first).to_be_visible()
    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.ACTIVE
