"""What every stage of the national generator shares: the seed, the scale, a fixed today, and
the way rows are written (in bulk, with the dates the history gives them)."""

from __future__ import annotations

import contextlib
import datetime
import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, models
from django.utils import timezone

from . import copying

BATCH_SIZE = 2000


@dataclass(frozen=True)
class Context:
    seed: int
    scale: float
    today: datetime.date

    def count(self, at_full_scale: int, minimum: int = 1) -> int:
        """How many of a thing at this scale (never fewer than ``minimum``)."""
        return max(minimum, round(at_full_scale * self.scale))

    def rng(self, stage: str) -> random.Random:
        """A generator of the stage's own, so one stage's draws do not shift another's."""
        return random.Random(f"syslead-national:{self.seed}:{stage}")  # noqa: S311 - made-up data

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)


@functools.lru_cache(maxsize=8192)
def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A time on ``day`` in the service's time zone, for the timestamps of made-up history (cached:
    ten years of days and a few hours, asked for millions of times; datetimes are immutable)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def bulk(model: type[models.Model], rows: list, batch_size: int = BATCH_SIZE, ids: bool = True) -> list:
    """Insert in batches; no signals and no history rows are written (bulk_create sends neither).
    On PostgreSQL the rows go in by COPY, with the values bulk_create would have written; with
    ``ids=False`` (rows nothing refers to) the instances may be left without their primary keys."""
    _date_last_change(model, rows)
    if connection.vendor == "postgresql" and copying.can_copy(model):
        return copying.copy_instances(model, rows, ids=ids)
    return model.objects.bulk_create(rows, batch_size=batch_size)


def _date_last_change(model: type[models.Model], rows: list) -> None:
    """A row's ``created_at`` and ``updated_at``, when the generator gave none (``given_timestamps``
    turns ``auto_now`` off): the earliest and latest moments it records, so a partner syncing by
    ``updated_since`` sees history as it happened rather than everything changed today."""
    names = {field.name for field in model._meta.concrete_fields}
    stamps = [name for name in ("created_at", "updated_at") if name in names]
    if not stamps:
        return
    moments = [
        field.attname for field in model._meta.concrete_fields
        if isinstance(field, models.DateTimeField) and field.name not in ("created_at", "updated_at")
    ]
    for row in rows:
        known = [value for value in (getattr(row, name) for name in moments) if value is not None]
        if "created_at" in stamps and row.created_at is None:
            row.created_at = min(known) if known else timezone.now()
        if "updated_at" in stamps and row.updated_at is None:
            latest = [*known, row.created_at] if row.created_at else known
            row.updated_at = max(latest, default=timezone.now())


def insert_rows(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> int:
    """Insert plain tuples of ``columns`` (attnames; the other columns take their defaults) without
    making a model instance per row: COPY on PostgreSQL, bulk_create elsewhere. Returns the count."""
    if connection.vendor == "postgresql" and copying.can_copy(model):
        return copying.copy_tuples(model, columns, rows)
    instances = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    model.objects.bulk_create(instances, batch_size=5000)
    return len(instances)


@contextlib.contextmanager
def given_timestamps(*models_: type[models.Model]) -> Iterator[None]:
    """Keep the created/changed times the generator sets instead of now: ten years of history
    written today would otherwise all be dated today."""
    fields = [
        field
        for model in models_
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    try:
        for field in fields:
            field.auto_now = field.auto_now_add = False
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add
