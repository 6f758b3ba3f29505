"""From the brokerage agreement to the money, through the pages each party uses: an LLE's time
claimed, approved, paid, shown on the money page and the remittance advice, sampled and passed; an
SLE's claim with backfill at its own rate; and an NSS bursary from the year's rate to its payment,
which the school sees among its payments.

Each deployment is raised, proposed, drafted, sent and agreed through the services, as
tests/deployments/test_end_to_end.py does; the term dates are made around today, so the days
logged and claimed do not depend on the date the suite runs."""

from __future__ import annotations

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation
from brokerage import services as brokerage
from brokerage.choices import PriorityReason
from deployments import services as deployments
from deployments.choices import DeploymentState, Party, TimeBasis
from deployments.models import TimeEntry
from designations.models import DesignationType
from funding import finance
from funding.choices import BursaryState, ClaimAction, ClaimState, FundingKind, SampleState
from funding.models import Bursary, Claim, FundingRate, Payment, Sample
from funding.services.bursaries import financial_year_of as bursary_year_of
from schooldays.calendar import calendar_for
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.designations import DesignationFactory
from tests.factories.funding import evidence_file
from tests.factories.schooldays import in_term
from tests.funding import reference

pytestmark = pytest.mark.django_db
DAY_RATE = Decimal("350")


def text(response) -> str:
    return html.unescape(response.content.decode())


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def member(school, role, email):
    organisation = Organisation.objects.filter(kind=OrganisationKind.SCHOOL, school=school).first()
    organisation = organisation or OrganisationFactory(
        kind=OrganisationKind.SCHOOL, name=school.name, school=school
    )
    return MembershipFactory(user=UserFactory(email=email), organisation=organisation, role=role).user


def terms(deployment, *, starts_on, ends_on, days_per_week) -> dict:
    return {
        "expected_impact": "Leaders sustain improvement.",
        "support_approach": "Coaching and modelling.",
        "school_participants": "Headteacher; English lead",
        "time_basis": TimeBasis.DAYS_PER_WEEK,
        "days_per_week": Decimal(days_per_week),
        "total_days": None,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "rate_basis": "day_rate",
        "day_rate": DAY_RATE,
        "total_amount": None,
        "payer": deployment.commissioner,
        "payee_school": deployment.leader_school,
        "backfill_note": "",
    }


