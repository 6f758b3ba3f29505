"""Demo term dates: Norfolk takes its October half term a week earlier than the national default
in 2026 to 2027, so the demo's officers see an authority's own dates beside the default."""

from __future__ import annotations

import datetime

from django.db import transaction

from schools.models import LocalAuthority

from . import services
from .models import SchoolYear, TermPeriod

DEMO_AUTHORITY_CODE = "926"  # Norfolk, as in accounts.demo
DEMO_YEAR = 2026
DEMO_CHANGES = {
    "Autumn 1": (datetime.date(2026, 9, 3), datetime.date(2026, 10, 16)),
    "Autumn 2": (datetime.date(2026, 10, 26), datetime.date(2026, 12, 18)),
}


@transaction.atomic
def seed_term_dates_demo() -> int:
    """Give Norfolk its own 2026 to 2027 dates; returns how many periods it has (0: no Norfolk or
    no seeded year). Running it again changes nothing."""
    local_authority = LocalAuthority.objects.filter(code=DEMO_AUTHORITY_CODE).first()
    school_year = SchoolYear.objects.filter(starts_in=DEMO_YEAR).first()
    if local_authority is None or school_year is None:
        return 0
    own = TermPeriod.objects.of_calendar(school_year, local_authority)
    if not own.exists():
        services.copy_national_default(school_year, local_authority)
        for name, (starts_on, ends_on) in DEMO_CHANGES.items():
            period = own.get(name=name)
            period.starts_on, period.ends_on = starts_on, ends_on
            services.save_period(period)
    return own.count()
