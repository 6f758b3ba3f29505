from django.core.management.base import BaseCommand, CommandParser

from designations import jobs
from designations.management.commands.check_designations import parse_day


class Command(BaseCommand):
    help = (
        "Emails each designating body about reviews of current designations due within 30 days, "
        "within 7 days, and overdue: once per review and kind, recorded with a uniqueness "
        "constraint, so running it twice or after a crash sends no reminder twice and misses none. "
        "Prints how many reviews were checked, the reminders sent per kind, reviews whose "
        "designating body has no one to email, and sends that failed (retried on the next run). "
        "The same job runs daily at 06:00 through Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Remind as on this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, **options) -> None:
        counts = jobs.send_review_reminders(parse_day(options["date"]))
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
