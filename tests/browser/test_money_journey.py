"""The money of a deployment, end to end in the browser: the leader's school's business manager
claims the time and the backfill with its invoice; the commissioner asks for more, the school
answers, two people at the commissioner approve and one records the payment, whose remittance
advice opens from the money page; a national administrator samples the paid claim, the school
gives its evidence, the sample fails and a second administrator approves the clawback.

Every page visited passes axe-core, none breaks the Content-Security-Policy, and none scrolls
sideways at 320 pixels wide."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.choices import Role
from funding.choices import ClaimState, ClawbackState
from funding.models import Claim, Clawback
from tests.factories import MembershipFactory
from tests.factories.funding import ClaimSetting

from .conftest import assert_accessible
from .test_designation_journey import sign_in

pytestmark = pytest.mark.browser

PDF = {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% an invoice\n"}
NARROW = 320


@pytest.fixture
def setting(settings):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "100"
    claim_setting = ClaimSetting.create()
    claim_setting.cost_line(
        kind="backfill",
        description="Cover for the leader's class",
        days=Decimal("5"),
        day_rate=Decimal("150"),
    )
    claim_setting.log_days(3)
    return claim_setting


def check(page: Page) -> None:
    """axe-core passes, and the page does not scroll sideways on a small phone."""
    assert_accessible(page)
    wide = page.viewport_size
    page.set_viewport_size({"width": NARROW, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(wide)
    assert width <= NARROW, f"{page.url} is {width}px wide at {NARROW}px"


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def person(new_page, live_server, user) -> Page:
    page = new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server.url, user.email)
    expect(page.get_by_role("heading", name="Your tasks")).to_be_visible()
    check(page)
    return page


def go_to(page: Page, name: str) -> None:
    """A page of the Support section (the section's link opens its first page, and a section of
    one page has no sub-navigation)."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Support").click()
    page.wait_for_load_state()
    section = page.get_by_role("navigation", name="Support")
    if section.count():
        section.get_by_role("link", name=name, exact=True).click()


def open_task(page: Page, what: str) -> None:
    """From the home page, which lists what waits for the person."""
    page.goto("/".join(page.url.split("/")[:3]) + "/")
    page.get_by_role("link", name=what).click()


def claim_action(page: Page, link: str, button: str, done: str) -> None:
    page.get_by_role("navigation", name="Actions").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=link)).to_be_visible()
    check(page)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text(done)).to_be_visible()
    check(page)


