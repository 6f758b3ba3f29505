"""Two imports of the same payment file at once (two people, or a resent upload) pay each claim
once: the claim is locked while it is paid, so the second import reports it already paid."""

from __future__ import annotations

import pytest
from django.utils import timezone

from funding.choices import ClaimState
from funding.models import Payment
from funding.services.payment_file import import_payment_file
from spreadsheets import CsvRow
from tests.concurrency import run_at_once
from tests.factories.finance import claims_in_every_state
from tests.factories.funding import ClaimSetting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_imports_of_one_file_at_once_pay_each_claim_once(settings):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "100"
    setting = ClaimSetting.create()
    claim = claims_in_every_state(setting, states=[ClaimState.APPROVED])[ClaimState.APPROVED]
    rows = [
        CsvRow(
            2,
            {
                "reference": claim.reference,
                "amount": "450.00",
                "paid_on": timezone.localdate().isoformat(),
                "payment_reference": "BACS-1",
            },
        )
    ]
    reports: list = []

    def upload(person):
        return lambda: reports.append(
            import_payment_file(rows, organisation=setting.deployment.commissioner, actor=person)
        )

    assert run_at_once(upload(setting.commissioner), upload(setting.second_commissioner)) == ["done", "done"]
    assert Payment.objects.filter(claim=claim).count() == 1
    assert sorted(report[0].paid for report in reports) == [False, True]
    assert next(r[0] for r in reports if not r[0].paid).message.startswith("Already paid")
