"""The bursaries part of the demo data, made through the services: the NSS bursary (£10,000 a
year) and the NLG grant (£1,500 a year) for this financial year and the next, this year's
bursaries and grants scheduled for the demo's NLE and NLG designations, and one NSS bursary
approved and paid, so the national administrator sees each state. Running it again creates
nothing new. The lead wires it into ``demo.dataset`` after the deployments part."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from designations.models import DesignationType

from .choices import BursaryState, FundingKind
from .models import Bursary, FundingRate
from .services import bursaries as services

User = get_user_model()
ADMIN_EMAIL = "admin@syslead.demo"
# (kind, designation type code, amount a year)
RATES = (
    (FundingKind.NSS_BURSARY, "NLE", Decimal("10000.00")),
    (FundingKind.NLG_GRANT, "NLG", Decimal("1500.00")),
)


@dataclass
class BursariesDemoSummary:
    rates: int
    bursaries: int
    paid: int


def _rates(year: int) -> None:
    types = {t.code: t for t in DesignationType.objects.filter(code__in=[code for _, code, _ in RATES])}
    for kind, code, amount in RATES:
        if code in types:
            for each in (year, year + 1):
                FundingRate.objects.get_or_create(
                    kind=kind, designation_type=types[code], year=each, defaults={"annual_amount": amount}
                )


def _approve_and_pay_one(year: int, administrator) -> None:
    """One NSS bursary approved and paid, unless one already is; one of a school the
    administrator does not act for (nobody decides their own school's)."""
    this_year = Bursary.objects.filter(year=year, kind=FundingKind.NSS_BURSARY).select_related("designation")
    if this_year.filter(state=BursaryState.PAID).exists():
        return
    for bursary in this_year.filter(state__in=[BursaryState.SCHEDULED, BursaryState.APPROVED]).order_by("pk"):
        if services.own_bursary_refusal(administrator, bursary):
            continue
        if bursary.state == BursaryState.SCHEDULED:
            services.approve_bursary(bursary, actor=administrator)
        services.pay_bursary(
            bursary, actor=administrator, paid_on=timezone.localdate(), reference=f"DEMO-{bursary.reference}"
        )
        return


def seed_bursaries_demo(administrator=None) -> BursariesDemoSummary:
    """Rates, this year's schedule and one paid bursary. ``administrator`` is the demo's national
    administrator (looked up by the demo email when not given); without one nothing is approved."""
    year = services.financial_year_of(timezone.localdate())
    administrator = administrator or User.objects.filter(email=ADMIN_EMAIL).first()
    with transaction.atomic():
        _rates(year)
    services.schedule_bursaries(year)
    if administrator is not None:
        with transaction.atomic():
            _approve_and_pay_one(year, administrator)
    return BursariesDemoSummary(
        rates=FundingRate.objects.count(),
        bursaries=Bursary.objects.filter(year=year).count(),
        paid=Bursary.objects.filter(state=BursaryState.PAID).count(),
    )
