"""The ranges of the funding app's numbers and dates, run by the models' full_clean()."""

from bounds import DateWindow, NumberRange

YEAR = 366
CLAIM_PERIOD_STARTS = DateWindow("The start of the period", days_before=4 * YEAR, days_after=0)
CLAIM_PERIOD_ENDS = DateWindow("The end of the period", days_before=4 * YEAR, days_after=0)
CLAIMED_DAYS = NumberRange("Days claimed", "0.25", 500, "0.25")
CLAIMED_COST_DAYS = NumberRange("Days", "0.5", 500, "0.5")
LINE_AMOUNT = NumberRange("The amount", "0.01", 1_000_000, "0.01", unit="£")
PAID_ON = DateWindow("The date paid", days_before=2 * YEAR, days_after=0)
PAYMENT_REFERENCE_MAX = 60
ANNUAL_AMOUNT = NumberRange("The amount a year", 1, 1_000_000, "0.01", unit="£")
# In percent; not unit="%", which would read "%1" (units are written before the number).
SAMPLE_RATE = NumberRange("The share to sample, in percent,", 1, 100, 1)
SAMPLE_SEED = NumberRange("The seed", 0, 2_147_483_647, 1)
CLAWBACK_AMOUNT = NumberRange("The amount to claw back", "0.01", 1_000_000, "0.01", unit="£")
FUNDING_YEAR = NumberRange("The year", 2000, 2100, 1, plain=True)
