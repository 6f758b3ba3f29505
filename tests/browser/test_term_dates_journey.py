"""A local authority officer gives their authority its own half term for 2026 to 2027, starting
from a copy of the national default, and the national default stays as it was."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from accounts.choices import Role
from schooldays.calendar import count_school_days
from schooldays.models import TermPeriod
from tests.factories import MembershipFactory, UserFactory
from tests.factories.accounts import DEFAULT_PASSWORD

from .conftest import assert_accessible


@pytest.fixture
def norfolk_officer(home_la_org):
    return MembershipFactory(
        user=UserFactory(email="la.officer@norfolk.demo", full_name="Lee Officer"),
        organisation=home_la_org, role=Role.LA_OFFICER,
    ).user


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


@pytest.mark.browser
def test_la_officer_overrides_a_term_date(live_server, new_page, norfolk_officer, home_la):
    page = new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email address").fill("la.officer@norfolk.demo")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Support").click()
    page.get_by_role("navigation", name="Support").get_by_role("link", name="Term dates").click()
    expect(page.get_by_role("heading", name="Term dates", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="2026 to 2027").click()

    expect(page.get_by_role("heading", name="Term dates for 2026 to 2027")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Norfolk").click()
    expect(page.get_by_text("Norfolk follows the national default this year.")).to_be_visible()
    page.get_by_role("link", name="Set Norfolk's own term dates").click()

    expect(page.get_by_role("heading", name="Set Norfolk's own term dates for 2026 to 2027?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Set own term dates").click()
    expect(page.get_by_text("Norfolk now has its own term dates for 2026 to 2027")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change Autumn 1").click()
    expect(page.get_by_role("heading", name="Change Autumn 1")).to_be_visible()
    fill_date(page, "Last day", datetime.date(2026, 8, 16))  # a mistake: August, before the year starts
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    problem = "The last day must be in the 2026 to 2027 school year"
    expect(page.get_by_role("link", name=problem)).to_be_visible()
    assert_accessible(page)

    fill_date(page, "Last day", datetime.date(2026, 10, 16))
    page.get_by_role("button", name="Save").click()
    changed = "Autumn 1 (3 September 2026 to 16 October 2026) has been changed."
    expect(page.get_by_text(changed)).to_be_visible()
    expect(page.get_by_role("cell", name="Friday 16 October 2026")).to_be_visible()

    national = TermPeriod.objects.filter(local_authority__isnull=True, school_year__starts_in=2026)
    assert national.get(name="Autumn 1").ends_on == datetime.date(2026, 10, 23)
    week = (datetime.date(2026, 10, 19), datetime.date(2026, 10, 23))
    assert count_school_days(*week, home_la) == 0
    assert count_school_days(*week, None) == 5