class Brokered:
    """A support request for Home Primary School, commissioned by Norfolk and brokered by it or a
    teaching school, its leader proposed, the agreement drafted, sent and agreed by the three
    parties; with the people of each party the pages are used by."""

    def __init__(self, code, *, home_school, home_la_org, broker, commissioner, cost_lines=(), pool=None):
        """``broker``: the person who brokers, of ``pool`` (the teaching school that brokers an
        SLE) or else of Norfolk."""
        today = timezone.localdate()
        authority = home_school.local_authority
        # Every weekday but bank holidays a school day, from well before to well after the agreement.
        in_term(None, today - datetime.timedelta(weeks=8), today + datetime.timedelta(weeks=8))
        self.school_days = calendar_for(today - datetime.timedelta(days=30), today, authority).school_days()
        designation_type = DesignationType.objects.get(code=code)
        self.leader_school = SchoolFactory(name="Leading Academy")
        self.designation = DesignationFactory(
            designation_type=designation_type,
            school=self.leader_school,
            availability_days_per_week=Decimal("2.0"),
            **({"designating_organisation": pool} if pool else {}),
        )
        self.leader = self.designation.holder
        request = brokerage.raise_request(
            actor=commissioner,
            school=home_school,
            commissioner=home_la_org,
            broker=pool or home_la_org,
            title="Leadership of English",
            needs_description="Reading results fell.",
            designation_types=[designation_type],
            priority_reasons=[PriorityReason.SIGNIFICANT_IMPROVEMENT],
        )
        self.deployment = deployments.propose(request, self.designation, actor=broker, today=today)
        self.starts_on = self.school_days[-3]  # three school days up to today to log time on
        self.ends_on = self.starts_on + datetime.timedelta(weeks=4, days=-1)
        self.supported_head = member(home_school, Role.HEADTEACHER, "head@home.example.org")
        self.supported_manager = member(home_school, Role.SCHOOL_BUSINESS_MANAGER, "sbm@home.example.org")
        self.head = member(self.leader_school, Role.HEADTEACHER, "head@leading.example.org")
        self.business_manager = member(
            self.leader_school, Role.SCHOOL_BUSINESS_MANAGER, "sbm@leading.example.org"
        )
        self.commissioner = commissioner
        objective = deployments.ObjectiveData(
            "Reading teaching is consistent", "Most pupils pass", self.ends_on
        )
        agreement = deployments.save_draft(
            self.deployment,
            actor=broker,
            terms=terms(self.deployment, starts_on=self.starts_on, ends_on=self.ends_on, days_per_week="1.0"),
            objectives=[objective],
            cost_lines=list(cost_lines),
            drafted_on=self.starts_on,
        )
        deployments.send_for_agreement(agreement, actor=broker)
        parties = {
            Party.SUPPORTED_SCHOOL: member(home_school, Role.SCHOOL_LEADER, "leader@home.example.org"),
            Party.LEADER_SCHOOL: self.leader,
            Party.COMMISSIONER: commissioner,
        }
        for party, person in parties.items():
            deployments.agree(agreement, actor=person, party=party, today=self.starts_on)
        self.deployment.refresh_from_db()
        self.agreement = agreement
        assert self.deployment.state == DeploymentState.ACTIVE
        assert self.deployment.days_agreed == Decimal("4")

    def log_time_through_the_page(self, client) -> None:
        """The leader logs a day on each of the three school days up to today."""
        client.force_login(self.leader)
        log = reverse("deployments:time-log", args=[self.deployment.pk])
        for day in self.school_days[-3:]:
            response = client.post(log, {"worked_on": day.isoformat(), "days": "1", "note": "Coaching"})
            assert response.status_code == 302, response.context["form"].errors
        assert TimeEntry.objects.filter(deployment=self.deployment).count() == 3

    def claim_through_the_pages(self, client, **costs) -> Claim:
        """The leader's school's head checks, then submits, a claim for the time logged."""
        client.force_login(self.head)
        claims_page = reverse("claims:deployment", args=[self.deployment.pk])
        page = text(client.get(claims_page))
        assert "Make a claim" in page
        new = reverse("claims:claim-new", args=[self.deployment.pk])
        period = {"period_start": self.starts_on.isoformat(), "period_end": timezone.localdate().isoformat()}
        check = text(client.get(new, period))
        assert "Check your claim" in check and "£1,050.00" in check  # three days at £350
        response = client.post(new, {**period, "confirm": "on", **costs})
        assert response.status_code == 302, response.context["form"].errors
        claim = Claim.objects.get(deployment=self.deployment)
        assert response.url == reverse("claims:claim-detail", args=[claim.pk])
        return claim


@pytest.fixture
def lle(home_school, home_la_org, la_officer, commissioner) -> Brokered:
    return Brokered(
        "LLE",
        home_school=home_school,
        home_la_org=home_la_org,
        broker=la_officer,
        commissioner=commissioner,
    )


def detail(claim) -> str:
    return reverse("claims:claim-detail", args=[claim.pk])


def action(claim, slug: str) -> str:
    return reverse("claims:claim-action", args=[claim.pk, slug])


