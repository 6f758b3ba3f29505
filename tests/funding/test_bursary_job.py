"""The yearly job: the Celery task and the command schedule the year's bursaries through the same
service, once however often they run; beat runs it on 1 April."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from designations.models import DesignationType
from funding import tasks
from funding.choices import FundingKind
from funding.models import Bursary, FundingRate
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nle_2025():
    nle = DesignationType.objects.get(code="NLE")
    FundingRate.objects.create(
        kind=FundingKind.NSS_BURSARY, designation_type=nle, year=2025, annual_amount=Decimal("10000")
    )
    return DesignationFactory(designation_type=nle, designated_on=datetime.date(2020, 1, 1))


def test_the_task_schedules_once_however_often_it_runs(nle_2025):
    first = tasks.schedule_bursaries.apply(kwargs={"year": 2025}).get()
    second = tasks.schedule_bursaries.apply(kwargs={"year": 2025}).get()
    assert first == {"checked": 1, "scheduled": 1, "already_scheduled": 0, "kinds_without_rate": 1}
    assert second["scheduled"] == 0 and second["already_scheduled"] == 1
    assert Bursary.objects.count() == 1


def test_the_task_defaults_to_the_year_containing_today(nle_2025, monkeypatch):
    from funding.services import bursaries

    monkeypatch.setattr(bursaries, "financial_year_of", lambda day: 2025)
    assert tasks.schedule_bursaries.apply().get()["scheduled"] == 1


def test_the_command_prints_what_it_did(nle_2025):
    out = StringIO()
    call_command("schedule_bursaries", "--year", "2025", stdout=out)
    text = out.getvalue()
    assert "year: 2025 to 2026" in text and "scheduled: 1" in text
    assert "no rate for the national leader of governance grant: none scheduled" in text


def test_the_command_refuses_a_year_out_of_range():
    with pytest.raises(CommandError, match="--year"):
        call_command("schedule_bursaries", "--year", "1800", stdout=StringIO())


def test_beat_runs_it_on_the_first_of_april():
    entry = settings.CELERY_BEAT_SCHEDULE["funding-schedule-bursaries"]
    assert entry["task"] == "funding.schedule_bursaries"
    schedule = entry["schedule"]
    assert schedule.month_of_year == {4} and schedule.day_of_month == {1} and schedule.hour == {6}
