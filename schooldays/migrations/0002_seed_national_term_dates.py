"""The national default term dates for 2025 to 2026, 2026 to 2027 and 2027 to 2028: six half
terms each, on typical dates for England. Authorities whose dates differ set their own."""

import datetime

from django.db import migrations

D = datetime.date
NATIONAL_TERM_DATES = {
    2025: [
        ("Autumn 1", D(2025, 9, 3), D(2025, 10, 24)),
        ("Autumn 2", D(2025, 11, 3), D(2025, 12, 19)),
        ("Spring 1", D(2026, 1, 5), D(2026, 2, 13)),
        ("Spring 2", D(2026, 2, 23), D(2026, 3, 27)),
        ("Summer 1", D(2026, 4, 13), D(2026, 5, 22)),
        ("Summer 2", D(2026, 6, 1), D(2026, 7, 22)),
    ],
    2026: [
        ("Autumn 1", D(2026, 9, 3), D(2026, 10, 23)),
        ("Autumn 2", D(2026, 11, 2), D(2026, 12, 18)),
        ("Spring 1", D(2027, 1, 4), D(2027, 2, 12)),
        ("Spring 2", D(2027, 2, 22), D(2027, 3, 25)),
        ("Summer 1", D(2027, 4, 12), D(2027, 5, 28)),
        ("Summer 2", D(2027, 6, 7), D(2027, 7, 22)),
    ],
    2027: [
        ("Autumn 1", D(2027, 9, 2), D(2027, 10, 22)),
        ("Autumn 2", D(2027, 11, 1), D(2027, 12, 17)),
        ("Spring 1", D(2028, 1, 4), D(2028, 2, 11)),
        ("Spring 2", D(2028, 2, 21), D(2028, 4, 7)),
        ("Summer 1", D(2028, 4, 24), D(2028, 5, 26)),
        ("Summer 2", D(2028, 6, 5), D(2028, 7, 21)),
    ],
}


def seed(apps, schema_editor):
    """Idempotent: a year that already has national periods is left as it is."""
    SchoolYear = apps.get_model("schooldays", "SchoolYear")
    TermPeriod = apps.get_model("schooldays", "TermPeriod")
    for starts_in, periods in NATIONAL_TERM_DATES.items():
        school_year, _ = SchoolYear.objects.get_or_create(starts_in=starts_in)
        if TermPeriod.objects.filter(school_year=school_year, local_authority__isnull=True).exists():
            continue
        TermPeriod.objects.bulk_create(
            TermPeriod(school_year=school_year, name=name, starts_on=starts_on, ends_on=ends_on)
            for name, starts_on, ends_on in periods
        )


def unseed(apps, schema_editor):
    SchoolYear = apps.get_model("schooldays", "SchoolYear")
    TermPeriod = apps.get_model("schooldays", "TermPeriod")
    years = SchoolYear.objects.filter(starts_in__in=NATIONAL_TERM_DATES)
    TermPeriod.objects.filter(school_year__in=years, local_authority__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("schooldays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
