"""The ranges of school years and term dates, run by the models' full_clean(): the forms, the
services and the seed refuse the same values with the same messages."""

from django.core.validators import MaxValueValidator, MinValueValidator

FIRST_SCHOOL_YEAR = 2000
LAST_SCHOOL_YEAR = 2100
SCHOOL_YEAR_STARTS = [
    MinValueValidator(FIRST_SCHOOL_YEAR, f"The school year must start in {FIRST_SCHOOL_YEAR} or later"),
    MaxValueValidator(LAST_SCHOOL_YEAR, f"The school year must start in {LAST_SCHOOL_YEAR} or earlier"),
]
# A school year runs from 1 September to 31 August.
YEAR_STARTS_MONTH = 9
