"""The demo's bursaries: rates for this year and next, this year's schedule, one paid; again: nothing new."""

from __future__ import annotations

import datetime

import pytest

from designations.models import DesignationType
from funding.choices import BursaryState
from funding.demo_bursaries import seed_bursaries_demo
from funding.models import Bursary, FundingRate, Payment
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db


def test_the_demo_sets_rates_schedules_and_pays_one_and_runs_again_harmlessly(national_admin):
    for code in ("NLE", "NLE", "NLG"):
        DesignationFactory(
            designation_type=DesignationType.objects.get(code=code), designated_on=datetime.date(2020, 1, 1)
        )
    first = seed_bursaries_demo(national_admin)
    assert (first.rates, first.bursaries, first.paid) == (4, 3, 1)
    assert Bursary.objects.filter(state=BursaryState.SCHEDULED).count() == 2
    again = seed_bursaries_demo(national_admin)
    assert (again.rates, again.bursaries, again.paid) == (4, 3, 1)
    assert Payment.objects.count() == 1
    assert FundingRate.objects.filter(designation_type__code="NLE").first().annual_amount == 10000