def test_an_lle_is_agreed_claimed_paid_shown_in_the_money_and_sampled(
    client, lle, national_admin, settings, django_capture_on_commit_callbacks
):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "100000"
    today = timezone.localdate()
    lle.log_time_through_the_page(client)
    claim = lle.claim_through_the_pages(client)
    assert (claim.days, claim.total, claim.claiming_school) == (
        Decimal("3"),
        Decimal("1050.00"),
        lle.leader_school,
    )
    page = text(client.get(detail(claim)))
    assert f"Claim {claim.reference} is submitted" in page and "£1,050.00" in page

    # The supported school sees the claim and its state, and cannot act on it.
    client.force_login(lle.supported_head)
    page = text(client.get(detail(claim)))
    assert 'govuk-tag--blue">Submitted' in page and "£1,050.00" in page
    assert client.get(action(claim, "approve")).status_code == 403
    assert client.get(action(claim, "withdraw")).status_code == 403

    # The commissioner approves, then records the payment.
    client.force_login(lle.commissioner)
    assert client.post(action(claim, "approve")).status_code == 302
    assert 'govuk-tag--turquoise">Approved' in text(client.get(detail(claim)))
    paid = {**date_fields("paid_on", today), "reference": "BACS-1050"}
    assert client.post(action(claim, "pay"), paid).status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.PAID
    payment = Payment.objects.get(claim=claim)
    assert (payment.amount, payment.payee_school) == (Decimal("1050.00"), lle.leader_school)

    # The money page: committed (the agreement's four days, pro rata to the year's share of its
    # school days), claimed, approved and paid for the financial year.
    year = finance.financial_year_of(today)
    response = client.get(reverse("finance:money"), {"year": year})
    totals = response.context["figures"].totals
    year_bounds = finance.financial_year_bounds(year)
    committed = reference.committed_in([lle.agreement], *year_bounds)[lle.deployment.pk]
    if finance.financial_year_of(lle.starts_on) == finance.financial_year_of(lle.ends_on) == year:
        assert committed == Decimal("1400.00")  # four days at £350
    assert (totals.committed, totals.claimed, totals.approved, totals.paid) == (
        committed,
        Decimal("1050.00"),
        Decimal("1050.00"),
        Decimal("1050.00"),
    )
    page = text(response)
    assert "£1,050.00" in page
    remittance = reverse("finance:remittance", args=[payment.pk])
    assert remittance in page

    # The paid school finds the payment among its own and opens its remittance advice.
    client.force_login(lle.business_manager)
    assert "Payments to your school" in text(client.get(reverse("claims:claim-list")))
    payments = text(client.get(reverse("finance:school-payments")))
    assert remittance in payments and "£1,050.00" in payments and claim.reference in payments
    advice = text(client.get(remittance))
    assert "BACS-1050" in advice and "£1,050.00" in advice and claim.reference in advice
    assert lle.leader_school.name in advice

    # Both schools see the whole history.
    for person in (lle.head, lle.supported_head):
        client.force_login(person)
        page = text(client.get(detail(claim)))
        assert 'govuk-tag--green">Paid' in page
        for label in (ClaimAction.SUBMITTED.label, ClaimAction.APPROVED.label, "BACS-1050"):
            assert label in page
    assert [e.action for e in claim.events.all()] == [
        ClaimAction.SUBMITTED,
        ClaimAction.APPROVED,
        ClaimAction.PAID,
    ]

    # A national administrator samples every claim paid today (a fixed seed): this one is drawn.
    client.force_login(national_admin)
    draw = {"rate": "100", "seed": "2026", **date_fields("paid_from", today), **date_fields("paid_to", today)}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("assurance:draw-new"), draw).status_code == 302
    sample = Sample.objects.get()
    assert (sample.claim, sample.state) == (claim, SampleState.EVIDENCE_REQUESTED)
    assert claim.reference in text(client.get(reverse("assurance:draw-detail", args=[sample.draw_id])))

    # The claiming school gives its evidence; the administrator records a pass.
    client.force_login(lle.head)
    evidence = reverse("assurance:sample-evidence", args=[sample.pk])
    assert claim.reference in text(client.get(evidence))
    response = client.post(evidence, {"file": evidence_file("timesheet.pdf"), "note": "Our timesheets"})
    assert response.status_code == 302
    sample.refresh_from_db()
    assert sample.state == SampleState.EVIDENCE_RECEIVED
    client.force_login(national_admin)
    sample_page = reverse("assurance:sample-detail", args=[sample.pk])
    page = text(client.get(sample_page))
    assert "timesheet.pdf" in page and "Our timesheets" in page
    assert (
        client.post(sample_page, {"outcome": "passed", "note": "Timesheets match the visits"}).status_code
        == 302
    )
    sample.refresh_from_db()
    assert sample.state == SampleState.PASSED
    assert "Passed" in text(client.get(sample_page))
    client.force_login(lle.head)
    assert "Passed" in text(client.get(evidence))


