"""Bursaries and grants: one a year per designation held, pro rata for the days of the financial
year it was held, scheduled once however often the job runs, approved by a national administrator
who is not of the school, and paid to the school once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from designations.choices import DesignationStatus
from designations.models import DesignationType
from funding.choices import BursaryState, FundingKind
from funding.errors import FundingError, InvalidTransition
from funding.models import Bursary, FundingRate, Payment
from funding.services import bursaries as service
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2025  # 1 April 2025 to 31 March 2026: 365 days
LEAP = 2027  # 1 April 2027 to 31 March 2028: 366 days


@pytest.fixture
def nle():
    return DesignationType.objects.get(code="NLE")


@pytest.fixture
def nlg():
    return DesignationType.objects.get(code="NLG")


def rate(kind, designation_type, year=YEAR, amount="10000.00") -> FundingRate:
    return FundingRate.objects.create(
        kind=kind, designation_type=designation_type, year=year, annual_amount=Decimal(amount)
    )


@pytest.fixture
def rates(nle, nlg):
    return rate(FundingKind.NSS_BURSARY, nle), rate(FundingKind.NLG_GRANT, nlg, amount="1500.00")


LONG_AGO = D(2020, 9, 1)


def designated(designation_type, on=LONG_AGO, **kwargs):
    return DesignationFactory(designation_type=designation_type, designated_on=on, **kwargs)


def test_a_financial_year_runs_from_april_to_march():
    assert service.days_in_year(YEAR) == 365
    assert service.days_in_year(LEAP) == 366
    assert service.financial_year_of(D(2026, 3, 31)) == 2025
    assert service.financial_year_of(D(2026, 4, 1)) == 2026


def test_a_designation_held_all_year_gets_the_whole_bursary(rates, nle):
    designation = designated(nle)
    result = service.schedule_bursaries(YEAR)
    assert result.scheduled == 1
    bursary = Bursary.objects.get(designation=designation)
    assert (bursary.kind, bursary.school, bursary.amount, bursary.state) == (
        FundingKind.NSS_BURSARY,
        designation.school,
        Decimal("10000.00"),
        BursaryState.SCHEDULED,
    )
    assert (bursary.period_start, bursary.period_end) == (D(2025, 4, 1), D(2026, 3, 31))
    assert bursary.reference == f"BU-{bursary.pk:06d}"


def test_an_nlgs_school_gets_the_grant(rates, nlg):
    designation = designated(nlg)
    service.schedule_bursaries(YEAR)
    bursary = Bursary.objects.get(designation=designation)
    assert (bursary.kind, bursary.amount) == (FundingKind.NLG_GRANT, Decimal("1500.00"))


def test_designated_mid_year_is_paid_pro_rata_from_the_designation(rates, nle):
    designation = designated(nle, on=D(2025, 10, 1))  # 182 days to 31 March
    service.schedule_bursaries(YEAR)
    bursary = Bursary.objects.get(designation=designation)
    assert bursary.period_start == D(2025, 10, 1)
    # 10,000 x 182 / 365 = 4986.3013...
    assert bursary.amount == Decimal("4986.30")


def test_ended_mid_year_is_paid_pro_rata_up_to_the_end(rates, nle):
    designation = designated(nle, status=DesignationStatus.DE_DESIGNATED, ended_on=D(2025, 6, 30))
    service.schedule_bursaries(YEAR)
    bursary = Bursary.objects.get(designation=designation)
    assert bursary.period_end == D(2025, 6, 30)
    assert bursary.amount == Decimal("2493.15")  # 91 days: 10,000 x 91 / 365 = 2493.150...


def test_a_leap_year_divides_by_366(nle):
    rate(FundingKind.NSS_BURSARY, nle, year=LEAP, amount="366.00")
    designation = designated(nle, on=D(2028, 3, 1))  # 31 days, 29 February not among them
    service.schedule_bursaries(LEAP)
    assert Bursary.objects.get(designation=designation).amount == Decimal("31.00")


def test_a_suspended_designation_is_still_paid(rates, nle):
    designation = designated(nle, status=DesignationStatus.SUSPENDED)
    service.schedule_bursaries(YEAR)
    assert Bursary.objects.filter(designation=designation).exists()


def test_designations_not_held_in_the_year_get_nothing(rates, nle):
    designated(nle, status=DesignationStatus.LAPSED, ended_on=D(2025, 3, 31))  # ended the day before
    designated(nle, on=D(2026, 4, 1))  # starts the next year
    designated(DesignationType.objects.get(code="SLE"))  # no rate for SLEs
    assert service.schedule_bursaries(YEAR).scheduled == 0
    assert not Bursary.objects.exists()


def test_no_rate_for_the_year_schedules_nothing_of_that_kind(nle, nlg):
    rate(FundingKind.NLG_GRANT, nlg)
    designated(nle)
    result = service.schedule_bursaries(YEAR)
    assert result.kinds_without_rate == [FundingKind.NSS_BURSARY]
    assert result.scheduled == 0


def test_running_twice_schedules_each_designation_once(rates, nle, nlg):
    designated(nle), designated(nle), designated(nlg)
    first = service.schedule_bursaries(YEAR, batch_size=2)
    second = service.schedule_bursaries(YEAR, batch_size=2)
    assert (first.scheduled, first.already_scheduled) == (3, 0)
    assert (second.scheduled, second.already_scheduled) == (0, 3)
    assert Bursary.objects.count() == 3


def test_a_crash_mid_run_then_a_rerun_schedules_every_designation_exactly_once(rates, nle, monkeypatch):
    designations = [designated(nle) for _ in range(5)]
    real, calls = service._new_bursary, []

    def crash_on_the_fourth(rate, designation):
        calls.append(designation.pk)
        if len(calls) == 4:
            raise RuntimeError("the worker died")
        return real(rate, designation)

    monkeypatch.setattr(service, "_new_bursary", crash_on_the_fourth)
    with pytest.raises(RuntimeError):
        service.schedule_bursaries(YEAR, batch_size=2)
    assert Bursary.objects.count() == 2  # the first batch committed; the second rolled back
    monkeypatch.setattr(service, "_new_bursary", real)
    result = service.schedule_bursaries(YEAR, batch_size=2)
    assert (result.scheduled, result.already_scheduled) == (3, 2)
    assert sorted(Bursary.objects.values_list("designation_id", flat=True)) == sorted(
        d.pk for d in designations
    )


# --- approving and paying ----------------------------------------------------------------------


@pytest.fixture
def bursary(rates, nle):
    designated(nle)
    service.schedule_bursaries(YEAR)
    return Bursary.objects.get()


def test_an_administrator_approves_then_pays_the_school_once(
    bursary, national_admin, django_capture_on_commit_callbacks
):
    school_org = OrganisationFactory(kind="school", school=bursary.school)
    head = MembershipFactory(organisation=school_org, role="headteacher").user
    with django_capture_on_commit_callbacks(execute=True):
        service.approve_bursary(bursary, actor=national_admin)
    assert mail.outbox[-1].to == [head.email] and "approved" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        payment = service.pay_bursary(bursary, actor=national_admin, paid_on=D.today(), reference=" BACS-1 ")
    assert (payment.payee_school, payment.amount, payment.reference) == (
        bursary.school,
        Decimal("10000.00"),
        "BACS-1",
    )
    assert "paid" in mail.outbox[-1].subject
    bursary.refresh_from_db()
    assert bursary.state == BursaryState.PAID
    with pytest.raises(InvalidTransition, match="already paid"):
        service.pay_bursary(bursary, actor=national_admin, paid_on=D.today(), reference="BACS-2")
    assert Payment.objects.count() == 1


def test_a_bursary_is_paid_only_once_approved(bursary, national_admin):
    with pytest.raises(InvalidTransition, match="awaiting approval, so it cannot be paid"):
        service.pay_bursary(bursary, actor=national_admin, paid_on=D.today(), reference="BACS-1")


def test_nobody_approves_their_own_schools_bursary(bursary, national_admin):
    school_org = OrganisationFactory(kind="school", school=bursary.school)
    MembershipFactory(organisation=school_org, role="headteacher", user=national_admin)
    admin = type(national_admin).objects.get(pk=national_admin.pk)
    with pytest.raises(FundingError, match="your own school"):
        service.approve_bursary(bursary, actor=admin)


def test_only_a_national_administrator_approves(bursary, la_officer):
    with pytest.raises(FundingError, match="Only a national administrator"):
        service.approve_bursary(bursary, actor=la_officer)


def test_a_cancelled_bursary_cannot_be_approved(bursary, national_admin):
    with pytest.raises(FundingError, match="reason"):
        service.cancel_bursary(bursary, actor=national_admin, reason=" ")
    service.cancel_bursary(bursary, actor=national_admin, reason="The NLE left the school")
    with pytest.raises(InvalidTransition, match="cancelled"):
        service.approve_bursary(bursary, actor=national_admin)
