"""People's data in the browser: the privacy notice signed out; a person downloads their data from
Your account; a national administrator finds a person, makes them a copy (after an error for the
missing reference), corrects their email and erases them. Every page is checked with axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from designations.models import Designation
from tests.factories import UserFactory
from tests.factories.designations import ApplicationFactory

from .conftest import assert_accessible
from .test_designation_journey import sign_in

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_the_privacy_notice_and_a_persons_own_copy(page: Page, live_server, school_leader):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Privacy").click()
    expect(page.get_by_role("heading", name="Privacy notice")).to_be_visible()
    rule = "Unsuccessful applications, their evidence and references"
    expect(page.get_by_role("cell", name=rule)).to_be_visible()
    assert_accessible(page)

    sign_in(page, live_server.url, school_leader.email)
    page.goto(f"{live_server.url}{reverse('accounts:you')}")
    assert_accessible(page)
    page.get_by_role("link", name="Download a copy of your data").click()
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download your data").click()
    assert download.value.suggested_filename.endswith(".zip")


def test_an_administrator_copies_corrects_and_erases_a_persons_data(page: Page, live_server, national_admin):
    ada = UserFactory(full_name="Ada Lovelace", email="ada@subject.example.org")
    ApplicationFactory(applicant=ada, state="rejected")
    assert not Designation.objects.filter(holder=ada).exists()
    sign_in(page, live_server.url, national_admin.email)
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="People's data").click()
    assert_accessible(page)
    page.get_by_label("Name or email address").fill("lovelace")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Ada Lovelace").click()
    assert_accessible(page)

    page.get_by_role("button", name="Make a copy").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the reference of the person's request")
    assert_accessible(page)
    page.get_by_label("Reference of the person's request").fill("Email to the DPO, 1 December")
    with page.expect_download() as download:
        page.get_by_role("button", name="Make a copy").click()
    assert download.value.suggested_filename.endswith(".zip")

    page.goto(f"{live_server.url}{reverse('dataprotection:person', args=[ada.pk])}")
    page.get_by_role("link", name="Correct their name, email address or phone").click()
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("ada.king@subject.example.org")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("corrected")

    page.get_by_role("link", name="Erase this person's data").click()
    expect(page.get_by_role("heading", name="What must be kept, and why")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reference of the person's request").fill("Letter of 2 December")
    page.get_by_role("button", name="Erase this person").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been erased")
    assert_accessible(page)
