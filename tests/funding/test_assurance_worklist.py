"""The worklist's assurance and bursary tasks: evidence for the claiming school's head and business
manager, clawbacks for national administrators other than the opener, and the year's bursaries
awaiting approval, each in one query however many there are."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from designations.models import DesignationType
from funding.choices import FundingKind
from funding.models import FundingRate
from funding.services import assurance
from funding.services import bursaries as bursary_service
from funding.worklist_assurance import bursaries_to_approve, clawbacks_to_approve, sample_evidence_to_give
from tests.factories.designations import DesignationFactory
from tests.factories.funding import ClaimSetting

from .test_assurance import paid_claims

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def setting() -> ClaimSetting:
    return ClaimSetting.create()


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("n", [1, 3])
def test_evidence_to_give_is_the_claiming_schools_task(setting, n, django_assert_num_queries):
    paid_claims(setting, n)
    assurance.draw_sample(actor=setting.administrator, rate=100, seed=1, paid_from=TODAY(), paid_to=TODAY())
    head = _fresh(setting.head)
    list(head.active_memberships)
    with django_assert_num_queries(1):
        tasks = sample_evidence_to_give(head, TODAY())
    assert [t.kind for t in tasks] == ["give-sample-evidence"] * n
    assert len(sample_evidence_to_give(_fresh(setting.business_manager), TODAY())) == n
    assert sample_evidence_to_give(_fresh(setting.supported_head), TODAY()) == []
    assert sample_evidence_to_give(_fresh(setting.administrator), TODAY()) == []


def test_a_clawback_is_a_task_for_the_other_administrators(setting):
    from accounts.choices import Role
    from tests.factories.accounts import MembershipFactory

    paid_claims(setting, 1)
    sample = assurance.draw_sample(
        actor=setting.administrator, rate=100, seed=1, paid_from=TODAY(), paid_to=TODAY()
    ).samples.get()
    assurance.record_sample_outcome(sample, actor=setting.administrator, passed=False, note="None given")
    national = setting.administrator.memberships.get().organisation
    second = MembershipFactory(organisation=national, role=Role.NATIONAL_ADMINISTRATOR).user
    assert clawbacks_to_approve(_fresh(setting.administrator), TODAY()) == []
    assert [t.kind for t in clawbacks_to_approve(_fresh(second), TODAY())] == ["approve-clawback"]
    assert clawbacks_to_approve(_fresh(setting.commissioner), TODAY()) == []


def test_bursaries_to_approve_are_counted_in_one_task_a_year(
    national_admin, la_officer, django_assert_num_queries
):
    nle = DesignationType.objects.get(code="NLE")
    FundingRate.objects.create(
        kind=FundingKind.NSS_BURSARY, designation_type=nle, year=2025, annual_amount=Decimal("10000")
    )
    for _ in range(3):
        DesignationFactory(designation_type=nle, designated_on=datetime.date(2020, 1, 1))
    bursary_service.schedule_bursaries(2025)
    admin = _fresh(national_admin)
    list(admin.active_memberships)
    with django_assert_num_queries(1):
        [task] = bursaries_to_approve(admin, TODAY())
    assert task.detail == "3 for 2025 to 2026" and "state=scheduled" in task.url
    assert bursaries_to_approve(_fresh(la_officer), TODAY()) == []
