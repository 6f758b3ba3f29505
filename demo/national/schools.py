"""Establishments: the public list's open schools placed in their authorities, free schools to
make up England's number of open ones, and closed predecessors (mostly schools that became
academies), with trusts, dioceses and Ofsted inspections under both frameworks."""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import OuterRef, Subquery

from schools.choices import InspectionSource, JudgementArea, SchoolStatus
from schools.demo import (
    COMMUNITY,
    FOUNDATION,
    VOLUNTARY_AIDED,
    VOLUNTARY_CONTROLLED,
    SourceSchool,
    read_source_schools,
    religious_character,
    synthesise_inspections,
    synthesise_school,
)
from schools.management.commands.load_outcodes import DEFAULT_OUTCODES_FILE, load_outcodes
from schools.models import Diocese, Inspection, Judgement, LocalAuthority, OutwardCode, School, Trust

from .context import Context, bulk, insert_rows
from .geography import AUTHORITIES, english_places

OPEN_AT_FULL_SCALE = 24_000
CLOSED_AT_FULL_SCALE = 26_000
TRUSTS_AT_FULL_SCALE = 2_000
FREE_SCHOOL_URNS_FROM = 700_000
CLOSED_URNS_FROM = 800_000
FREE_SCHOOL = ("35", "Free schools", "Free Schools")
TRUST_WORDS = ("Learning", "Academy", "Education", "Schools", "Multi-Academy", "Community")
# Church of England and Roman Catholic dioceses by region: a school with a religious character
# belongs to one of its region's.
DIOCESES = {
    "CofE": {
        "North East": ("Durham", "Newcastle"),
        "North West": ("Blackburn", "Carlisle", "Chester", "Liverpool", "Manchester"),
        "Yorkshire and the Humber": ("Leeds", "Sheffield", "York"),
        "East Midlands": ("Derby", "Leicester", "Lincoln", "Peterborough", "Southwell and Nottingham"),
        "West Midlands": ("Birmingham", "Coventry", "Hereford", "Lichfield", "Worcester"),
        "East of England": ("Chelmsford", "Ely", "Norwich", "St Albans", "St Edmundsbury and Ipswich"),
        "London": ("London", "Southwark"),
        "South East": (
            "Canterbury",
            "Chichester",
            "Guildford",
            "Oxford",
            "Portsmouth",
            "Rochester",
            "Winchester",
        ),
        "South West": ("Bath and Wells", "Bristol", "Exeter", "Gloucester", "Salisbury", "Truro"),
    },
    "Catholic": {
        "North East": ("Hexham and Newcastle",),
        "North West": ("Lancaster", "Liverpool", "Salford", "Shrewsbury"),
        "Yorkshire and the Humber": ("Hallam", "Leeds", "Middlesbrough"),
        "East Midlands": ("Nottingham", "Northampton"),
        "West Midlands": ("Birmingham", "Shrewsbury"),
        "East of England": ("Brentwood", "East Anglia"),
        "London": ("Westminster", "Southwark"),
        "South East": ("Arundel and Brighton", "Portsmouth", "Southwark"),
        "South West": ("Clifton", "Plymouth"),
    },
}


@dataclass
class SchoolsMade:
    authorities: list[LocalAuthority]
    open_schools: list[School]
    closed_schools: list[School]
    trusts: int
    dioceses: int
    inspections: int
    judgements: int
    # Each school's latest graded overall effectiveness, or "" when it has none.
    overall: dict[int, str]


def _authorities() -> list[LocalAuthority]:
    return bulk(
        LocalAuthority,
        [LocalAuthority(code=code, name=name, region=region) for code, name, region in AUTHORITIES],
    )


def _trusts(ctx: Context, regions: list[str]) -> dict[str, list[Trust]]:
    rng = ctx.rng("trusts")
    count = ctx.count(TRUSTS_AT_FULL_SCALE, minimum=len(regions))
    rows = []
    for n in range(count):
        regions[n % len(regions)]
        rows.append(
            Trust(
                code=f"TR{n + 1:05d}",
                name=f"{rng.choice(_place_words())} {rng.choice(TRUST_WORDS)} Trust {n + 1}",
            )
        )
    made = bulk(Trust, rows)
    by_region: dict[str, list[Trust]] = defaultdict(list)
    for n, trust in enumerate(made):
        by_region[regions[n % len(regions)]].append(trust)
    return by_region


