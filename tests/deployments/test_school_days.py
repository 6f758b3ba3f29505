"""Days agreed, time logged and the capacity check count school days: weekends, England's bank
holidays and the supported school's authority's half terms and holidays are not days of support.

The days agreed and capacity tests count over fixed dates in national term dates they set
themselves (``TERM_DATES``): half term is 26 to 30 October 2026; 3 May 2027 (early May bank
holiday) falls in the summer term. Time is logged on days of the past year only, so the time
tests make term dates around a recent half term (``RecentTerms``) and take England's latest
weekday bank holiday: they pass whatever day the suite runs."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from deployments import services
from deployments.choices import TimeBasis
from deployments.errors import CapacityExceeded, DeploymentError
from deployments.models import Agreement
from deployments.services.capacity import Commitment, headroom, worst_shortfall
from schooldays.calendar import calendars_for
from tests.factories.deployments import DeploymentFactory, agreed_deployment
from tests.factories.designations import DesignationFactory
from tests.factories.schooldays import RecentTerms, latest_weekday_bank_holiday, national_dates, term_period

D = datetime.date
TODAY = timezone.localdate()
TERM_DATES = [
    (D(2026, 9, 3), D(2026, 10, 23)),
    (D(2026, 11, 2), D(2026, 12, 18)),
    (D(2027, 1, 4), D(2027, 2, 12)),
    (D(2027, 2, 22), D(2027, 3, 25)),
    (D(2027, 4, 12), D(2027, 5, 28)),
    (D(2027, 6, 7), D(2027, 7, 22)),
]
HALF_TERM = (D(2026, 10, 26), D(2026, 10, 30))
BANK_HOLIDAY_WEEK = (D(2027, 5, 3), D(2027, 5, 9))  # Monday 3 May is a bank holiday


def weekly(deployment, days_per_week, starts_on, ends_on) -> Agreement:
    return Agreement(
        deployment=deployment,
        time_basis=TimeBasis.DAYS_PER_WEEK,
        days_per_week=Decimal(days_per_week),
        starts_on=starts_on,
        ends_on=ends_on,
    )


@pytest.fixture(autouse=True)
def term_dates(db):
    national_dates(TERM_DATES)


@pytest.fixture
def deployment(home_school):
    return DeploymentFactory(supported_school=home_school)


@pytest.fixture
def norfolk_without_half_term(home_la):
    """Norfolk's own autumn: one period from 3 September to 18 December 2026, no half term."""
    return term_period(D(2026, 9, 3), D(2026, 12, 18), home_la, name="Autumn")


# --- days agreed ---------------------------------------------------------------------------------


def test_a_week_with_a_bank_holiday_is_four_fifths_of_a_week(deployment):
    agreement = weekly(deployment, "5", *BANK_HOLIDAY_WEEK)
    assert agreement.weeks == Decimal("0.8")
    assert agreement.agreed_days == Decimal("4.0")


def test_half_term_adds_no_days(deployment):
    agreement = weekly(deployment, "2", D(2026, 10, 19), D(2026, 11, 8))  # three weeks, one half term
    assert agreement.weeks == Decimal("2")
    assert agreement.agreed_days == Decimal("4.0")


def test_the_supported_schools_own_term_dates_change_the_count(deployment, norfolk_without_half_term):
    agreement = weekly(deployment, "2", D(2026, 10, 19), D(2026, 11, 8))
    assert agreement.weeks == Decimal("3")
    assert agreement.agreed_days == Decimal("6.0")


def test_another_authoritys_term_dates_do_not_count(other_school, norfolk_without_half_term):
    agreement = weekly(DeploymentFactory(supported_school=other_school), "2", D(2026, 10, 19), D(2026, 11, 8))
    assert agreement.agreed_days == Decimal("4.0")


def test_total_days_stay_as_typed_and_spread_over_term_weeks(deployment):
    agreement = Agreement(
        deployment=deployment,
        time_basis=TimeBasis.TOTAL_DAYS,
        total_days=Decimal("6"),
        starts_on=D(2026, 10, 19),
        ends_on=D(2026, 11, 8),
    )
    assert agreement.agreed_days == Decimal("6")
    assert agreement.committed_days_per_week == Decimal("3.0")  # 6 days over 2 term weeks


def test_days_a_week_are_rounded_to_the_half_day(deployment):
    agreement = weekly(deployment, "1.25", *BANK_HOLIDAY_WEEK)  # 1.25 × 0.8 = 1
    assert agreement.agreed_days == Decimal("1.0")
    assert weekly(deployment, "0.5", *BANK_HOLIDAY_WEEK).agreed_days == Decimal("0.5")  # 0.4, to 0.5


