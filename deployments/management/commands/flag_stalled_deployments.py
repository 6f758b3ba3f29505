from django.core.management.base import BaseCommand, CommandParser

from deployments import jobs
from designations.management.commands.check_designations import parse_day


class Command(BaseCommand):
    help = (
        "Tells the broker and the commissioner about each active deployment with no time logged for "
        "four school weeks (since the last day logged, or since it started; half term and the holidays "
        "do not count): once per stall, so a deployment "
        "that stalls again after time is logged is flagged again, and running it twice flags nothing "
        "twice. Prints the deployments checked, those flagged, those with no one to email and sends "
        "that failed (retried on the next run). The same job runs daily at 05:30 through Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as on this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, **options) -> None:
        counts = jobs.flag_stalled_deployments(parse_day(options["date"]))
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
