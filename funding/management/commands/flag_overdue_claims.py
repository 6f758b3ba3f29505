from django.core.management.base import BaseCommand, CommandParser

from designations.management.commands.check_designations import parse_day
from funding import jobs


class Command(BaseCommand):
    help = (
        "Tells each claim's commissioner (its inbox, else its commissioners and LA officers) about "
        "claims submitted, or awaiting a second approval, and not decided for 30 days or more: once per "
        "claim and submission, so a claim resubmitted after a request for information is flagged again "
        "if it waits again, and running it twice or after a crash tells nobody twice. Prints the claims "
        "checked, those flagged, those with no one to email and sends that failed (retried on the next "
        "run). The same job runs daily at 07:30 through Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as on this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, **options) -> None:
        counts = jobs.flag_overdue_claims(parse_day(options["date"]))
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
