"""Claims at the same moment, on PostgreSQL: the claim's row lock (the deployment's, when claiming)
makes the second caller see what the first did, so a claim is paid once, time is claimed once and
never beyond what was agreed, and two approvals are both counted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.choices import ClaimAction, ClaimState
from funding.models import Claim, ClaimApproval, ClaimedTime, Payment
from tests.apiclients import client_with_token
from tests.concurrency import run_at_once
from tests.factories.funding import ClaimSetting, make_claim

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate


@pytest.fixture
def setting() -> ClaimSetting:
    assert connection.vendor == "postgresql"
    return ClaimSetting.create()


def test_two_payments_at_once_pay_the_claim_once(setting):
    setting.log_days(1)
    claim = services.approve(make_claim(setting), actor=setting.commissioner)
    outcomes = run_at_once(
        lambda: services.pay(claim, actor=setting.commissioner, paid_on=TODAY(), reference="BACS-1"),
        lambda: services.pay(claim, actor=setting.second_commissioner, paid_on=TODAY(), reference="BACS-2"),
    )
    assert sorted(outcomes) == ["InvalidTransition", "done"]
    assert Payment.objects.filter(claim=claim).count() == 1
    claim.refresh_from_db()
    assert claim.state == ClaimState.PAID
    assert claim.events.filter(action=ClaimAction.PAID).count() == 1


def test_two_pays_posted_at_once_through_the_api_are_one_payment_and_one_409(setting):
    setting.log_days(1)
    claim = services.approve(make_claim(setting), actor=setting.commissioner)
    url = reverse("funding-api:claim-pay", args=[claim.pk])
    body = {"paid_on": TODAY().isoformat(), "reference": "BACS-1"}
    clients = [client_with_token(setting.deployment.commissioner) for _ in range(2)]
    statuses: list[int] = []
    run_at_once(*[lambda c=c: statuses.append(c.post(url, body, format="json").status_code) for c in clients])
    assert sorted(statuses) == [200, 409]
    assert Payment.objects.filter(claim=claim).count() == 1


def test_two_claims_for_the_same_period_at_once_claim_the_time_once(setting):
    entries = setting.log_days(2)
    outcomes = run_at_once(
        lambda: make_claim(setting, by=setting.head),
        lambda: make_claim(setting, by=setting.business_manager),
    )
    assert sorted(outcomes) == ["FundingError", "done"]
    claim = Claim.objects.get(deployment=setting.deployment)
    assert claim.days == Decimal("2")
    assert set(ClaimedTime.objects.values_list("time_entry", flat=True)) == {e.pk for e in entries}


def test_two_claims_for_different_periods_at_once_never_exceed_the_days_agreed(setting):
    """Each claim alone is within the 3 days agreed; together they would be 4."""
    entries = setting.log_days(4)
    type(setting.deployment).objects.filter(pk=setting.deployment.pk).update(days_agreed=Decimal("3"))
    first, second = entries[:2], entries[2:]
    outcomes = run_at_once(
        lambda: make_claim(setting, period_start=first[0].worked_on, period_end=first[-1].worked_on),
        lambda: make_claim(setting, period_start=second[0].worked_on, period_end=second[-1].worked_on),
    )
    assert sorted(outcomes) == ["FundingError", "done"]
    assert services.days_claimed(setting.deployment) == Decimal("2")
    assert services.days_claimed(setting.deployment) <= Decimal("3")


def test_two_approvals_at_once_above_the_amount_are_both_counted(setting, settings):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "800"
    setting.log_days(2)
    claim = make_claim(setting)
    outcomes = run_at_once(
        lambda: services.approve(claim, actor=setting.commissioner),
        lambda: services.approve(claim, actor=setting.second_commissioner),
    )
    assert outcomes == ["done", "done"]
    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED
    assert set(ClaimApproval.objects.filter(claim=claim).values_list("approver", flat=True)) == {
        setting.commissioner.pk,
        setting.second_commissioner.pk,
    }
    assert [e.action for e in claim.events.order_by("at", "pk")] == [
        ClaimAction.SUBMITTED,
        ClaimAction.FIRST_APPROVAL,
        ClaimAction.APPROVED,
    ]


@pytest.mark.parametrize(
    ("second_approval_above", "refusal", "state"),
    [
        ("800", "FundingError", ClaimState.AWAITING_SECOND_APPROVAL),  # "already approved"
        ("10000", "InvalidTransition", ClaimState.APPROVED),  # one approval was enough
    ],
)
def test_a_double_clicked_approval_approves_once(setting, settings, second_approval_above, refusal, state):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = second_approval_above
    setting.log_days(2)
    claim = make_claim(setting)
    outcomes = run_at_once(*[lambda: services.approve(claim, actor=setting.commissioner)] * 2)
    assert sorted(outcomes) == sorted([refusal, "done"])
    claim.refresh_from_db()
    assert claim.state == state
    assert ClaimApproval.objects.filter(claim=claim).count() == 1
