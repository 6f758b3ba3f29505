import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from designations import jobs


class Command(BaseCommand):
    help = (
        "Checks every active or suspended designation against the facts and opens a "
        "de-designation case, for a person to decide, when the holder's school's latest Ofsted "
        "judgement has fallen below the type's rule, the school has closed, the holder no longer "
        "holds a qualifying role at the school, or the term has ended. Nothing is removed "
        "automatically. A reason that already has an open case is not raised again, so running it "
        "twice opens nothing new. Prints how many designations were checked and the cases opened "
        "per reason. The same job runs daily at 02:00 through Celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Check as on this day (YYYY-MM-DD); today by default.")

    def handle(self, *args, **options) -> None:
        counts = jobs.check_designations(parse_day(options["date"]))
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")


def parse_day(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be a date written as YYYY-MM-DD, not “{value}”.") from error
