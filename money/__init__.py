"""Money: pounds and pence as ``Decimal``, rounded once, the same way, here and nowhere else.

Every amount the service computes (a day rate times days, a budget overrun) is rounded to the
penny by ``round_money``, half up as people round by hand (£0.005 is £0.01), and shown by
``format_pounds`` ("£12,015.00"). Pages use the ``pounds`` template filter (``{% load money %}``);
the API gives amounts as decimal strings ("12015.00"), never floats (``money.api.amount_field``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def as_decimal(value: Decimal | int | str) -> Decimal:
    """The value as a Decimal; a float is refused, since it cannot hold pence exactly."""
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass a Decimal, an int or a string")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError(f"Not an amount of money: {value!r}") from error
    if not number.is_finite():
        raise ValueError(f"Not an amount of money: {value!r}")
    return number


def round_money(value: Decimal | int | str) -> Decimal:
    """Pounds and pence: rounded half up to the penny (the one rounding of money in the service)."""
    return as_decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def to_pence(value: Decimal | int | str) -> int:
    """Whole pence, rounded as ``round_money`` rounds (for sums that must not drift)."""
    return int(round_money(value) * 100)


def from_pence(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(PENNY)


def total(amounts) -> Decimal:
    """The sum of amounts already in pounds and pence: exact, so it is not rounded again."""
    return sum((round_money(amount) for amount in amounts), ZERO)


def format_pounds(value: Decimal | int | str | None, *, empty: str = "") -> str:
    """£12,015.00 (and -£5.00 below zero); ``empty`` for no amount."""
    if value is None or value == "":
        return empty
    amount = round_money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
