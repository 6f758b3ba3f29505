"""Fill an empty database with a deterministic synthetic England, for benchmarks."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from accounts.models import Membership, User
from demo.national import NotEmpty, Stage, generate_national


class Command(BaseCommand):
    help = (
        "Fill an EMPTY, migrated database with a synthetic England: 152 local authorities in the 9 "
        "regions; at --scale 1 about 50,000 establishments (24,000 open: the public list of open "
        "schools plus free schools; the rest closed predecessors) with trusts, dioceses and Ofsted "
        "inspections under both frameworks; 500 teaching schools; about 10,000 SLEs, 2,000 LLEs, "
        "1,000 NLEs and 300 NLGs plus lapsed and de-designated ones, with posts, specialisms, "
        "training, availability and unavailability; support requests open and closed; ten years of "
        "deployments with agreements, signoffs, objectives, time logged, progress reviews and final "
        "evaluations; claims on logged time; users and memberships; and the benchmark's fixed "
        "principals (national.admin@, la.officer@, broker@, head@, leader@, commissioner@ "
        "bench.invalid, with no usable password). The same --seed and --scale give the same rows; "
        "dates count from today. Refuses a database that already holds schools."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, required=True, help="Seed of the random choices.")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Share of England's size to make (default 1; 0.01 makes about 500 establishments).",
        )

    def handle(self, *args, seed: int, scale: float, **options) -> None:
        if not 0 < scale <= 2:
            raise CommandError("--scale must be above 0 and at most 2.")
        started = time.perf_counter()
        try:
            stages = generate_national(seed, scale, progress=self._progress)
        except NotEmpty as error:
            raise CommandError(
                f"{error} generate_national only fills an empty database: create a new one (for "
                "example dropdb and createdb), run manage.py migrate, then run this command again."
            ) from error
        self._refresh_planner_statistics()
        self._summary(stages, time.perf_counter() - started)

    def _refresh_planner_statistics(self) -> None:
        """Tell PostgreSQL's planner what was loaded, and mark the new pages all-visible: until
        autovacuum gets round to it, it plans for the empty tables (and, for example, scans every
        organisation to find one user's memberships), and each index-only scan still reads the
        table's rows, as a settled database would not."""
        if connection.vendor != "postgresql":
            return
        started = time.perf_counter()
        # VACUUM cannot run inside a transaction, such as a caller's (a test's): ANALYZE alone there.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(statement)
        self.stdout.write(f"planner statistics: done in {time.perf_counter() - started:.1f} s")

    def _progress(self, stage: Stage) -> None:
        self.stdout.write(f"{stage.name}: done in {stage.seconds:.1f} s ({stage.cpu_seconds:.1f} s CPU)")

    def _summary(self, stages: list[Stage], seconds: float) -> None:
        rows = [(stage.name, name, count) for stage in stages for name, count in stage.counts.items()]
        rows += [
            ("people", "users", User.objects.count()),
            ("people", "memberships", Membership.objects.count()),
        ]
        width = max(len(name) for _, name, _ in rows)
        self.stdout.write("\nstage                     what" + " " * (width - 4) + "      count")
        for stage, name, count in rows:
            self.stdout.write(f"{stage:<25} {name:<{width}} {count:>10,}")
        self.stdout.write("")
        for stage in stages:
            self.stdout.write(f"{stage.name:<25} {stage.seconds:>8.1f} s {stage.cpu_seconds:>8.1f} s CPU")
        self.stdout.write(self.style.SUCCESS(f"{'total':<25} {seconds:>8.1f} s"))
