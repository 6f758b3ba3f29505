"""A headteacher applies to be an LLE, their referee responds, an administrator designates them."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from designations.choices import LeadershipRole
from designations.models import Application, DesignationType, RefereeRequest
from designations.services.applications import referee_token
from schools.choices import Grade
from tests.factories import SchoolFactory, UserFactory, graded_inspection
from tests.factories.accounts import DEFAULT_PASSWORD
from tests.factories.designations import ApplicationRoundFactory, LeadershipPostFactory

DECLARATIONS = [
    "You expect to stay at your school for at least 2 more years",
    "Your governing body and local authority support your application",
]
EVIDENCE = "Coaching or mentoring experience with a head or senior leader outside your school"
REFEREE = "Your local authority referee supports your application"


@pytest.fixture
def lle_round_and_headteacher(home_la):
    school = SchoolFactory(local_authority=home_la, name="Holt Primary School")
    graded_inspection(school, Grade.OUTSTANDING)
    headteacher = UserFactory(email="hilary.head@holt.demo", full_name="Hilary Head")
    LeadershipPostFactory(
        person=headteacher,
        school=school,
        role=LeadershipRole.HEADTEACHER,
        started_on=datetime.date.today() - datetime.timedelta(days=5 * 366),
    )
    lle = DesignationType.objects.get(code="LLE")
    return ApplicationRoundFactory(designation_type=lle, name="LLE round 2026"), headteacher


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def apply(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}{reverse('applications:rounds')}")
    page.get_by_role("link", name="Start application for LLE round 2026").click()
    expect(page.get_by_text("You are applying from Holt Primary School.")).to_be_visible()
    page.get_by_role("button", name="Start application").click()
    expect(page.get_by_role("heading", name="Local leader of education application")).to_be_visible()

    page.get_by_role("link", name="Your statement").click()
    page.get_by_label("Your statement").fill("I have coached two new headteachers through their first year.")
    save_and_continue(page)
    page.get_by_role("link", name=EVIDENCE).click()
    page.get_by_label("Describe your evidence").fill("Mentored the head of Cley Primary for two years.")
    save_and_continue(page)
    for declaration in DECLARATIONS:
        page.get_by_role("link", name=declaration).click()
        page.get_by_label("I confirm this is true").check()
        save_and_continue(page)
    page.get_by_role("link", name="Referee", exact=True).click()
    page.get_by_label("Full name").fill("Robin Referee")
    page.get_by_label("Email address").fill("robin.referee@norfolk.demo")
    page.get_by_label("Job title").fill("School improvement adviser")
    # An LLE's referee works for a local authority: the applicant chooses it.
    page.get_by_label("Which local authority does your referee work for?").select_option(index=1)
    save_and_continue(page)

    page.get_by_role("link", name="Check your answers").click()
    expect(
        page.get_by_role("heading", name="Check your answers before submitting your application")
    ).to_be_visible()
    expect(page.get_by_text("robin.referee@norfolk.demo")).to_be_visible()
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("Your application has been submitted")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Awaiting referee")).to_be_visible()


def give_reference(page: Page, base_url: str) -> None:
    token = referee_token(RefereeRequest.objects.get(email="robin.referee@norfolk.demo"))
    page.goto(f"{base_url}{reverse('applications:referee-link', args=[token])}")
    page.get_by_label("I support this application").check()
    page.get_by_label("Your evidence of the applicant's impact").fill("Hilary turned round Cley Primary.")
    page.get_by_role("button", name="Send reference").click()
    expect(page.get_by_role("heading", name="Reference sent")).to_be_visible()


def assess_and_designate(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}{reverse('applications:assess-queue')}")
    page.get_by_role("link", name="Hilary Head").click()
    expect(page.get_by_role("heading", name="Hilary Head")).to_be_visible()
    for label in [EVIDENCE, *DECLARATIONS, REFEREE]:
        page.get_by_label(f"Met: {label}", exact=True).check()
        page.get_by_label(f"Your note on {label}").fill("Confirmed by the evidence and the reference.")
        page.get_by_role("button", name=f"Save judgement of {label}").click()
        expect(page.get_by_text(f"Your judgement of “{label}” is recorded.")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", name="Are you sure you want to approve Hilary Head?")).to_be_visible()
    page.get_by_role("button", name="Yes, approve").click()
    expect(page.get_by_text("The application is now: approved, training to complete.")).to_be_visible()
    page.get_by_role("button", name="Designate").click()
    page.get_by_role("button", name="Yes, designate").click()
    expect(page.get_by_text("The application is now: designated.")).to_be_visible()
    expect(page.get_by_text("Not yet usable for deployment: training to record.")).to_be_visible()
    for training in ["Half-day induction", "Two consecutive training days"]:
        page.get_by_label(training).check()
        completed = page.get_by_role("group", name="Date completed")
        today = datetime.date.today()
        completed.get_by_label("Day").fill(str(today.day))
        completed.get_by_label("Month").fill(str(today.month))
        completed.get_by_label("Year").fill(str(today.year))
        page.get_by_role("button", name="Record training").click()
        expect(page.get_by_text(f"Training recorded: {training}.")).to_be_visible()
    expect(page.get_by_text("Not yet usable for deployment")).to_have_count(0)


@pytest.mark.browser
def test_a_headteacher_applies_and_an_administrator_designates_them(
    live_server, page: Page, new_page, lle_round_and_headteacher, national_admin
):
    _, headteacher = lle_round_and_headteacher
    sign_in(page, live_server.url, headteacher.email)
    apply(page, live_server.url)

    referee_page = new_page()
    give_reference(referee_page, live_server.url)

    admin_page = new_page()
    sign_in(admin_page, live_server.url, national_admin.email)
    assess_and_designate(admin_page, live_server.url)

    page.reload()
    expect(page.locator(".govuk-tag", has_text="Designated")).to_be_visible()
    application = Application.objects.get(applicant=headteacher)
    assert application.designation.is_deployable
