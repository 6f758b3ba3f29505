"""The model's own validators bound every designation number and date (full_clean())."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from designations.models import ApplicationRound, DesignationType
from tests.factories.designations import ApplicationRoundFactory, DesignationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.mark.parametrize("days", ["-2", "5.5", "0.3", "99.9"])
def test_availability_outside_0_to_5_half_days_is_refused_by_the_model(days):
    designation = DesignationFactory()
    designation.availability_days_per_week = Decimal(days)
    with pytest.raises(ValidationError) as refused:
        designation.full_clean()
    assert refused.value.message_dict["availability_days_per_week"] == [
        "Days a week must be between 0 and 5, in half days"
    ]


def test_a_round_longer_than_a_year_is_refused():
    application_round = ApplicationRound(
        designation_type=DesignationType.objects.get(code="NLE"), name="Forever",
        opens_on=TODAY, closes_on=TODAY + datetime.timedelta(days=400),
    )
    with pytest.raises(ValidationError) as refused:
        application_round.full_clean()
    assert refused.value.message_dict["closes_on"] == ["A round must close within a year of opening"]


def test_a_past_round_can_still_be_renamed():
    application_round = ApplicationRoundFactory(
        opens_on=TODAY - datetime.timedelta(days=60), closes_on=TODAY - datetime.timedelta(days=30)
    )
    application_round.name = "Spring round (renamed)"
    application_round.full_clean()


def test_the_review_interval_has_bounds():
    designation_type = DesignationType.objects.get(code="NLE")
    designation_type.review_interval_months = 999
    with pytest.raises(ValidationError) as refused:
        designation_type.full_clean()
    assert refused.value.message_dict["review_interval_months"] == [
        "The months between reviews must be between 1 and 60, in whole months"
    ]
