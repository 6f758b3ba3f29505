"""Assurance of paid claims: a reproducible random share is drawn, the claiming school gives its
evidence, a national administrator (not of the school) records the outcome, and a failed sample's
clawback needs a second administrator before the school is asked to repay."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from accounts.choices import Role
from funding import services
from funding.choices import ClawbackState, SampleState
from funding.errors import FundingError, InvalidTransition
from funding.models import Clawback, Sample, SampleDraw
from funding.services import assurance
from tests.factories.accounts import MembershipFactory
from tests.factories.funding import ClaimSetting, evidence_file, make_claim

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def paid_claims(setting: ClaimSetting, count: int, paid_on: datetime.date | None = None) -> list:
    """``count`` claims of a day each, approved and paid."""
    claims = []
    for entry in setting.log_days(count):
        claim = make_claim(setting, period_start=entry.worked_on, period_end=entry.worked_on)
        services.approve(claim, actor=setting.commissioner)
        services.pay(claim, actor=setting.commissioner, paid_on=paid_on or TODAY(), reference=f"P{claim.pk}")
        claim.refresh_from_db()
        claims.append(claim)
    return claims


@pytest.fixture
def setting() -> ClaimSetting:
    return ClaimSetting.create()


@pytest.fixture
def second_admin(setting):
    national = setting.administrator.memberships.get().organisation
    return MembershipFactory(organisation=national, role=Role.NATIONAL_ADMINISTRATOR).user


def draw(setting, rate=100, seed=7, **kwargs) -> SampleDraw:
    return assurance.draw_sample(
        actor=setting.administrator,
        rate=rate,
        seed=seed,
        paid_from=kwargs.get("paid_from", TODAY() - datetime.timedelta(days=30)),
        paid_to=kwargs.get("paid_to", TODAY()),
    )


@pytest.mark.parametrize(
    ("rate", "eligible", "size"), [(10, 0, 0), (10, 1, 1), (10, 10, 1), (10, 11, 2), (25, 7, 2), (100, 3, 3)]
)
def test_the_sample_is_the_rate_rounded_up_and_at_least_one(rate, eligible, size):
    assert assurance.sample_size(rate, eligible) == size


def test_the_same_claims_rate_and_seed_choose_the_same_claims():
    ids = list(range(1, 101))
    first = assurance.choose_claims(ids, 10, 12345)
    assert first == assurance.choose_claims(list(reversed(ids)), 10, 12345)
    assert len(first) == 10 and len(set(first)) == 10
    assert first != assurance.choose_claims(ids, 10, 54321)


def test_a_draw_samples_paid_claims_in_the_period_once_and_is_reproducible(
    setting, django_capture_on_commit_callbacks
):
    claims = paid_claims(setting, 4)
    with django_capture_on_commit_callbacks(execute=True):
        first = draw(setting, rate=50, seed=99)
    chosen = sorted(first.samples.values_list("claim_id", flat=True))
    assert (first.eligible, len(chosen)) == (4, 2)
    assert len(mail.outbox) == 2
    assert "sampled" in mail.outbox[0].subject
    assert set(mail.outbox[0].to) <= {setting.head.email, setting.business_manager.email}
    # Drawn again from the same claims with the same seed: the same claims.
    Sample.objects.all().delete()
    SampleDraw.objects.all().delete()
    again = draw(setting, rate=50, seed=99)
    assert sorted(again.samples.values_list("claim_id", flat=True)) == chosen
    # A claim is sampled once: the next draw takes only the others.
    later = draw(setting, rate=100, seed=1)
    assert sorted(later.samples.values_list("claim_id", flat=True)) == sorted(
        c.pk for c in claims if c.pk not in chosen
    )
    with pytest.raises(FundingError, match="No paid claims"):
        draw(setting)


def test_claims_paid_outside_the_period_are_not_drawn(setting):
    paid_claims(setting, 1, paid_on=TODAY() - datetime.timedelta(days=60))
    with pytest.raises(FundingError, match="No paid claims"):
        draw(setting)


@pytest.mark.parametrize(
    ("rate", "seed", "message"),
    [(0, 1, "share to sample"), (101, 1, "share to sample"), (10, -1, "seed")],
)
def test_a_draw_checks_its_rate_and_seed(setting, rate, seed, message):
    with pytest.raises(FundingError, match=message):
        draw(setting, rate=rate, seed=seed)


def test_only_a_national_administrator_draws(setting):
    with pytest.raises(FundingError, match="national administrator"):
        assurance.draw_sample(actor=setting.commissioner, rate=10, seed=1, paid_from=TODAY(), paid_to=TODAY())


@pytest.fixture
def sample(setting) -> Sample:
    paid_claims(setting, 1)
    return draw(setting).samples.get()


def test_the_claiming_school_gives_evidence(sample, setting):
    with pytest.raises(FundingError, match="Only the claiming school"):
        assurance.give_sample_evidence(sample, actor=setting.supported_head, file=evidence_file())
    assurance.give_sample_evidence(
        sample, actor=setting.business_manager, file=evidence_file(), note="Timesheet"
    )
    sample.refresh_from_db()
    assert (sample.state, sample.evidence_name, sample.school_note) == (
        SampleState.EVIDENCE_RECEIVED,
        "invoice.pdf",
        "Timesheet",
    )
    assert sample.evidence_given_by == setting.business_manager


def test_evidence_must_be_an_allowed_file(sample, setting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("run.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(FundingError) as refused:
        assurance.give_sample_evidence(sample, actor=setting.head, file=bad)
    assert refused.value.field == "file"


def test_a_sample_passes_on_its_evidence(sample, setting):
    with pytest.raises(InvalidTransition, match="evidence requested, so it cannot be passed"):
        assurance.record_sample_outcome(sample, actor=setting.administrator, passed=True, note="")
    assurance.give_sample_evidence(sample, actor=setting.head, file=evidence_file())
    assurance.record_sample_outcome(sample, actor=setting.administrator, passed=True, note="Good")
    sample.refresh_from_db()
    assert sample.state == SampleState.PASSED
    assert not Clawback.objects.exists()
    with pytest.raises(InvalidTransition):
        assurance.give_sample_evidence(sample, actor=setting.head, file=evidence_file())


def test_an_administrator_of_the_claiming_school_does_not_assure_it(sample, setting):
    school_org = setting.head.memberships.get().organisation
    MembershipFactory(organisation=school_org, role=Role.SCHOOL_BUSINESS_MANAGER, user=setting.administrator)
    administrator = type(setting.administrator).objects.get(pk=setting.administrator.pk)
    with pytest.raises(FundingError, match="own school"):
        assurance.record_sample_outcome(sample, actor=administrator, passed=False, note="No")


def test_a_failed_sample_opens_a_clawback_that_a_second_administrator_approves(
    sample, setting, second_admin, django_capture_on_commit_callbacks
):
    assurance.give_sample_evidence(sample, actor=setting.head, file=evidence_file())
    with pytest.raises(FundingError, match="at most"):
        assurance.record_sample_outcome(
            sample,
            actor=setting.administrator,
            passed=False,
            note="No visit notes",
            clawback_amount=sample.claim.total + 1,
        )
    with pytest.raises(FundingError, match="Say why"):
        assurance.record_sample_outcome(sample, actor=setting.administrator, passed=False, note="")
    assurance.record_sample_outcome(
        sample,
        actor=setting.administrator,
        passed=False,
        note="No visit notes",
        clawback_amount=Decimal("100"),
    )
    clawback = Clawback.objects.get()
    assert (clawback.state, clawback.amount, clawback.reason, clawback.opened_by) == (
        ClawbackState.AWAITING_APPROVAL,
        Decimal("100.00"),
        "No visit notes",
        setting.administrator,
    )
    with pytest.raises(FundingError, match="second administrator"):
        assurance.approve_clawback(clawback, actor=setting.administrator)
    with pytest.raises(InvalidTransition):
        assurance.complete_clawback(clawback, actor=second_admin, repayment_reference="R1")
    with django_capture_on_commit_callbacks(execute=True):
        assurance.approve_clawback(clawback, actor=second_admin)
    assert "Repayment requested" in mail.outbox[-1].subject
    assert "No visit notes" in mail.outbox[-1].body
    with pytest.raises(InvalidTransition):
        assurance.approve_clawback(clawback, actor=second_admin)
    with pytest.raises(FundingError, match="reference"):
        assurance.complete_clawback(clawback, actor=second_admin, repayment_reference=" ")
    assurance.complete_clawback(clawback, actor=setting.administrator, repayment_reference="R1")
    clawback.refresh_from_db()
    assert (clawback.state, clawback.approved_by, clawback.repayment_reference) == (
        ClawbackState.COMPLETE,
        second_admin,
        "R1",
    )


def test_a_sample_without_evidence_can_fail_with_the_whole_claim_clawed_back(sample, setting):
    assurance.record_sample_outcome(sample, actor=setting.administrator, passed=False, note="No answer")
    assert Clawback.objects.get().amount == sample.claim.total


def test_the_school_is_not_emailed_when_it_has_nobody_to_email(setting, django_capture_on_commit_callbacks):
    paid_claims(setting, 1)
    for person in (setting.head, setting.business_manager):
        person.is_active = False
        person.save()
    with django_capture_on_commit_callbacks(execute=True):
        draw(setting)
    assert not mail.outbox
