"""Money is Decimal pounds and pence, rounded half up to the penny in one place (``money``)."""

import pathlib
import re
from decimal import Decimal

import pytest
from django.template import Context, Template

import money

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = [
    "accounts", "apiformat", "bounds", "brokerage", "config", "deployments", "designations", "govuk",
    "navigation", "oversight", "plaintext", "refusals", "schools", "submissions", "worklist",
]


@pytest.mark.parametrize(
    "value, pounds",
    [
        ("0.005", "0.01"),  # half a penny rounds up
        ("2.675", "2.68"),
        ("1.004", "1.00"),
        ("225.005", "225.01"),
        ("-0.005", "-0.01"),  # away from zero, as by hand
        (12015, "12015.00"),
        (Decimal("450"), "450.00"),
    ],
)
def test_round_money_rounds_half_up_to_the_penny(value, pounds):
    assert money.round_money(value) == Decimal(pounds)
    assert str(money.round_money(value)) == pounds


def test_pence_are_whole_and_round_the_same_way():
    assert money.to_pence("12.345") == 1235
    assert money.from_pence(1235) == Decimal("12.35")


def test_a_float_is_never_money():
    with pytest.raises(TypeError):
        money.round_money(0.1)


@pytest.mark.parametrize("value", ["lots", "NaN", "Infinity"])
def test_text_that_is_not_an_amount_is_refused(value):
    with pytest.raises(ValueError):
        money.round_money(value)


def test_a_total_of_amounts_in_pence_is_exact():
    assert money.total([Decimal("0.10")] * 3) == Decimal("0.30")
    assert money.total([]) == Decimal("0.00")


@pytest.mark.parametrize(
    "value, text",
    [(Decimal("12015"), "£12,015.00"), ("0.5", "£0.50"), ("1234567.891", "£1,234,567.89"), ("-5", "-£5.00")],
)
def test_format_pounds(value, text):
    assert money.format_pounds(value) == text


def test_no_amount_is_shown_as_given():
    assert money.format_pounds(None) == ""
    assert money.format_pounds(None, empty="Not set") == "Not set"


def test_the_pounds_filter_formats_as_format_pounds():
    template = Template('{% load money %}{{ amount|pounds }}|{{ nothing|pounds:"Not set" }}')
    assert template.render(Context({"amount": Decimal("6015"), "nothing": None})) == "£6,015.00|Not set"


def test_money_is_rounded_nowhere_else():
    """No app rounds money itself: no ROUND_HALF_* and no quantize to pence outside ``money``."""
    pattern = re.compile(r"ROUND_HALF|quantize\(\s*Decimal\(\s*[\"']0\.01[\"']")
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    # The capacity check rounds days a week (not money) to hundredths; the schools' importer reads
    # percentages (not money) to two places.
    assert offenders == ["deployments/services/capacity.py", "schools/importers/parsing.py"]