def _place_words() -> tuple[str, ...]:
    return (
        "Northern",
        "Riverside",
        "Vale",
        "Forest",
        "Coastal",
        "Pennine",
        "Weald",
        "Fenland",
        "Moorland",
        "Downs",
        "Chiltern",
        "Marches",
    )


def _dioceses() -> dict[tuple[str, str], list[Diocese]]:
    rows, keys = [], []
    for church, by_region in DIOCESES.items():
        prefix = "CE" if church == "CofE" else "RC"
        for region, names in by_region.items():
            for name in names:
                code = f"{prefix}-{name}"[:20]
                keys.append((church, region, code))
                rows.append(
                    (code, f"{'Diocese' if church == 'CofE' else 'Roman Catholic Diocese'} of {name}")
                )
    unique = dict(rows)
    made = {
        d.code: d for d in bulk(Diocese, [Diocese(code=code, name=name) for code, name in unique.items()])
    }
    result: dict[tuple[str, str], list[Diocese]] = defaultdict(list)
    for church, region, code in keys:
        result[(church, region)].append(made[code])
    return result


def _sources(ctx: Context, places) -> list[SourceSchool]:
    placeable = [s for s in read_source_schools() if s.outward_code in places]
    wanted = min(len(placeable), ctx.count(OPEN_AT_FULL_SCALE))
    return sorted(ctx.rng("open-schools").sample(placeable, wanted), key=lambda s: s.urn)


def _free_schools(ctx: Context, sources: list[SourceSchool]) -> list[SourceSchool]:
    """Free schools (opened since 2011) to make up England's open establishments beyond the list."""
    rng = ctx.rng("free-schools")
    missing = ctx.count(OPEN_AT_FULL_SCALE) - len(sources)
    made = []
    for n in range(max(0, missing)):
        template = rng.choice(sources)
        kind = rng.choice(("Primary Free School", "Free School", "Secondary Free School", "Studio School"))
        made.append(
            dataclasses.replace(
                template,
                urn=FREE_SCHOOL_URNS_FROM + n,
                name=f"{template.town} {kind}",
                open_date=datetime.date(2011 + rng.randrange(14), 9, 1),
            )
        )
    return made


def _build(ctx: Context, source: SourceSchool, authority: LocalAuthority, outcode: OutwardCode) -> School:
    return synthesise_school(
        source, local_authority=authority, outcode=outcode, region=authority.region, seed=str(ctx.seed)
    )


def _closed_predecessor(ctx: Context, rng, successor: School, n: int) -> School:
    """The school a successor replaced: same name and place, maintained, closed when it converted."""
    closed = School(
        **{
            f.attname: getattr(successor, f.attname)
            for f in School._meta.concrete_fields
            if f.name != "latest_inspection"
        }
    )
    closed.urn = CLOSED_URNS_FROM + n
    closed.status = SchoolStatus.CLOSED
    character = religious_character(successor.name)
    code, name, group = (
        (VOLUNTARY_AIDED if rng.random() < 0.5 else VOLUNTARY_CONTROLLED)
        if character
        else (FOUNDATION if rng.random() < 0.15 else COMMUNITY)
    )
    closed.type_code, closed.type_name, closed.type_group = code, name, group
    closed.trust = None
    close_date = successor.open_date or (ctx.today - datetime.timedelta(days=rng.randint(60, 15 * 365)))
    closed.close_date = min(close_date - datetime.timedelta(days=1), ctx.today - datetime.timedelta(days=1))
    closed.open_date = closed.close_date - datetime.timedelta(days=rng.randint(5 * 365, 60 * 365))
    closed.number_of_pupils = closed.school_capacity = None
    return closed


