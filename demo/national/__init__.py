"""A deterministic synthetic England for benchmarks (``manage.py generate_national``): the same
seed and scale give the same rows, with dates relative to the day it runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from designations.models import DesignationType
from schools.models import School

from .context import Context, moment
from .deployments import generate_deployments
from .designations import generate_designations
from .money import generate_claims, generate_past_reminders
from .people import busiest_authority, generate_people
from .schools import generate_schools


class NotEmpty(Exception):
    """The database already holds schools: the generator only fills an empty one."""


@dataclass
class Stage:
    name: str
    seconds: float
    # This process's own CPU time: on a shared machine, seconds minus this is waiting (or the database).
    cpu_seconds: float
    counts: dict[str, int] = field(default_factory=dict)


def generate_national(
    seed: int, scale: float, progress: Callable[[Stage], None] = lambda stage: None
) -> list[Stage]:
    """Fill an empty, migrated database; returns each stage with its counts and time."""
    if School.objects.exists():
        raise NotEmpty("The database already holds schools.")
    ctx = Context(seed=seed, scale=scale, today=timezone.localdate())
    moment.cache_clear()  # its times are in the current time zone, which a caller may have changed
    stages: list[Stage] = []

    cpu = [time.process_time()]

    def timed(name: str, started: float, counts: dict[str, int]) -> None:
        stage = Stage(name, time.perf_counter() - started, time.process_time() - cpu[0], counts)
        cpu[0] = time.process_time()
        stages.append(stage)
        progress(stage)

    with transaction.atomic():
        started = time.perf_counter()
        schools = generate_schools(ctx)
        timed(
            "schools",
            started,
            {
                "local authorities": len(schools.authorities),
                "open establishments": len(schools.open_schools),
                "closed establishments": len(schools.closed_schools),
                "trusts": schools.trusts,
                "dioceses": schools.dioceses,
                "inspections": schools.inspections,
                "judgements": schools.judgements,
            },
        )
        started = time.perf_counter()
        busiest = busiest_authority(schools.authorities, schools.open_schools)
        people = generate_people(ctx, schools.authorities, busiest)
        designations = generate_designations(ctx, people, schools.open_schools, schools.overall)
        timed(
            "people and designations",
            started,
            {f"designations {code}": count for code, count in designations.counts.items()},
        )
        started = time.perf_counter()
        types = {t.code: t for t in DesignationType.objects.all()}
        deployments = generate_deployments(
            ctx,
            people,
            schools.open_schools,
            schools.overall,
            busiest,
            designations.leaders,
            designations.principal_leader,
            types,
        )
        timed("requests and deployments", started, deployments.counts)
        started = time.perf_counter()
        claims = generate_claims(ctx, people, deployments)
        timed("claims", started, {**claims, **generate_past_reminders(ctx)})
    return stages
