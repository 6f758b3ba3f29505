"""The money pages: who may open them, the year's figures, the claims and payments CSVs, the export
of approved claims (marked exported) and the payment file import (a report per row, nothing paid
twice), and the remittance advice (who sees it)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from deployments.models import Agreement
from funding.choices import ClaimAction, ClaimState, PaymentMethod
from funding.finance import financial_year_of
from funding.models import Claim, Payment
from spreadsheets import filename_part
from tests.factories import MembershipFactory, OrganisationFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import DeploymentFactory
from tests.factories.finance import DAY_RATE, at, claims_in_every_state, csv_upload, last_year, submitted_on
from tests.factories.funding import ClaimSetting

pytestmark = pytest.mark.django_db

MONEY = reverse("finance:money")
CLAIMS_CSV = reverse("finance:claims-csv")
PAYMENTS_CSV = reverse("finance:payments-csv")
EXPORT = reverse("finance:payment-export")
IMPORT = reverse("finance:payment-import")
HEADINGS = ["Claim reference", "Amount", "Paid on", "Payment reference"]
# Session, user, memberships; the agreed versions with their cost lines (one query), the term dates
# that pro-rate them, the claims' and payments' sums, the deployments and schools named; the payments
# page (count and rows) and the claims awaiting payment. The navigation's facts come with the user.
# (A rule that says no asks Django's model permissions nothing: accounts.backends.)
MONEY_PAGE_QUERIES = 12
CSV_QUERIES = 4  # session, user, memberships, the rows (each chunk of them)


@pytest.fixture(autouse=True)
def _two_approvals_above_100(settings):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "100"


@pytest.fixture
def setting() -> ClaimSetting:
    return ClaimSetting.create()


def lines_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def persona(setting: ClaimSetting, name: str):
    """The people of the claim setting, and some outside it."""
    if name == "other_la_officer":
        other = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY)
        return MembershipFactory(organisation=other, role=Role.LA_OFFICER).user
    if name == "other_school_head":
        return setting.supported_head
    return getattr(setting, name)


def today_text() -> str:
    return timezone.localdate().isoformat()


# --- who may open the pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("commissioner", 200),
        ("second_commissioner", 200),  # an LA officer of the commissioning authority
        ("administrator", 200),
        ("head", 403),
        ("business_manager", 403),
        ("other_school_head", 403),
        ("other_la_officer", 200),  # their own authority's money (none here)
    ],
)
@pytest.mark.parametrize("url", [MONEY, CLAIMS_CSV, PAYMENTS_CSV, EXPORT, IMPORT])
def test_the_money_pages_permission_matrix(client, setting, name, status, url):
    client.force_login(persona(setting, name))
    query = f"?org={setting.deployment.commissioner_id}" if name in {"administrator", "commissioner"} else ""
    assert client.get(url + query).status_code == status


@pytest.mark.parametrize("url", [MONEY, CLAIMS_CSV, EXPORT, IMPORT])
def test_signed_out_people_are_asked_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/" in response["Location"]


@pytest.mark.parametrize("url", [MONEY, CLAIMS_CSV, PAYMENTS_CSV, EXPORT, IMPORT])
def test_another_organisations_money_is_not_found(client, setting, url):
    other = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY)
    client.force_login(setting.commissioner)
    assert client.get(f"{url}?org={other.pk}").status_code == 404


def test_a_year_out_of_range_is_not_found(client, setting):
    client.force_login(setting.commissioner)
    assert client.get(f"{MONEY}?year=1990").status_code == 404
    assert client.get(f"{MONEY}?year=abc").status_code == 200  # not a year: the current one


def test_a_national_administrator_chooses_an_organisation(client, setting):
    DeploymentFactory()  # a second commissioner
    client.force_login(setting.administrator)
    page = client.get(MONEY)
    assert page.context["organisation"] is None
    assert setting.deployment.commissioner in page.context["organisations"]
    assert "Choose an organisation" in page.content.decode()


# --- the money page --------------------------------------------------------------------------------


def test_the_money_page_shows_the_years_figures_by_deployment_and_school(client, setting):
    year = last_year()
    claims = claims_in_every_state(setting, states=[ClaimState.PAID, ClaimState.SUBMITTED])
    submitted_on(claims.values(), at(datetime.date(year, 6, 1)))
    Payment.objects.update(paid_on=datetime.date(year, 7, 1))
    client.force_login(setting.commissioner)
    page = client.get(f"{MONEY}?year={year}")
    assert page.status_code == 200
    figures = page.context["figures"]
    assert (figures.totals.claimed, figures.totals.approved, figures.totals.paid) == (
        2 * DAY_RATE,
        DAY_RATE,
        DAY_RATE,
    )
    html = page.content.decode()
    assert 'id="by-deployment"' in html and 'id="by-school"' in html
    assert reverse("deployments:deployment-detail", args=[setting.deployment.pk]) in html
    payment = Payment.objects.get()
    assert reverse("finance:remittance", args=[payment.pk]) in html


def test_a_year_with_no_money_says_so(client, setting):
    Agreement.objects.update(starts_on=datetime.date(2001, 9, 3), ends_on=datetime.date(2001, 12, 14))
    client.force_login(setting.commissioner)
    page = client.get(MONEY)
    assert 'id="no-money"' in page.content.decode()
    assert "No payments were made" in page.content.decode()


def money_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{MONEY}?year={last_year()}").status_code == 200
    return len(queries)


def test_the_money_page_costs_the_same_queries_for_one_deployment_or_many(client, setting):
    year = last_year()

    def add(each):
        claims = claims_in_every_state(each, states=[ClaimState.PAID])
        submitted_on(claims.values(), at(datetime.date(year, 6, 1)))
        Payment.objects.update(paid_on=datetime.date(year, 7, 1))
        Agreement.objects.update(starts_on=datetime.date(year, 9, 1), ends_on=datetime.date(year, 12, 18))

    add(setting)
    client.force_login(setting.commissioner)
    one = money_page_queries(client)
    for _ in range(3):
        add(
            ClaimSetting.create(
                support_request=SupportRequestFactory(commissioner=setting.deployment.commissioner)
            )
        )
    assert len(client.get(f"{MONEY}?year={year}").context["figures"].by_deployment) == 4
    assert money_page_queries(client) == one == MONEY_PAGE_QUERIES


# --- the CSV files ---------------------------------------------------------------------------------


def test_the_claims_csv_lists_the_years_claims_with_their_payment(client, setting):
    year = last_year()
    claims = claims_in_every_state(setting, states=[ClaimState.PAID, ClaimState.REJECTED])
    submitted_on(claims.values(), at(datetime.date(year, 6, 1)))
    client.force_login(setting.commissioner)
    response = client.get(f"{CLAIMS_CSV}?year={year}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    organisation = filename_part(setting.deployment.commissioner.name)
    assert response["Content-Disposition"] == (
        f'attachment; filename="claims-{year}-{organisation}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    header, *rows = lines_of(response)
    assert header[:3] == ["Claim reference", "School URN", "School"]
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    paid = by_reference[claims[ClaimState.PAID].reference]
    assert paid["Amount"] == "450.00" and paid["State"] == "Paid"
    assert paid["Payment reference"] == f"PAY-{claims[ClaimState.PAID].pk}"
    assert paid["Approved"] and paid["Submitted"] == f"{year}-06-01"
    assert by_reference[claims[ClaimState.REJECTED].reference]["Approved"] == ""


def test_the_csv_files_are_safe_from_formula_injection(client, setting):
    claims = claims_in_every_state(setting, states=[ClaimState.PAID])
    Payment.objects.update(reference='=HYPERLINK("http://evil")')
    setting.deployment.leader_school.__class__.objects.filter(pk=setting.deployment.leader_school_id).update(
        name="@SUM(A1:A9)"
    )
    client.force_login(setting.commissioner)
    query = f"?year={financial_year_of(timezone.localdate())}"
    [_, claim_row] = lines_of(client.get(CLAIMS_CSV + query))
    [_, payment_row] = lines_of(client.get(PAYMENTS_CSV + query))
    assert claim_row[2] == "'@SUM(A1:A9)" and claim_row[-1] == '\'=HYPERLINK("http://evil")'
    assert payment_row[0] == '\'=HYPERLINK("http://evil")' and payment_row[2] == "'@SUM(A1:A9)"
    assert payment_row[5] == claims[ClaimState.PAID].reference
    assert payment_row[6] == "Recorded in the service"


def test_the_csv_files_cost_the_same_queries_for_one_row_or_many(client, setting):
    client.force_login(setting.commissioner)
    query = f"?year={financial_year_of(timezone.localdate())}"
    claims_in_every_state(setting, states=[ClaimState.PAID])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            lines_of(client.get(url + query))
        return len(queries)

    one = (count(CLAIMS_CSV), count(PAYMENTS_CSV))
    for state in (ClaimState.PAID, ClaimState.SUBMITTED, ClaimState.PAID):
        claims_in_every_state(setting, states=[state])
    assert (count(CLAIMS_CSV), count(PAYMENTS_CSV)) == one == (CSV_QUERIES, CSV_QUERIES)


# --- the payment export ----------------------------------------------------------------------------


def test_the_export_lists_approved_unpaid_claims_and_marks_them_exported(client, setting):
    claims = claims_in_every_state(
        setting, states=[ClaimState.APPROVED, ClaimState.PAID, ClaimState.SUBMITTED]
    )
    approved = claims[ClaimState.APPROVED]
    client.force_login(setting.commissioner)
    page = client.get(EXPORT)
    assert [c.pk for c in page.context["claims"]] == [approved.pk]
    response = client.post(EXPORT, {"org": setting.deployment.commissioner_id})
    header, *rows = lines_of(response)
    assert header == [
        "Claim reference",
        "Payee URN",
        "Payee",
        "Amount",
        "Approved",
        "Paid on",
        "Payment reference",
    ]
    assert [row[0] for row in rows] == [approved.reference]
    assert rows[0][3] == "450.00"
    approved.refresh_from_db()
    assert approved.exported_at is not None and approved.state == ClaimState.APPROVED
    assert approved.events.filter(action=ClaimAction.EXPORTED).count() == 1
    assert not claims[ClaimState.PAID].events.filter(action=ClaimAction.EXPORTED).exists()


def test_nothing_to_export_says_so(client, setting):
    client.force_login(setting.commissioner)
    assert 'id="nothing-to-export"' in client.get(EXPORT).content.decode()


def test_the_exported_file_filled_in_imports_back(client, setting):
    claims = claims_in_every_state(setting, states=[ClaimState.APPROVED])
    client.force_login(setting.commissioner)
    header, *rows = lines_of(client.post(EXPORT, {"org": setting.deployment.commissioner_id}))
    rows = [[*row[:5], today_text(), "BACS-1"] for row in rows]
    page = client.post(IMPORT, {"file": csv_upload([header, *rows])})
    assert page.context["paid"] == 1
    assert Claim.objects.get(pk=claims[ClaimState.APPROVED].pk).state == ClaimState.PAID


# --- the payment file import -----------------------------------------------------------------------


@pytest.fixture
def imported(client, setting):
    """Approved claims (one each for most rows), another commissioner's approved claim, and a file
    with a row of every kind."""
    states = [ClaimState.APPROVED] * 4 + [ClaimState.PAID, ClaimState.SUBMITTED]
    claims = list(claims_in_every_state(setting, states=states[:1]).values())
    for state in states[1:]:
        claims += list(claims_in_every_state(setting, states=[state]).values())
    theirs = list(claims_in_every_state(ClaimSetting.create(), states=[ClaimState.APPROVED]).values())[0]
    good, wrong_amount, bad_date, slash_date, paid, submitted = claims
    rows = [
        HEADINGS,
        [good.reference, "450.00", today_text(), "BACS-100"],
        ["CL-999999", "450.00", today_text(), "BACS-101"],
        [theirs.reference, "450.00", today_text(), "BACS-102"],
        [wrong_amount.reference, "449.99", today_text(), "BACS-103"],
        [paid.reference, "450.00", today_text(), "BACS-104"],
        [submitted.reference, "450.00", today_text(), "BACS-105"],
        [bad_date.reference, "450.00", "31/02/2026", "BACS-106"],
        [slash_date.reference, "£450", timezone.localdate().strftime("%d/%m/%Y"), "BACS-107"],
        [bad_date.reference, "450.00", "", "BACS-108"],
        [bad_date.reference, "", today_text(), "BACS-109"],
        ["", "450.00", today_text(), "BACS-110"],
    ]
    client.force_login(setting.commissioner)
    return {"claims": claims, "theirs": theirs, "rows": rows}


def test_the_import_reports_each_row_and_pays_only_the_good_ones(client, setting, imported):
    good, wrong_amount, bad_date, slash_date, paid, submitted = imported["claims"]
    page = client.post(IMPORT, {"file": csv_upload(imported["rows"])})
    assert page.status_code == 200
    results = {result.number: result for result in page.context["results"]}
    assert results[2].paid and "BACS-100" in results[2].message
    assert results[3].message == "Unknown claim: there is no claim CL-999999"
    assert results[4].message.startswith("Not this organisation's claim")
    assert results[5].message == (
        "The amount differs from the approved amount: £449.99 in the file, £450.00 approved"
    )
    assert results[6].message.startswith("Already paid on")
    assert results[7].message == "Not approved: the claim is submitted"
    assert results[8].message.startswith("Bad date: ‘31/02/2026’")
    assert results[9].paid
    assert results[10].message == "Bad date: the date paid is missing"
    assert results[11].message == "No amount: give the amount paid"
    assert results[12].message == "No claim reference"
    assert [n for n, r in results.items() if r.paid] == [2, 9]
    assert (page.context["paid"], page.context["refused"]) == (2, 9)
    for claim in (wrong_amount, bad_date, submitted, imported["theirs"]):
        claim.refresh_from_db()
        assert claim.state != ClaimState.PAID and not Payment.objects.filter(claim=claim).exists()
    payment = Payment.objects.get(claim=good)
    assert (payment.method, payment.reference, payment.amount) == (
        PaymentMethod.PAYMENT_FILE,
        "BACS-100",
        DAY_RATE,
    )
    assert Payment.objects.get(claim=slash_date).paid_on == timezone.localdate()
    assert 'id="import-report"' in page.content.decode()


def test_importing_the_same_file_again_pays_nothing_twice(client, setting, imported):
    client.post(IMPORT, {"file": csv_upload(imported["rows"])})
    payments = Payment.objects.count()
    again = client.post(IMPORT, {"file": csv_upload(imported["rows"])})
    assert Payment.objects.count() == payments
    assert again.context["paid"] == 0
    results = {result.number: result for result in again.context["results"]}
    assert results[2].message.startswith("Already paid on") and "BACS-100" in results[2].message
    assert results[9].message.startswith("Already paid on")


def test_a_row_paid_twice_in_one_file_is_paid_once(client, setting):
    claims = claims_in_every_state(setting, states=[ClaimState.APPROVED])
    reference = claims[ClaimState.APPROVED].reference
    client.force_login(setting.commissioner)
    rows = [HEADINGS, [reference, "450.00", today_text(), "A"], [reference, "450.00", today_text(), "B"]]
    results = client.post(IMPORT, {"file": csv_upload(rows)}).context["results"]
    assert [r.paid for r in results] == [True, False]
    assert results[1].message.startswith("Already paid on") and "(reference A)" in results[1].message
    assert Payment.objects.get().reference == "A"


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (
            SimpleUploadedFile("payments.pdf", b"%PDF-1.4", content_type="application/pdf"),
            "must be a CSV file",
        ),
        (
            SimpleUploadedFile("payments.csv", b"\x00\x01\x02PK\x03\x04", content_type="text/csv"),
            "must be a CSV",
        ),
        (SimpleUploadedFile("payments.csv", b"", content_type="text/csv"), "The selected file is empty"),
        (
            SimpleUploadedFile("payments.csv", b"  \n\n", content_type="text/csv"),
            "The selected file is empty",
        ),
        (csv_upload([["Claim reference", "Amount", "Payment reference"], ["CL-1", "1", "X"]]), "‘Paid on’"),
        (csv_upload([HEADINGS]), "no rows below its headings"),
    ],
)
def test_a_file_that_cannot_be_read_is_a_clear_error(client, setting, upload, error):
    client.force_login(setting.commissioner)
    page = client.post(IMPORT, {"file": upload})
    assert page.status_code == 200
    assert error in " ".join(page.context["form"].errors["file"])
    assert "govuk-error-summary" in page.content.decode()


def test_no_file_is_a_clear_error(client, setting):
    client.force_login(setting.commissioner)
    page = client.post(IMPORT, {})
    assert page.context["form"].errors["file"] == ["Select the payment file"]


def test_a_file_over_the_limit_is_refused(client, setting, settings):
    settings.PAYMENT_FILE_MAX_BYTES = 100
    client.force_login(setting.commissioner)
    page = client.post(IMPORT, {"file": csv_upload([HEADINGS] + [["CL-1", "1", today_text(), "X"]] * 10)})
    assert "must be smaller than" in page.context["form"].errors["file"][0]


def test_a_commissioner_cannot_pay_a_claim_from_their_own_school_by_file(client, setting):
    claims = claims_in_every_state(setting, states=[ClaimState.APPROVED])
    leader_org = setting.head.active_memberships[0].organisation
    MembershipFactory(user=setting.commissioner, organisation=leader_org, role=Role.SCHOOL_LEADER)
    client.force_login(setting.commissioner)
    rows = [HEADINGS, [claims[ClaimState.APPROVED].reference, "450.00", today_text(), "X"]]
    [result] = client.post(IMPORT, {"file": csv_upload(rows)}).context["results"]
    assert not result.paid and "your own school" in result.message
    assert not Payment.objects.exists()


# --- the remittance advice -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("commissioner", 200),
        ("second_commissioner", 200),
        ("head", 200),
        ("business_manager", 200),
        ("administrator", 200),
        ("other_school_head", 404),
        ("other_la_officer", 404),
    ],
)
def test_the_remittance_advice_permission_matrix(client, setting, name, status):
    claims = claims_in_every_state(setting, states=[ClaimState.PAID])
    payment = Payment.objects.get(claim=claims[ClaimState.PAID])
    client.force_login(persona(setting, name))
    assert client.get(reverse("finance:remittance", args=[payment.pk])).status_code == status


def test_the_remittance_advice_is_not_shown_to_people_signed_out(client, setting):
    claims = claims_in_every_state(setting, states=[ClaimState.PAID])
    payment = Payment.objects.get(claim=claims[ClaimState.PAID])
    assert client.get(reverse("finance:remittance", args=[payment.pk])).status_code == 302


def test_the_remittance_advice_says_who_paid_whom_what_for(client, setting):
    school = setting.deployment.leader_school
    type(school).objects.filter(pk=school.pk).update(
        street="1 High Street", town="Norwich", postcode="NR1 1AA"
    )
    claims = claims_in_every_state(setting, states=[ClaimState.PAID])
    claim = claims[ClaimState.PAID]
    payment = Payment.objects.get(claim=claim)
    client.force_login(setting.business_manager)
    html = client.get(reverse("finance:remittance", args=[payment.pk])).content.decode()
    assert setting.deployment.commissioner.name in html
    assert school.name in html and f"URN {school.urn}" in html and "NR1 1AA" in html
    assert payment.reference in html and "£450.00" in html
    assert claim.reference in html and "Days delivered" in html
    assert "govuk-frontend.min.css" in html and "govuk-header" not in html  # the print layout
