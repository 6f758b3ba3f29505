"""The rules of a claim: derived from the time logged at the agreed rates, never more than agreed
plus variations, only time in the period and each entry once, decided by someone independent (a
second person above the second-approval amount), and paid once, to the school."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from deployments.choices import RateBasis
from deployments.models import Variation
from funding import services
from funding.choices import ClaimAction, ClaimLineKind, ClaimState
from funding.errors import FundingError, InvalidTransition
from funding.models import Payment
from tests.factories.funding import ClaimSetting, evidence_file, make_claim
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def setting() -> ClaimSetting:
    return ClaimSetting.create()


def test_a_claim_prices_the_time_logged_in_its_period_at_the_day_rate(setting):
    setting.log_days(3)
    claim = make_claim(setting)
    assert claim.days == Decimal("3")
    assert claim.total == Decimal("1350.00")
    [line] = claim.lines.all()
    assert (line.kind, line.days, line.day_rate, line.amount) == (
        ClaimLineKind.LEADER_DAYS,
        Decimal("3"),
        Decimal("450.00"),
        Decimal("1350.00"),
    )
    assert claim.claiming_school == setting.deployment.leader_school
    assert claim.state == ClaimState.SUBMITTED
    assert [e.action for e in claim.events.all()] == [ClaimAction.SUBMITTED]


def test_only_time_in_the_period_is_claimed(setting):
    first, second = setting.log_days(2)
    claim = make_claim(setting, period_start=first.worked_on, period_end=first.worked_on)
    assert claim.days == Decimal("1")
    assert list(claim.claimed_time.values_list("time_entry", flat=True)) == [first.pk]


def test_time_is_claimed_once(setting):
    setting.log_days(2)
    make_claim(setting)
    with pytest.raises(FundingError, match="no unclaimed time"):
        make_claim(setting)


def test_a_rejected_claims_time_can_be_claimed_again(setting):
    setting.log_days(2)
    claim = make_claim(setting)
    services.reject(claim, actor=setting.commissioner, reason="Wrong period")
    again = make_claim(setting)
    assert again.days == Decimal("2")


def test_never_more_than_agreed_plus_variations(setting):
    deployment = setting.deployment
    setting.log_days(3)
    type(deployment).objects.filter(pk=deployment.pk).update(days_agreed=Decimal("2"))
    deployment.refresh_from_db()
    with pytest.raises(FundingError, match="more than the 2 agreed"):
        make_claim(setting)
    Variation.objects.create(deployment=deployment, extra_days=Decimal("1"), reason="More coaching")
    assert make_claim(setting).days == Decimal("3")


def test_a_fixed_sum_is_claimed_pro_rata_and_never_beyond_it(setting):
    agreement = setting.deployment.agreements.get()
    agreement.rate_basis, agreement.day_rate, agreement.total_amount = (
        RateBasis.TOTAL,
        None,
        Decimal("1000.00"),
    )
    agreement.time_basis, agreement.total_days = "total_days", Decimal("4")
    agreement.save()
    setting.log_days(1)
    claim = make_claim(setting)
    assert claim.total == Decimal("250.00")
    assert claim.lines.get().kind == ClaimLineKind.FIXED_SUM


def test_backfill_is_claimed_at_its_own_rate_with_evidence(setting):
    line = setting.cost_line(kind="backfill", description="Maths cover", days=Decimal("5"))
    setting.log_days(1)
    with pytest.raises(FundingError, match="upload the invoice"):
        make_claim(setting, costs=[services.CostClaim(line.pk, Decimal("2"))])
    claim = make_claim(setting, costs=[services.CostClaim(line.pk, Decimal("2"), evidence_file())])
    backfill = claim.lines.get(kind=ClaimLineKind.BACKFILL)
    assert (backfill.amount, backfill.evidence_name) == (Decimal("400.00"), "invoice.pdf")
    assert claim.total == Decimal("850.00")
    with pytest.raises(FundingError, match="you can claim 3 more"):
        make_claim(setting, costs=[services.CostClaim(line.pk, Decimal("4"), evidence_file())])


def test_the_period_cannot_end_in_the_future(setting):
    setting.log_days(1)
    with pytest.raises(FundingError, match="cannot end in the future"):
        make_claim(setting, period_end=TODAY() + datetime.timedelta(days=1))


@pytest.mark.parametrize("who", ["head", "business_manager"])
def test_the_head_or_business_manager_of_the_paid_school_claims(setting, who):
    setting.log_days(1)
    assert make_claim(setting, by=getattr(setting, who)).submitted_by == getattr(setting, who)


@pytest.mark.parametrize("who", ["commissioner", "supported_head", "administrator"])
def test_nobody_else_claims(setting, who):
    setting.log_days(1)
    with pytest.raises(FundingError, match="Only the head or school business manager"):
        make_claim(setting, by=getattr(setting, who))
    with pytest.raises(FundingError):
        make_claim(setting, by=setting.deployment.leader)


def test_the_commissioner_approves_and_pays_once(setting):
    setting.log_days(1)
    claim = services.approve(make_claim(setting), actor=setting.commissioner)
    assert claim.state == ClaimState.APPROVED
    payment = services.pay(claim, actor=setting.commissioner, paid_on=TODAY(), reference="BACS-1")
    assert (payment.payee_school, payment.amount) == (claim.claiming_school, Decimal("450.00"))
    claim.refresh_from_db()
    assert claim.state == ClaimState.PAID
    with pytest.raises(InvalidTransition, match="already paid"):
        services.pay(claim, actor=setting.commissioner, paid_on=TODAY(), reference="BACS-2")
    assert Payment.objects.count() == 1


def test_the_submitter_never_approves_their_own_claim(setting):
    setting.log_days(1)
    setting.business_manager.memberships.create(
        organisation=setting.deployment.commissioner, role="commissioner"
    )
    claim = make_claim(setting)
    with pytest.raises(FundingError, match="You submitted this claim"):
        services.approve(claim, actor=setting.business_manager)


def test_the_claiming_school_never_approves(setting):
    setting.log_days(1)
    claim = make_claim(setting)
    with pytest.raises(FundingError, match="Only the commissioner"):
        services.approve(claim, actor=setting.head)


def test_above_the_amount_a_second_person_approves(setting, settings):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "800"
    setting.log_days(2)
    claim = services.approve(make_claim(setting), actor=setting.commissioner)
    assert claim.state == ClaimState.AWAITING_SECOND_APPROVAL
    with pytest.raises(FundingError, match="already approved"):
        services.approve(claim, actor=setting.commissioner)
    with pytest.raises(InvalidTransition):
        services.pay(claim, actor=setting.commissioner, paid_on=TODAY(), reference="X")
    claim = services.approve(claim, actor=setting.second_commissioner)
    assert claim.state == ClaimState.APPROVED
    assert claim.approvals.count() == 2


def test_at_or_below_the_amount_one_approval_is_enough(setting, settings):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "450"
    setting.log_days(1)
    assert services.approve(make_claim(setting), actor=setting.commissioner).state == ClaimState.APPROVED


def test_information_requested_then_given_returns_the_claim(setting):
    setting.log_days(1)
    claim = services.request_information(make_claim(setting), actor=setting.commissioner, note="Which days?")
    assert claim.state == ClaimState.INFORMATION_REQUESTED
    with pytest.raises(InvalidTransition):
        services.approve(claim, actor=setting.commissioner)
    claim = services.give_information(claim, actor=setting.head, note="Tuesdays in term")
    assert claim.state == ClaimState.SUBMITTED
    assert [e.action for e in claim.events.all()][-1] == ClaimAction.INFORMATION_GIVEN


def test_rejecting_needs_a_reason(setting):
    setting.log_days(1)
    with pytest.raises(FundingError, match="reason"):
        services.reject(make_claim(setting), actor=setting.commissioner, reason=" ")


def test_a_payment_goes_only_to_the_claiming_school(setting):
    setting.log_days(1)
    claim = services.approve(make_claim(setting), actor=setting.commissioner)
    payment = Payment(
        claim=claim,
        payee_school=SchoolFactory(),
        amount=claim.total,
        paid_on=TODAY(),
        reference="R",
        recorded_by=setting.commissioner,
    )
    with pytest.raises(ValidationError, match="goes to the school"):
        payment.full_clean()


def test_a_claim_is_paid_only_to_the_school_the_agreement_pays(setting):
    setting.log_days(1)
    claim = make_claim(setting)
    claim.claiming_school = SchoolFactory()
    with pytest.raises(ValidationError, match="never elsewhere"):
        claim.full_clean()


def test_a_claim_seen_for_several_reasons_is_listed_once(setting):
    setting.log_days(1)
    claim = make_claim(setting)
    # The commissioner also brokers the deployment, and is made a head of the supported school.
    supported = setting.supported_head.memberships.get().organisation
    setting.commissioner.memberships.create(organisation=supported, role="headteacher")
    assert list(
        services.claims_visible_to(type(setting.commissioner).objects.get(pk=setting.commissioner.pk))
    ) == [claim]