def test_the_terms_are_read_once_per_set_of_dates(deployment, django_assert_num_queries):
    agreement = weekly(deployment, "2", D(2026, 10, 19), D(2026, 11, 8))
    deployment.supported_school  # noqa: B018 (loaded already by the factory)
    with django_assert_num_queries(1):
        assert agreement.agreed_days == agreement.agreed_days


def test_the_agreement_page_says_the_term_weeks(client, la_officer, home_deployment):
    from django.urls import reverse

    agreement = home_deployment.agreements.get()
    client.force_login(la_officer)
    content = client.get(reverse("deployments:agreement-detail", args=[home_deployment.pk])).content.decode()
    days = f"{agreement.agreed_days.normalize():f}"
    weeks = f"{agreement.weeks.normalize():f}"
    assert f"{days} day" in content
    assert f"over {weeks} term week" in content
    assert "half terms, holidays and bank holidays excluded" in content


# --- capacity ------------------------------------------------------------------------------------


def _shortfall(committed, extra, authority, starts_on, ends_on, available="2"):
    calendars = calendars_for(starts_on, ends_on, [c.local_authority_id for c in committed] + [authority])
    return worst_shortfall(
        available=Decimal(available),
        committed=committed,
        unavailable=[],
        starts_on=starts_on,
        ends_on=ends_on,
        extra=Decimal(extra),
        calendars=calendars,
        local_authority_id=authority,
    )


def _headroom(committed, starts_on, ends_on, available="2"):
    return headroom(
        available=Decimal(available),
        committed=committed,
        unavailable=[],
        starts_on=starts_on,
        ends_on=ends_on,
        calendars=calendars_for(starts_on, ends_on, [c.local_authority_id for c in committed]),
    )


def test_a_leader_fully_committed_in_term_is_free_in_its_half_term(home_la, other_la):
    """Decided: yes. The Norfolk school's half term takes none of the leader's time, so they may
    give that week to a school whose term it is (Suffolk's own dates here: no half term)."""
    term_period(D(2026, 9, 3), D(2026, 12, 18), other_la, name="Autumn")
    norfolk = [Commitment(D(2026, 9, 7), D(2026, 12, 18), Decimal("2"), home_la.pk)]
    assert _headroom(norfolk, *HALF_TERM) == Decimal("2")
    assert _headroom(norfolk, D(2026, 10, 19), D(2026, 11, 8)) == Decimal("0")
    assert _shortfall(norfolk, "2", other_la.pk, *HALF_TERM) is None
    refused = _shortfall(norfolk, "2", other_la.pk, D(2026, 10, 19), D(2026, 11, 8))
    assert (refused.starts_on, refused.ends_on) == (D(2026, 10, 19), D(2026, 10, 25))  # the first worst week
    assert (refused.committed, refused.available) == (Decimal("4.00"), Decimal("2.00"))


def test_a_bank_holiday_week_commits_pro_rata_and_reads_as_days_a_week(home_la):
    committed = [Commitment(D(2027, 4, 12), D(2027, 5, 28), Decimal("2"), home_la.pk)]
    assert _headroom(committed, *BANK_HOLIDAY_WEEK) == Decimal("0")
    refused = _shortfall(committed, "1", home_la.pk, *BANK_HOLIDAY_WEEK)
    assert (refused.starts_on, refused.ends_on) == BANK_HOLIDAY_WEEK
    assert (refused.committed, refused.available) == (Decimal("3"), Decimal("2"))
    assert refused.excess == Decimal("1")


def test_a_part_week_at_the_start_of_half_term_commits_pro_rata(home_la, other_la):
    """A Norfolk commitment from Wednesday 21 October: three school days before half term. With
    Suffolk's own dates (no half term) a new 2 days a week there fits beside it from 26 October."""
    term_period(D(2026, 9, 3), D(2026, 12, 18), other_la, name="Autumn")
    norfolk = [Commitment(D(2026, 10, 21), D(2026, 12, 18), Decimal("2"), home_la.pk)]
    # Monday to Friday 19-23 October: 2 × 3 school days ÷ 5 worked = 1.2 days a week.
    assert _headroom(norfolk, D(2026, 10, 19), D(2026, 10, 25)) == Decimal("0.8")
    assert _shortfall(norfolk, "2", other_la.pk, *HALF_TERM) is None


def test_check_capacity_counts_the_new_commitment_by_its_school(home_la, home_school):
    designation = DesignationFactory(availability_days_per_week=Decimal("1"))
    DeploymentFactory(
        leader=designation.holder, designation=designation, supported_school=home_school,
        starts_on=D(2026, 9, 7), ends_on=D(2026, 12, 18), days_per_week=Decimal("1"),
    )
    services.check_capacity(
        designation.holder, starts_on=HALF_TERM[0], ends_on=HALF_TERM[1],
        days_per_week=Decimal("1"), local_authority_id=None,
    )  # the national default has the same half term: nothing is committed that week
    with pytest.raises(CapacityExceeded, match="2 days a week from 2 November 2026"):
        services.check_capacity(
            designation.holder, starts_on=D(2026, 11, 2), ends_on=D(2026, 11, 6),
            days_per_week=Decimal("1"), local_authority_id=home_la.pk,
        )