def _place(ctx: Context, schools: list[School], trusts, dioceses) -> None:
    rng = ctx.rng("trusts-and-dioceses")
    for school in schools:
        if school.type_group in {"Academies", "Free Schools"}:
            school.trust = rng.choice(trusts[school.region])
        character = religious_character(school.name)
        if character:
            school.diocese = rng.choice(dioceses[(character, school.region)])


def _inspections(ctx: Context, schools: list[School]) -> tuple[int, int, dict[int, str]]:
    today = ctx.today
    inspections, grades, overall = [], [], {}
    for school in schools:
        for synthesised in synthesise_inspections(school.urn, school.phase, seed=str(ctx.seed)):
            if school.close_date and synthesised.start_date >= school.close_date:
                continue
            if synthesised.start_date > today:
                continue
            published = synthesised.publication_date
            inspections.append(
                Inspection(
                    school=school,
                    framework=synthesised.framework,
                    start_date=synthesised.start_date,
                    end_date=synthesised.start_date + datetime.timedelta(days=1),
                    publication_date=published if published <= today else None,
                    inspection_type="Inspection",
                    inspection_number=f"N{school.urn}{synthesised.start_date:%y%m}",
                    source=InspectionSource.DEMO,
                )
            )
            grades.append(synthesised.grades)
            overall[school.urn] = synthesised.grades.get(
                JudgementArea.OVERALL_EFFECTIVENESS, overall.get(school.urn, "")
            )
    bulk(Inspection, inspections)
    judgements = insert_rows(
        Judgement,
        ("inspection_id", "area", "grade"),
        [
            (inspection.pk, area, grade)
            for inspection, by_area in zip(inspections, grades, strict=True)
            for area, grade in by_area.items()
        ],
    )
    _link_latest_inspections()
    return len(inspections), judgements, overall


def _link_latest_inspections() -> None:
    """The latest published inspection of each school, in one statement: on PostgreSQL a join on
    each school's latest (one pass over the inspections), elsewhere a subquery per school."""
    if connection.vendor != "postgresql":
        latest = Inspection.objects.filter(school=OuterRef("pk"), publication_date__isnull=False)
        School.objects.update(
            latest_inspection=Subquery(latest.order_by("-start_date", "-pk").values("pk")[:1])
        )
        return
    school, inspection = School._meta, Inspection._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {school.db_table} AS s SET latest_inspection_id = latest.id
            FROM (
                SELECT DISTINCT ON (school_id) school_id, id FROM {inspection.db_table}
                WHERE publication_date IS NOT NULL
                ORDER BY school_id, start_date DESC, id DESC
            ) AS latest
            WHERE s.{school.pk.column} = latest.school_id
            """  # noqa: S608 - table names from the models, no input
        )


def generate_schools(ctx: Context) -> SchoolsMade:
    """Authorities, trusts, dioceses, establishments (open and closed) and their inspections."""
    load_outcodes(DEFAULT_OUTCODES_FILE)
    places = english_places()
    outcodes = OutwardCode.objects.in_bulk()
    authorities = _authorities()
    by_code = {a.code: a for a in authorities}
    regions = sorted({a.region for a in authorities})
    trusts, dioceses = _trusts(ctx, regions), _dioceses()
    sources = _sources(ctx, places)
    open_schools = []
    for source in [*sources, *_free_schools(ctx, sources)]:
        place = places[source.outward_code]
        school = _build(ctx, source, by_code[place.authority_code], outcodes[source.outward_code])
        if source.urn >= FREE_SCHOOL_URNS_FROM:
            school.type_code, school.type_name, school.type_group = FREE_SCHOOL
        open_schools.append(school)
    rng = ctx.rng("closed-schools")
    closed = [
        _closed_predecessor(ctx, rng, rng.choice(open_schools), n)
        for n in range(ctx.count(CLOSED_AT_FULL_SCALE))
    ]
    _place(ctx, open_schools + closed, trusts, dioceses)
    bulk(School, open_schools + closed)
    inspections, judgements, overall = _inspections(ctx, open_schools + closed)
    return SchoolsMade(
        authorities,
        open_schools,
        closed,
        sum(len(t) for t in trusts.values()),
        len({d.pk for ds in dioceses.values() for d in ds}),
        inspections,
        judgements,
        overall,
    )
