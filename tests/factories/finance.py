"""Claims in every state, and the dates they were submitted and paid moved to where a test needs
them (the services stamp today; the financial year under test is fixed relative to it)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from funding import services
from funding.choices import ClaimState
from funding.finance import financial_year_of
from funding.models import Claim, Payment

from .funding import ClaimSetting, make_claim

DAY_RATE = Decimal("450.00")  # the factories' agreed day rate: a day's claim is this much


def last_year() -> int:
    """The last whole financial year before today's: every date in it (and 1 April after it) has
    passed, whatever day the suite runs."""
    return financial_year_of(timezone.localdate()) - 1


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment on ``day`` in the service's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def claims_in_every_state(setting: ClaimSetting, *, states=None) -> dict[str, Claim]:
    """One claim of a day (£450) in each state, each for its own day of logged time. Needs
    ``settings.CLAIM_SECOND_APPROVAL_ABOVE`` below £450, so that a claim can await a second approval."""
    states = states or list(ClaimState.values)
    entries = setting.log_days(len(states))
    claims = {}
    for state, entry in zip(states, entries, strict=True):
        claim = make_claim(setting, period_start=entry.worked_on, period_end=entry.worked_on)
        claims[state] = move_to(setting, claim, state)
    return claims


def move_to(setting: ClaimSetting, claim: Claim, state: str) -> Claim:
    first, second = setting.commissioner, setting.second_commissioner
    if state == ClaimState.INFORMATION_REQUESTED:
        services.request_information(claim, actor=first, note="Which days?")
    elif state == ClaimState.AWAITING_SECOND_APPROVAL:
        services.approve(claim, actor=first)
    elif state in (ClaimState.APPROVED, ClaimState.PAID):
        services.approve(claim, actor=first)
        services.approve(claim, actor=second)
        if state == ClaimState.PAID:
            services.pay(claim, actor=first, paid_on=timezone.localdate(), reference=f"PAY-{claim.pk}")
    elif state == ClaimState.REJECTED:
        services.reject(claim, actor=first, reason="Not our support")
    elif state == ClaimState.WITHDRAWN:
        services.withdraw(claim, actor=setting.business_manager)
    claim.refresh_from_db()
    assert claim.state == state
    return claim


def submitted_on(claims, moment: datetime.datetime) -> None:
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(submitted_at=moment)


def paid_on(claim: Claim, day: datetime.date) -> Payment:
    Payment.objects.filter(claim=claim).update(paid_on=day)
    return Payment.objects.get(claim=claim)


def csv_upload(rows: list[list[str]], name: str = "payments.csv") -> SimpleUploadedFile:
    import csv

    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(), content_type="text/csv")
