"""A local authority officer signs in, filters their schools and reads an Ofsted grade."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from accounts.choices import Role
from schools.choices import Grade, Phase
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, graded_inspection
from tests.factories.accounts import DEFAULT_PASSWORD


@pytest.fixture
def norfolk_schools(home_la, home_la_org, other_la):
    MembershipFactory(
        user=UserFactory(email="la.officer@norfolk.demo", full_name="Lee Officer"),
        organisation=home_la_org, role=Role.LA_OFFICER,
    )
    primary = SchoolFactory(local_authority=home_la, name="Aylsham Primary School", phase=Phase.PRIMARY)
    graded_inspection(primary, Grade.GOOD, on=datetime.date(2023, 3, 14))
    secondary = SchoolFactory(local_authority=home_la, name="Cromer Academy", phase=Phase.SECONDARY)
    graded_inspection(secondary, Grade.OUTSTANDING, on=datetime.date(2022, 11, 2))
    suffolk = SchoolFactory(local_authority=other_la, name="Beccles Free School", phase=Phase.SECONDARY)
    graded_inspection(suffolk, Grade.INADEQUATE)
    return {"primary": primary, "secondary": secondary, "suffolk": suffolk}


@pytest.mark.browser
def test_la_officer_finds_a_secondary_school_and_its_ofsted_grade(live_server, page: Page, norfolk_schools):
    page.goto(f"{live_server.url}/")

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email address").fill("la.officer@norfolk.demo")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    expect(page.get_by_text("You have no tasks")).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Schools").click()

    expect(page.get_by_role("heading", name="Schools", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Aylsham Primary School")).to_be_visible()
    expect(page.get_by_text("Beccles Free School")).to_have_count(0)

    page.get_by_label("Secondary", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_role("link", name="Aylsham Primary School")).to_have_count(0)
    page.get_by_role("link", name="Cromer Academy").click()

    expect(page.get_by_role("heading", name="Cromer Academy")).to_be_visible()
    expect(page.get_by_role("heading", name="2 November 2022: Outstanding")).to_be_visible()
