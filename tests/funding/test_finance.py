"""The money of a financial year: its bounds (31 March and 1 April), what is committed (agreed
totals pro rata to the school days in the year), claimed, approved and paid, per deployment and
per school, at a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deployments.choices import CostKind, RateBasis, TimeBasis
from deployments.models import Agreement, AgreementCostLine, AgreementStaff
from funding import finance
from funding.choices import ClaimState
from money import total as money_total
from tests.factories import OrganisationFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import AgreementFactory, DeploymentFactory
from tests.factories.finance import (
    DAY_RATE,
    at,
    claims_in_every_state,
    last_year,
    paid_on,
    submitted_on,
)
from tests.factories.funding import ClaimSetting
from tests.funding import reference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_approvals_above_100(settings):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "100"


@pytest.fixture
def setting() -> ClaimSetting:
    return ClaimSetting.create()


def organisation_of(setting: ClaimSetting) -> int:
    return setting.deployment.commissioner_id


def agreed_total(deployment) -> Decimal:
    agreement = Agreement.objects.get(deployment=deployment)
    return agreement.cost_summary(budget=False).total


def agreement_from(deployment, starts_on: datetime.date, ends_on: datetime.date) -> None:
    Agreement.objects.filter(deployment=deployment).update(starts_on=starts_on, ends_on=ends_on)


# --- the financial year ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2027, 3, 31), 2026),
        (datetime.date(2027, 4, 1), 2027),
        (datetime.date(2026, 12, 31), 2026),
        (datetime.date(2027, 1, 1), 2026),
        (datetime.date(2026, 4, 1), 2026),
    ],
)
def test_the_financial_year_runs_from_1_april_to_31_march(day, year):
    assert finance.financial_year_of(day) == year


def test_a_financial_years_bounds_and_label():
    assert finance.financial_year_bounds(2026) == (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))
    assert finance.financial_year_bounds(2027)[0] - finance.financial_year_bounds(2026)[
        1
    ] == datetime.timedelta(1)
    assert finance.financial_year_label(2026) == "2026 to 2027"


# --- claimed, approved, paid -----------------------------------------------------------------------


def test_claimed_counts_live_claims_and_approved_those_approved_or_paid(setting):
    year = last_year()
    claims = claims_in_every_state(setting)
    submitted_on(claims.values(), at(datetime.date(year, 6, 1)))
    paid_on(claims[ClaimState.PAID], datetime.date(year, 7, 1))
    money = finance.year_money([organisation_of(setting)], year)
    # Submitted, information requested, awaiting second approval, approved and paid: five days.
    assert money.totals.claimed == 5 * DAY_RATE
    assert money.totals.approved == 2 * DAY_RATE
    assert money.totals.paid == DAY_RATE
    [row] = money.by_deployment
    assert row.deployment == setting.deployment
    assert (row.claimed, row.approved, row.paid) == (5 * DAY_RATE, 2 * DAY_RATE, DAY_RATE)


def test_a_claim_submitted_late_on_31_march_counts_in_the_year_ending_then(setting):
    year = last_year()
    claims = claims_in_every_state(setting, states=[ClaimState.SUBMITTED, ClaimState.APPROVED])
    march_31, april_1 = datetime.date(year + 1, 3, 31), datetime.date(year + 1, 4, 1)
    submitted_on([claims[ClaimState.SUBMITTED]], at(march_31, 23, 30))  # 22:30 UTC in summer time
    submitted_on([claims[ClaimState.APPROVED]], at(april_1, 0, 15))
    organisation = [organisation_of(setting)]
    assert finance.year_money(organisation, year).totals.claimed == DAY_RATE
    assert finance.year_money(organisation, year).totals.approved == 0
    assert finance.year_money(organisation, year + 1).totals.claimed == DAY_RATE
    assert finance.year_money(organisation, year + 1).totals.approved == DAY_RATE


def test_payments_count_in_the_year_they_were_made_either_side_of_1_april(setting):
    year = last_year()
    claims = claims_in_every_state(setting, states=[ClaimState.PAID])
    more = claims_in_every_state(setting, states=[ClaimState.PAID])
    paid_on(claims[ClaimState.PAID], datetime.date(year + 1, 3, 31))
    paid_on(more[ClaimState.PAID], datetime.date(year + 1, 4, 1))
    submitted_on([*claims.values(), *more.values()], at(datetime.date(year, 5, 1)))
    organisation = [organisation_of(setting)]
    this, following = finance.year_money(organisation, year), finance.year_money(organisation, year + 1)
    assert (this.totals.claimed, this.totals.paid) == (2 * DAY_RATE, DAY_RATE)
    assert (following.totals.claimed, following.totals.paid) == (0, DAY_RATE)


def test_another_commissioners_money_is_not_counted(setting):
    year = last_year()
    claims = claims_in_every_state(setting, states=[ClaimState.PAID])
    submitted_on(claims.values(), at(datetime.date(year, 6, 1)))
    other = SupportRequestFactory().commissioner
    assert finance.year_money([other.pk], year).is_empty
    assert finance.year_money([other.pk], year).totals.is_empty


# --- committed -------------------------------------------------------------------------------------


def test_an_agreement_within_the_year_commits_its_whole_total(setting):
    year = last_year()
    agreement_from(setting.deployment, datetime.date(year, 9, 1), datetime.date(year, 12, 18))
    money = finance.year_money([organisation_of(setting)], year)
    assert money.totals.committed == agreed_total(setting.deployment) > 0
    assert finance.year_money([organisation_of(setting)], year + 1).totals.committed == 0


def test_an_agreement_across_31_march_commits_to_each_year_its_school_days_there(setting):
    year = last_year()
    agreement_from(setting.deployment, datetime.date(year + 1, 1, 6), datetime.date(year + 1, 7, 20))
    organisation = [organisation_of(setting)]
    before = finance.year_money(organisation, year).totals.committed
    after = finance.year_money(organisation, year + 1).totals.committed
    total = agreed_total(setting.deployment)
    assert before > 0 and after > 0
    assert abs(before + after - total) <= Decimal("0.01")  # each share rounded to the penny once
    assert after > before  # April to July holds more school days than January to March


def test_committed_uses_the_current_agreed_version(setting):
    year = last_year()
    agreement_from(setting.deployment, datetime.date(year, 9, 1), datetime.date(year, 12, 18))
    first = Agreement.objects.get(deployment=setting.deployment)
    second = Agreement.objects.get(pk=first.pk)
    second.pk, second.version, second.day_rate = None, 2, Decimal("900.00")
    second.save()
    committed = finance.year_money([organisation_of(setting)], year).totals.committed
    assert committed == 2 * first.cost_summary(budget=False).total


# --- per school ------------------------------------------------------------------------------------


def test_two_deployments_paid_to_one_school_make_one_school_row(setting):
    year = last_year()
    deployment = setting.deployment
    request = SupportRequestFactory(commissioner=deployment.commissioner, broker=deployment.broker)
    second = ClaimSetting.create(support_request=request, leader_school=deployment.leader_school)
    for each in (setting, second):
        agreement_from(each.deployment, datetime.date(year, 9, 1), datetime.date(year, 12, 18))
        claims = claims_in_every_state(each, states=[ClaimState.APPROVED])
        submitted_on(claims.values(), at(datetime.date(year, 10, 1)))
    money = finance.year_money([organisation_of(setting)], year)
    assert len(money.by_deployment) == 2
    [school] = money.by_school
    assert school.school == deployment.leader_school
    assert school.claimed == school.approved == 2 * DAY_RATE
    assert (
        school.committed
        == money.totals.committed
        == agreed_total(deployment) + agreed_total(second.deployment)
    )


# --- queries ---------------------------------------------------------------------------------------


def queries_for(organisation: int, year: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        finance.year_money([organisation], year)
    return len(queries)


def test_the_years_money_costs_the_same_queries_for_one_deployment_or_many(setting):
    year = last_year()

    def add(each: ClaimSetting) -> None:
        agreement_from(each.deployment, datetime.date(year, 9, 1), datetime.date(year, 12, 18))
        claims = claims_in_every_state(each, states=[ClaimState.PAID, ClaimState.SUBMITTED])
        submitted_on(claims.values(), at(datetime.date(year, 10, 1)))
        paid_on(claims[ClaimState.PAID], datetime.date(year, 11, 1))

    add(setting)
    one = queries_for(organisation_of(setting), year)
    for _ in range(3):
        deployment = setting.deployment
        add(ClaimSetting.create(support_request=SupportRequestFactory(commissioner=deployment.commissioner)))
    assert len(finance.year_money([organisation_of(setting)], year).by_deployment) == 4
    assert queries_for(organisation_of(setting), year) == one <= 6


def test_committed_from_the_terms_read_as_values_is_committed_from_the_models():
    """The year's money reads each agreed version's terms and cost lines as plain values; every
    way of stating the time and the rate commits what the model's cost summary does."""
    commissioner = OrganisationFactory()
    year = last_year()
    spans = [  # within the year, across 31 March, across 1 April, over the whole year and more
        (datetime.date(year, 9, 1), datetime.date(year, 12, 18)),
        (datetime.date(year + 1, 1, 6), datetime.date(year + 1, 7, 20)),
        (datetime.date(year, 2, 2), datetime.date(year, 6, 30)),
        (datetime.date(year - 1, 11, 3), datetime.date(year + 1, 5, 14)),
    ]
    terms = [
        {"days_per_week": Decimal("1.5"), "day_rate": Decimal("433.33")},
        {"time_basis": TimeBasis.TOTAL_DAYS, "days_per_week": None, "total_days": Decimal("7.5")},
        {"rate_basis": RateBasis.TOTAL, "day_rate": None, "total_amount": Decimal("2500.50")},
        {"rate_basis": RateBasis.TOTAL, "day_rate": None, "total_amount": None},  # no total: nothing
    ]
    for index, (starts_on, ends_on) in enumerate(spans):
        for n, kwargs in enumerate(terms):
            deployment = DeploymentFactory(
                support_request=SupportRequestFactory(commissioner=commissioner), starts_on=starts_on
            )
            agreement = AgreementFactory(
                deployment=deployment, starts_on=starts_on, ends_on=ends_on, **kwargs
            )
            for line in range((index + n) % 3):
                AgreementCostLine.objects.create(
                    agreement=agreement,
                    order=line,
                    kind=CostKind.SUPPLY_COVER,
                    days=Decimal("2.5"),
                    day_rate=Decimal("180.25"),
                )
            AgreementStaff.objects.create(agreement=agreement, name="A teacher", role="Maths lead", days=2)
    for financial_year in (year - 1, year, year + 1):
        start, end = finance.financial_year_bounds(financial_year)
        models = reference.committed_in(
            list(reference.current_agreed_versions([commissioner.pk], start, end)), start, end
        )
        values = finance.committed_terms_in(
            finance.current_agreed_terms([commissioner.pk], start, end), start, end
        )
        assert values == models and any(values.values())
        sums = finance.committed_and_paid([commissioner.pk], financial_year)
        assert sums.committed == money_total(models.values())
        assert finance.year_money([commissioner.pk], financial_year).totals.committed == sums.committed
