from django.core.management.base import BaseCommand, CommandParser

from deployments import jobs
from designations.management.commands.check_designations import parse_day


class Command(BaseCommand):
    help = (
        "Starts agreed deployments whose start date has come, then moves active or paused deployments "
        "past their end date to awaiting final evaluation and tells the broker, the leader and the "
        "supported school once. A failed send leaves the deployment for the next run; running it twice "
        "changes and sends nothing twice. Prints the deployments started, checked, closed, closed with "
        "no one to tell, and failed. The same job runs daily at 06:00 through Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as on this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, **options) -> None:
        counts = jobs.close_ended_deployments(parse_day(options["date"]))
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