# --- time logged ---------------------------------------------------------------------------------


@pytest.fixture
def recent(db) -> RecentTerms:
    return RecentTerms(TODAY)


@pytest.fixture
def active(home_school, home_la_org, recent):
    from tests.factories.brokerage import SupportRequestFactory

    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    deployment = agreed_deployment(support_request=request, days_agreed=Decimal("10.0"))
    deployment.starts_on = TODAY - datetime.timedelta(days=364)
    deployment.save(update_fields=["starts_on"])
    return deployment


@pytest.fixture
def norfolk_without_recent_half_term(home_la, recent):
    """Norfolk's own dates for the year of the recent half term: one period, no half term."""
    return term_period(recent.term_starts_on, recent.term_ends_on, home_la, name="All year")


def log(deployment, day):
    return services.log_time(
        deployment, actor=deployment.leader, worked_on=day, days=Decimal("0.5"), today=TODAY
    )


def test_time_on_a_bank_holiday_is_refused_on_the_date(active):
    bank_holiday = latest_weekday_bank_holiday(TODAY)
    with pytest.raises(DeploymentError) as refused:
        log(active, bank_holiday)
    assert refused.value.field == "worked_on"
    assert refused.value.message.startswith(f"{bank_holiday:%-d %B %Y} is a bank holiday (")
    assert refused.value.message.endswith("): log time on school days.")


def test_time_in_half_term_is_refused_naming_the_authority(active, recent):
    with pytest.raises(DeploymentError) as refused:
        log(active, recent.half_term_day)
    assert refused.value.field == "worked_on"
    assert refused.value.message == (
        f"{recent.half_term_day:%-d %B %Y} is in Norfolk's half term: log time on school days."
    )


def test_time_at_a_weekend_or_in_the_holidays_is_refused(active, recent):
    saturday = f"{recent.saturday:%-d %B %Y} is a Saturday: log time on school days"
    with pytest.raises(DeploymentError, match=saturday):
        log(active, recent.saturday)
    with pytest.raises(DeploymentError, match=f"{recent.holiday:%-d %B %Y} is in Norfolk's school holidays"):
        log(active, recent.holiday)


def test_time_on_a_school_day_is_accepted(active, recent):
    assert log(active, recent.school_day).worked_on == recent.school_day


def test_the_authoritys_own_term_dates_decide(active, recent, norfolk_without_recent_half_term):
    assert log(active, recent.half_term_day).worked_on == recent.half_term_day


def test_the_time_page_shows_the_refusal_on_the_date_field(client, home_deployment, leader, recent):
    from django.urls import reverse

    home_deployment.starts_on = recent.term_starts_on
    home_deployment.save(update_fields=["starts_on"])
    client.force_login(leader)
    response = client.post(
        reverse("deployments:time-log", args=[home_deployment.pk]),
        {"worked_on": recent.half_term_day.isoformat(), "days": "0.5"},
    )
    assert response.status_code == 200
    message = f"{recent.half_term_day:%-d %B %Y} is in Norfolk&#x27;s half term: log time on school days."
    assert message in response.content.decode()
    assert response.context["form"].errors["worked_on"]


@pytest.mark.parametrize("available", ["0.5", "1", "2.5", "3"])
def test_headroom_is_the_least_free_week_of_the_shortfall_checks_stretches(home_la, other_la, available):
    """``headroom`` skips ``_stretches``' exact Fractions for speed; it must still give their least
    free week, rounded down, across bank holidays, half terms and part weeks of two authorities."""
    from fractions import Fraction

    from deployments.services.capacity import _decimal, _stretches

    term_period(D(2026, 9, 3), D(2026, 12, 18), other_la, name="Autumn")
    committed = [
        Commitment(D(2026, 10, 21), D(2026, 12, 18), Decimal("0.5"), home_la.pk),
        Commitment(D(2026, 11, 4), D(2027, 2, 10), Decimal("0.7"), other_la.pk),
        Commitment(D(2026, 12, 2), D(2027, 1, 6), Decimal("0.3"), None),
    ]
    starts_on, ends_on = D(2026, 10, 14), D(2027, 1, 20)
    calendars = calendars_for(starts_on, ends_on, [c.local_authority_id for c in committed])
    stretches = _stretches(
        available=Decimal(available), committed=committed, unavailable=[],
        starts_on=starts_on, ends_on=ends_on, calendars=calendars,
    )
    least = min(Fraction(can_give) - Fraction(load) for _, _, load, can_give in stretches)
    expected = max(_decimal(least, "ROUND_FLOOR"), Decimal(0))
    assert _headroom(committed, starts_on, ends_on, available) == expected
