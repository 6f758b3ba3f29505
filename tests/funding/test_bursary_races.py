"""Races, on PostgreSQL: two administrators at once pay a bursary once, schedule each designation
once, draw each claim once and approve a clawback once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.choices import Role
from designations.models import DesignationType
from funding.choices import ClawbackState, FundingKind
from funding.models import Bursary, Clawback, FundingRate, Payment, Sample
from funding.services import assurance
from funding.services import bursaries as service
from tests.concurrency import run_at_once
from tests.factories.accounts import MembershipFactory
from tests.factories.designations import DesignationFactory
from tests.factories.funding import ClaimSetting

from .test_assurance import paid_claims

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate


@pytest.fixture
def nle_rate():
    nle = DesignationType.objects.get_or_create(
        code="NLE",
        defaults={
            "name": "National leader of education",
            "designating_body": "national_body",
            "brokering_rule": "commissioning_body",
            "makes_national_support_school": True,
        },
    )[0]
    return FundingRate.objects.create(
        kind=FundingKind.NSS_BURSARY, designation_type=nle, year=2025, annual_amount=Decimal("10000")
    )


def test_two_schedules_at_once_make_each_bursary_once(nle_rate):
    assert connection.vendor == "postgresql"
    for _ in range(6):
        DesignationFactory(
            designation_type=nle_rate.designation_type, designated_on=datetime.date(2020, 1, 1)
        )
    outcomes = run_at_once(*(lambda: service.schedule_bursaries(2025, batch_size=2) for _ in range(2)))
    assert outcomes == ["done", "done"]
    assert Bursary.objects.count() == 6


def test_two_payments_of_one_bursary_at_once_pay_it_once(nle_rate, national_admin):
    DesignationFactory(designation_type=nle_rate.designation_type, designated_on=datetime.date(2020, 1, 1))
    service.schedule_bursaries(2025)
    bursary = Bursary.objects.get()
    service.approve_bursary(bursary, actor=national_admin)

    def pay(reference):
        return lambda: service.pay_bursary(
            bursary, actor=national_admin, paid_on=TODAY(), reference=reference
        )

    assert sorted(run_at_once(pay("A"), pay("B"))) == ["InvalidTransition", "done"]
    assert Payment.objects.count() == 1


@pytest.fixture
def setting():
    return ClaimSetting.create()


def test_two_draws_at_once_sample_each_claim_once(setting):
    paid_claims(setting, 3)

    def draw(seed):
        return lambda: assurance.draw_sample(
            actor=setting.administrator, rate=100, seed=seed, paid_from=TODAY(), paid_to=TODAY()
        )

    outcomes = run_at_once(draw(1), draw(2))
    assert "done" in outcomes
    assert Sample.objects.count() == 3


def test_two_approvals_of_a_clawback_at_once_approve_it_once(setting):
    paid_claims(setting, 1)
    sample = assurance.draw_sample(
        actor=setting.administrator, rate=100, seed=1, paid_from=TODAY(), paid_to=TODAY()
    ).samples.get()
    assurance.record_sample_outcome(sample, actor=setting.administrator, passed=False, note="None")
    national = setting.administrator.memberships.get().organisation
    others = [
        MembershipFactory(organisation=national, role=Role.NATIONAL_ADMINISTRATOR).user for _ in range(2)
    ]
    clawback = Clawback.objects.get()
    outcomes = run_at_once(*(lambda u=u: assurance.approve_clawback(clawback, actor=u) for u in others))
    assert sorted(outcomes) == ["InvalidTransition", "done"]
    assert Clawback.objects.get().state == ClawbackState.REQUESTED
