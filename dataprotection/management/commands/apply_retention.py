from django.core.management.base import BaseCommand

from dataprotection.models import RetentionRule
from dataprotection.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Delete or anonymise every record past its retention period (the periods are the retention "
        "rules in the admin; the privacy notice states them), in batches of RETENTION_BATCH_SIZE, and "
        "print what was done. Safe to run again: what was done is not found again. The daily task "
        "dataprotection.apply_retention does the same. With --dry-run, list what would be done and "
        "change nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be done; change nothing.")
        parser.add_argument(
            "--batch-size", type=int, default=None, help="Records per batch (default: RETENTION_BATCH_SIZE)."
        )

    def handle(self, *args, dry_run: bool, batch_size: int | None, **options) -> None:
        run = apply_retention(dry_run=dry_run, batch_size=batch_size)
        labels = {rule.kind: rule.get_kind_display() for rule in RetentionRule.objects.all()}
        verb = "Would remove" if dry_run else "Removed"
        for kind, outcome in run.report.items():
            label = labels.get(kind, "Expired copies of people's data")
            ids = ", ".join(str(pk) for pk in outcome["ids"])
            line = f"{verb} {outcome['count']}: {label}"
            if "before" in outcome:
                line += f" (past {outcome['months']} months, before {outcome['before'][:10]})"
            self.stdout.write(line + (f" – ids {ids}" if ids else ""))
        self.stdout.write(f"Retention run {run.pk}{' (dry run: nothing changed)' if dry_run else ''}.")