def make_the_claim(page: Page, setting: ClaimSetting) -> None:
    """The business manager, from the claims list to a submitted claim, with its error states."""
    deployment = setting.deployment
    go_to(page, "Claims")
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    check(page)
    page.locator("#claimable").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Claims for this deployment")).to_be_visible()
    expect(page.get_by_text("No claims have been made for this deployment yet.")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Make a claim").click()
    expect(page.get_by_role("heading", name="Make a claim")).to_be_visible()
    check(page)

    # The period left empty: the error summary links to each date.
    page.get_by_role("button", name="Work out the claim").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Enter the start of the period")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter the end of the period")).to_be_visible()
    check(page)
    summary.get_by_role("link", name="Enter the start of the period").click()
    expect(page.get_by_role("group", name="Start of the period").get_by_label("Day")).to_be_focused()

    start, end = deployment.starts_on, timezone.localdate()
    fill_date(page, "Start of the period", start)
    fill_date(page, "End of the period", end)
    page.get_by_role("button", name="Work out the claim").click()
    expect(page.get_by_role("heading", name="2. Check your claim")).to_be_visible()
    expect(page.get_by_text("3 days over 3 entries")).to_be_visible()
    expect(page.get_by_text("are approved by two people at the commissioner")).to_be_visible()
    check(page)

    # Backfill days without the invoice, and no confirmation: two errors, the days kept.
    backfill = page.get_by_label("Days of cover for the leader's class (optional)")
    backfill.fill("2")
    page.get_by_role("button", name="Submit the claim").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="upload the invoice or timesheet for this cost")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Confirm the time and costs claimed were delivered")
    ).to_be_visible()
    expect(backfill).to_have_value("2")
    check(page)

    page.locator("input[type=file]").set_input_files(PDF)
    page.get_by_label("Anything the commissioner should know (optional)").fill("Three visits in the term.")
    page.get_by_label("I confirm the time and costs claimed were delivered").check()
    page.get_by_role("button", name="Submit the claim").click()
    expect(page.get_by_text("is submitted: the commissioner has been told")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Submitted")).to_be_visible()
    expect(page.get_by_role("link", name="invoice.pdf")).to_be_visible()
    check(page)


def test_a_claim_is_made_decided_paid_and_assured(live_server, new_page, setting):
    sbm = person(new_page, live_server, setting.business_manager)
    make_the_claim(sbm, setting)
    claim = Claim.objects.get()
    assert claim.state == ClaimState.SUBMITTED
    assert claim.total > Decimal("100")
    reference = claim.reference

    # The commissioner asks for more information; the business manager answers.
    commissioner = person(new_page, live_server, setting.commissioner)
    open_task(commissioner, "Claims to decide: approve, ask for information or reject")
    expect(commissioner.get_by_role("heading", name=f"Claim {reference}")).to_be_visible()
    check(commissioner)
    commissioner.get_by_role("link", name="Ask for more information").click()
    commissioner.get_by_role("button", name="Send the request").click()
    expect(commissioner.locator(".govuk-error-summary")).to_contain_text("Say what information you need")
    check(commissioner)
    commissioner.get_by_label("What information do you need?").fill("Which days were the visits?")
    commissioner.get_by_role("button", name="Send the request").click()
    expect(
        commissioner.get_by_text("The claiming school has been asked for more information.")
    ).to_be_visible()

    open_task(sbm, "Claims to answer: give the information asked for")
    expect(sbm.get_by_text("Which days were the visits?").first).to_be_visible()
    check(sbm)
    sbm.get_by_role("navigation", name="Actions").get_by_role("link", name="Give the information").click()
    check(sbm)
    sbm.get_by_label("Your answer").fill("The first three school days of the period.")
    sbm.get_by_role("button", name="Send and resubmit the claim").click()
    expect(sbm.get_by_text("Your answer is sent: the claim is back with the commissioner.")).to_be_visible()
    check(sbm)

    # Two people at the commissioner approve; the first records the payment.
    commissioner.reload()
    claim_action(
        commissioner, "Approve this claim", "Approve the claim", "a second person must now approve the claim"
    )
    expect(commissioner.locator(".govuk-tag", has_text="Awaiting second approval")).to_be_visible()
    second = person(new_page, live_server, setting.second_commissioner)
    open_task(second, "Claims to decide: give the second approval")
    claim_action(second, "Approve this claim", "Approve the claim", "The claim is approved")

    commissioner.reload()
    commissioner.get_by_role("navigation", name="Actions").get_by_role(
        "link", name="Record the payment"
    ).click()
    check(commissioner)
    fill_date(commissioner, "Date paid", timezone.localdate())
    commissioner.get_by_label("Payment reference").fill("BACS-0001")
    commissioner.get_by_role("button", name="Record the payment").click()
    expect(commissioner.get_by_text("The payment is recorded: the claim is paid.")).to_be_visible()
    expect(commissioner.locator(".govuk-tag", has_text="Paid")).to_be_visible()
    history = commissioner.locator("#history")
    for step in ("Submitted", "Information requested", "Information given", "Approved", "Paid"):
        expect(history.get_by_role("heading", name=step).first).to_be_visible()
    check(commissioner)

    go_to(commissioner, "Money")
    check(commissioner)
    commissioner.locator("#payments ~ .app-table-scroll").get_by_role("link", name="BACS-0001").click()
    expect(commissioner.get_by_role("heading", name="Remittance advice")).to_be_visible()
    expect(commissioner.get_by_text(reference).first).to_be_visible()
    check(commissioner)

    # A national administrator samples every paid claim; the school gives its evidence; it fails.
    administrator = person(new_page, live_server, setting.administrator)
    go_to(administrator, "Claims assurance")
    check(administrator)
    administrator.get_by_role("link", name="Draw a sample").click()
    check(administrator)
    administrator.get_by_label("Share of paid claims to sample, in percent").fill("")
    administrator.get_by_role("button", name="Draw the sample").click()
    expect(administrator.get_by_role("link", name="Enter the share to sample")).to_be_visible()
    check(administrator)
    administrator.get_by_label("Share of paid claims to sample, in percent").fill("100")
    administrator.get_by_label("Seed", exact=True).fill("42")
    administrator.get_by_role("button", name="Draw the sample").click()
    expect(administrator.get_by_text("The sample is drawn")).to_be_visible()
    check(administrator)

    open_task(sbm, "Give the evidence for a sampled claim")
    expect(sbm.get_by_role("heading", name=f"Evidence for claim {reference}")).to_be_visible()
    check(sbm)
    sbm.locator("input[type=file]").set_input_files({**PDF, "name": "timesheet.pdf"})
    sbm.get_by_role("button", name="Send the evidence").click()
    expect(sbm.locator(".govuk-notification-banner--success")).to_be_visible()
    check(sbm)

    administrator.get_by_role("link", name=reference).click()
    expect(administrator.get_by_role("link", name="timesheet.pdf")).to_be_visible()
    check(administrator)
    administrator.get_by_label("Failed: open a clawback").check()
    administrator.get_by_label("Note").fill("The timesheet does not show the backfill.")
    administrator.get_by_label("Amount to claw back, in pounds (if it failed)").fill("300")
    administrator.get_by_role("button", name="Record the outcome").click()
    expect(administrator.get_by_role("heading", name="Clawback")).to_be_visible()
    check(administrator)

    other = MembershipFactory(
        organisation=setting.administrator.memberships.get().organisation, role=Role.NATIONAL_ADMINISTRATOR
    ).user
    second_administrator = person(new_page, live_server, other)
    open_task(second_administrator, "Approve the clawback (second administrator)")
    expect(second_administrator.get_by_role("heading", name="Approve the clawback")).to_be_visible()
    check(second_administrator)
    second_administrator.get_by_role("button", name="Approve and ask the school to repay").click()
    expect(second_administrator.get_by_text("The clawback is approved")).to_be_visible()
    check(second_administrator)

    claim.refresh_from_db()
    assert claim.state == ClaimState.PAID
    assert claim.approvals.count() == 2
    clawback = Clawback.objects.get()
    assert (clawback.state, clawback.amount) == (ClawbackState.REQUESTED, Decimal("300.00"))
