"""The ranges of a deployment's numbers and dates, run by the models' full_clean(): the forms,
the services and the API refuse the same values with the same messages."""

from bounds import DateWindow, NumberRange

YEAR = 366
DAYS_PER_WEEK = NumberRange("Days a week", "0.25", 5, "0.25")
TOTAL_DAYS = NumberRange("Total days", "0.5", 500, "0.5")
STAFF_DAYS = NumberRange("Staff days", "0.5", 500, "0.5")
EXTRA_DAYS = NumberRange("Extra days", "0.5", 100, "0.5")
DAY_RATE = NumberRange("The day rate", 1, 5_000, "0.01", unit="£")
TOTAL_AMOUNT = NumberRange("The total amount", 1, 1_000_000, "0.01", unit="£")
# Backfill, supply cover and other costs: days at their own day rate.
COST_DAYS = NumberRange("Cost days", "0.5", 500, "0.5")
COST_DAY_RATE = NumberRange("The cost's day rate", 1, 5_000, "0.01", unit="£")
# A day's logged time: one entry is a quarter day to a day; the entries of a person on one date
# add up to one day at most (work.log_time checks that, across all their deployments).
TIME_LOGGED = NumberRange("Days", "0.25", 1, "0.25")
MAX_DAYS_PER_DATE = 1
AVAILABLE_DAYS = NumberRange("Days a week you can still give", 0, 5, "0.5")

# Agreements start from today (a new version may keep its deployment's start) and run at most
# three years.
AGREEMENT_STARTS = DateWindow("The start date", days_before=3 * YEAR, days_after=2 * YEAR)
AGREEMENT_ENDS = DateWindow("The end date", days_before=3 * YEAR, days_after=5 * YEAR)
AGREEMENT_LONGEST_DAYS = 3 * YEAR
TARGET_ON = DateWindow("The target date", days_before=3 * YEAR, days_after=5 * YEAR)
WORKED_ON = DateWindow("The date worked", days_before=YEAR, days_after=0)
REVIEWED_ON = DateWindow("The date of the review", days_before=YEAR, days_after=0)
NEXT_REVIEW_ON = DateWindow("The next review", days_before=0, days_after=YEAR)
EVALUATED_ON = DateWindow("The date of the evaluation", days_before=YEAR, days_after=0)
AGREED_ON = DateWindow("The date they agreed", days_before=YEAR, days_after=0)
UNAVAILABLE_FROM = DateWindow("The first day", days_before=YEAR, days_after=2 * YEAR)
UNAVAILABLE_TO = DateWindow("The last day", days_before=YEAR, days_after=3 * YEAR)
