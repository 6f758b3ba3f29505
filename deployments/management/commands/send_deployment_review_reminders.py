from django.core.management.base import BaseCommand, CommandParser

from deployments import jobs
from designations.management.commands.check_designations import parse_day


class Command(BaseCommand):
    help = (
        "Emails each deployment's broker about its next progress review: due within 14 days, due "
        "today, and overdue, once per deployment, due date and kind (a uniqueness constraint records "
        "each), so running it twice or after a crash sends nothing twice and misses nothing. Active, "
        "paused and awaiting-final-evaluation deployments are reminded. Prints the deployments checked, "
        "reminders sent per kind, those with no one to email and sends that failed (retried on the next "
        "run). The same job runs daily at 05:00 through Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as on this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, **options) -> None:
        counts = jobs.send_deployment_review_reminders(parse_day(options["date"]))
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
