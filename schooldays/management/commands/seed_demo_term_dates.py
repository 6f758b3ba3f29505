from django.core.management.base import BaseCommand

from schooldays.demo import seed_term_dates_demo


class Command(BaseCommand):
    help = (
        "Adds demo term dates to the demo dataset (run seed_demo first; seed_demo calls this): "
        "Norfolk's own 2026 to 2027 dates, with its October half term a week earlier than the "
        "national default. Running it again creates nothing new."
    )

    def handle(self, *args, **options) -> None:
        periods = seed_term_dates_demo()
        if periods:
            message = f"Demo term dates ready: Norfolk has its own {periods} periods for 2026 to 2027."
        else:
            message = "No demo term dates: run seed_demo first (Norfolk and 2026 to 2027 are needed)."
        self.stdout.write(message)
