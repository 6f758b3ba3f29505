"""The GOV.UK date input: three boxes, GOV.UK messages, and one posted value read too."""

import datetime

import pytest
from django import forms

from govuk.forms import GovukDateField


class DateForm(forms.Form):
    day = GovukDateField("Start date", required_message="Enter the start date")


def test_the_day_month_and_year_boxes_make_a_date():
    form = DateForm({"day_day": "27", "day_month": "3", "day_year": "2026"})

    assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 3, 27)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the start date"),
        ({"day_day": "27", "day_year": "2026"}, "Start date must include a month"),
        ({"day_day": "31", "day_month": "2", "day_year": "2026"}, "Start date must be a real date"),
        ({"day_day": "1", "day_month": "1", "day_year": "1"}, "Start date must be a real date"),
        ({"day": "2026-02-31"}, "Start date must be a real date"),
        ({"day_day": "1", "day_month": "1", "day_year": "99"}, "Start date must be a real date"),
    ],
)
def test_a_missing_or_impossible_date_is_refused_in_the_gov_uk_style(data, message):
    form = DateForm(data)

    assert not form.is_valid() and form.errors["day"] == [message]


def test_a_single_posted_value_is_read():
    form = DateForm({"day": "27/03/2026"})

    assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 3, 27)


def test_the_page_renders_three_boxes_in_a_fieldset():
    from django.template.loader import render_to_string

    html = render_to_string("govuk/components/field.html", {"field": DateForm()["day"]})

    assert 'class="govuk-date-input"' in html and "<legend" in html
    assert 'name="day_day"' in html and 'name="day_month"' in html and 'name="day_year"' in html
