"""The ranges of brokerage's numbers and dates, run by the models' full_clean(): the forms, the
services and the API refuse the same values with the same messages."""

from bounds import DateWindow, NumberRange

YEAR = 366
BUDGET = NumberRange("The budget", 1, 1_000_000, "0.01", unit="£")
# A preferred start from a year ago (a request raised for support already begun) to two years ahead.
PREFERRED_START = DateWindow("The preferred start date", days_before=YEAR, days_after=2 * YEAR)
ASSESSED_ON = DateWindow("The date of the assessment", days_before=5 * YEAR, days_after=0)
PARTNERSHIP_HOURS = NumberRange("Hours", 20, 30, "0.5", step_words="in half hours")
SESSION_HOURS = NumberRange("Hours", "0.25", 12, "0.25", step_words="in quarter hours")
SESSION_HELD_ON = DateWindow("The date of the session", days_before=3 * YEAR, days_after=0)
