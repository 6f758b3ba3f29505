from django.core.management.base import BaseCommand, CommandParser

from deployments import jobs
from designations.management.commands.check_designations import parse_day


class Command(BaseCommand):
    help = (
        "Tells each teaching school, in one email, about the SLEs in its pool designated more than "
        "three months ago and never deployed (agreed, active, paused, awaiting final evaluation or "
        "completed): each SLE once, recorded per designation, so running it twice or after a crash "
        "sends nothing twice and misses nothing. Prints the SLEs checked, flagged, with no one to email "
        "and failed. The same job runs daily at 06:30 through Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run as on this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, **options) -> None:
        counts = jobs.flag_undeployed_sles(parse_day(options["date"]))
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
