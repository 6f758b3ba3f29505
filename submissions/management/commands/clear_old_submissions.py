from django.core.management.base import BaseCommand

from submissions import services


class Command(BaseCommand):
    help = (
        "Deletes the one-time form tokens claimed more than two days ago. A token only matters while "
        "someone might post the same form again (a double click, the back button); after that its "
        "row is dead weight. Running it twice deletes nothing twice. Prints how many were deleted. "
        "The same job runs daily at 03:00 through Celery beat."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"deleted: {services.clear_old_submissions()}")