def test_an_sle_claims_its_backfill_at_its_own_rate_and_only_its_parties_see_it(
    client, home_school, home_la_org, la_officer, commissioner, other_la_officer, settings
):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "100000"
    pool = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL,
        name="Pool Teaching School",
        school=SchoolFactory(name="Pool Hub"),
    )
    lead = MembershipFactory(organisation=pool, role=Role.TEACHING_SCHOOL_LEAD).user
    backfill = deployments.CostLineData("backfill", Decimal("2"), Decimal("180.00"), "English cover")
    sle = Brokered(
        "SLE",
        home_school=home_school,
        home_la_org=home_la_org,
        broker=lead,
        commissioner=commissioner,
        cost_lines=[backfill],
        pool=pool,
    )
    line = sle.agreement.cost_lines.get()
    sle.log_time_through_the_page(client)
    claim = sle.claim_through_the_pages(
        client, **{f"cost_{line.pk}": "1.5", f"cost_{line.pk}_evidence": evidence_file("cover.pdf")}
    )
    lines = {row.kind: row for row in claim.lines.all()}
    assert lines["backfill"].amount == Decimal("270.00")  # 1.5 days at its own £180
    assert lines["backfill"].evidence_name == "cover.pdf"
    assert claim.total == Decimal("1320.00") == sum(row.amount for row in lines.values())
    page = text(client.get(detail(claim)))
    assert "£1,050.00" in page and "£270.00" in page and "£1,320.00" in page and "cover.pdf" in page

    # The supported school's head sees its state and history, not its evidence, and cannot act.
    client.force_login(sle.supported_head)
    page = text(client.get(detail(claim)))
    assert 'govuk-tag--blue">Submitted' in page and ClaimAction.SUBMITTED.label in page
    assert "£1,320.00" in page
    for slug in ("approve", "reject", "withdraw", "pay"):
        assert client.post(action(claim, slug)).status_code == 403
    assert (
        client.get(reverse("claims:claim-evidence", args=[claim.pk, lines["backfill"].pk])).status_code == 404
    )
    # ...nor may they claim for the time themselves.
    assert client.get(reverse("claims:claim-new", args=[sle.deployment.pk])).status_code == 403

    # The supported school's business manager sees the deployment's claims too.
    client.force_login(sle.supported_manager)
    assert client.get(detail(claim)).status_code == 200
    page = text(client.get(reverse("claims:deployment", args=[sle.deployment.pk])))
    assert claim.reference in page and "Make a claim" not in page

    # Another authority's officer finds nothing.
    client.force_login(other_la_officer)
    assert client.get(detail(claim)).status_code == 404
    assert client.get(reverse("claims:deployment", args=[sle.deployment.pk])).status_code == 404
    assert client.post(action(claim, "approve")).status_code == 404

    # The commissioner approves the whole claim, backfill included.
    client.force_login(commissioner)
    assert client.post(action(claim, "approve")).status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED
    client.force_login(sle.supported_head)
    page = text(client.get(detail(claim)))
    assert 'govuk-tag--turquoise">Approved' in page and ClaimAction.APPROVED.label in page


def test_an_nss_bursary_from_the_years_rate_to_the_schools_payments(
    client, national_admin, home_school, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    year = bursary_year_of(today)
    nle = DesignationType.objects.get(code="NLE")
    DesignationFactory(designation_type=nle, school=home_school, designated_on=datetime.date(2015, 1, 1))
    head = member(home_school, Role.HEADTEACHER, "head@home.example.org")
    manager = member(home_school, Role.SCHOOL_BUSINESS_MANAGER, "sbm@home.example.org")
    other_head = member(
        SchoolFactory(name="Elsewhere Primary"), Role.HEADTEACHER, "head@elsewhere.example.org"
    )

    # The administrator sets the year's rate, then schedules the year's bursaries.
    client.force_login(national_admin)
    rate = {
        "kind": FundingKind.NSS_BURSARY,
        "designation_type": nle.pk,
        "year": year,
        "annual_amount": "12000",
    }
    assert client.post(reverse("bursaries:rate-new"), rate).status_code == 302
    assert FundingRate.objects.get().annual_amount == Decimal("12000.00")
    assert "£12,000.00 a year" in text(client.get(reverse("bursaries:schedule")))
    response = client.post(reverse("bursaries:schedule"), {"year": year}, follow=True)
    assert "1 new bursary scheduled" in text(response)
    bursary = Bursary.objects.get()
    assert (bursary.school, bursary.amount, bursary.state) == (
        home_school,
        Decimal("12000.00"),
        BursaryState.SCHEDULED,
    )

    # ...approves it and records its payment.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("bursaries:bursary-approve", args=[bursary.pk])).status_code == 302
    paid = {**date_fields("paid_on", today), "reference": "NSS-12"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("bursaries:bursary-pay", args=[bursary.pk]), paid).status_code == 302
    bursary.refresh_from_db()
    assert bursary.state == BursaryState.PAID
    page = text(client.get(reverse("bursaries:bursary-detail", args=[bursary.pk])))
    assert "NSS-12" in page and "£12,000.00" in page
    payment = Payment.objects.get(bursary=bursary)
    remittance = reverse("finance:remittance", args=[payment.pk])

    # The school's head and business manager find it among their school's payments, with its
    # remittance advice; the bursary pages stay the administrators'.
    for person in (head, manager):
        client.force_login(person)
        assert client.get(reverse("bursaries:bursary-detail", args=[bursary.pk])).status_code == 403
        payments = text(client.get(reverse("finance:school-payments")))
        assert remittance in payments and "£12,000.00" in payments and bursary.reference in payments
        advice = text(client.get(remittance))
        assert "NSS-12" in advice and "£12,000.00" in advice and bursary.reference in advice
        assert "The national body" in advice

    # Another school's head sees none of it.
    client.force_login(other_head)
    payments = text(client.get(reverse("finance:school-payments")))
    assert remittance not in payments and "No payments yet" in payments
    assert client.get(remittance).status_code == 404
