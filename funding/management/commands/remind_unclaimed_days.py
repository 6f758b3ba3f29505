from django.core.management.base import BaseCommand, CommandParser

from designations.management.commands.check_designations import parse_day
from funding import jobs


class Command(BaseCommand):
    help = (
        "Tells the head and school business manager of the school each agreement pays about days "
        "delivered (time logged on the deployment) that no live claim covers 60 days after the end of "
        "the month they were worked in, with a link to make the claim: once per deployment and month "
        "(a uniqueness constraint records each), so running it twice or after a crash tells nobody "
        "twice and misses nobody. Prints the deployments checked, the reminders sent, those with no "
        "one to email and sends that failed (retried on the next run). The same job runs daily at "
        "07:00 through Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as on this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, **options) -> None:
        counts = jobs.remind_unclaimed_days(parse_day(options["date"]))
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
