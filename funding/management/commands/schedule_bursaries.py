from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from funding.choices import FundingKind
from funding.services.bursaries import financial_year_of, schedule_bursaries, year_label
from funding.validators import FUNDING_YEAR


class Command(BaseCommand):
    help = (
        "Schedules the financial year's bursaries and grants: for each funding rate set for the year, "
        "every designation of its type held on some day of the year (1 April to 31 March) gets one, for "
        "its school, pro rata for the days designated, awaiting a national administrator's approval. "
        "A designation that already has the year's bursary is left as it is, so running it twice or "
        "after a crash schedules nothing twice. A kind with no rate for the year schedules nothing. "
        "Prints the designations checked, the bursaries scheduled and those already scheduled. The same "
        "job runs on 1 April at 06:00 through Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            help="The financial year by the year it starts (2026 is April 2026 to March 2027); "
            "by default the one containing today.",
        )

    def handle(self, *args, **options) -> None:
        year = options["year"] if options["year"] is not None else financial_year_of(timezone.localdate())
        try:
            FUNDING_YEAR(year)
        except Exception as error:
            raise CommandError(f"--year: {FUNDING_YEAR.message}") from error
        result = schedule_bursaries(year)
        self.stdout.write(f"year: {year_label(year)}")
        for name in ("checked", "scheduled", "already_scheduled"):
            self.stdout.write(f"{name}: {getattr(result, name)}")
        for kind in result.kinds_without_rate:
            self.stdout.write(f"no rate for the {FundingKind(kind).label.lower()}: none scheduled")
