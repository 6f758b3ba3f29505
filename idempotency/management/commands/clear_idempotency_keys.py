from django.core.management.base import BaseCommand

from idempotency.services import clear_expired_keys


class Command(BaseCommand):
    help = (
        "Delete remembered Idempotency-Key requests older than 24 hours (a repeat after that runs "
        "again anyway). The beat schedule runs this nightly as idempotency.clear_expired_keys."
    )

    def handle(self, *args, **options) -> None:
        deleted = clear_expired_keys()
        self.stdout.write(f"Deleted {deleted} expired idempotency keys.")
