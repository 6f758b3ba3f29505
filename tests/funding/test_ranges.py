"""The funding models' ranges stand on the models, so every form, service and API refuses alike."""

import pytest
from django.core.exceptions import ValidationError

from funding.models import FundingRate, SampleDraw


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_funding_rate_is_for_a_year_from_2000_to_2100(year):
    with pytest.raises(ValidationError) as refused:
        FundingRate(year=year).clean_fields(exclude=["kind", "designation_type", "annual_amount"])
    assert refused.value.message_dict["year"] == ["The year must be between 2000 and 2100, in whole numbers"]


@pytest.mark.parametrize(("field", "value"), [("rate", 0), ("rate", 101), ("seed", 2_147_483_648)])
def test_a_sample_draw_keeps_its_rate_and_seed_in_range(field, value):
    draw = SampleDraw(rate=10, seed=1)
    setattr(draw, field, value)
    with pytest.raises(ValidationError) as refused:
        draw.clean_fields(exclude=["paid_from", "paid_to", "drawn_by"])
    assert field in refused.value.message_dict
