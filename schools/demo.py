"""The schools part of the demo data: real East of England schools, the same on every run.

Schools come from the public list of open schools shipped in ``schools/data``; what that list
lacks (phase, type, pupils, headteacher, trust, diocese, inspections) is synthesised from a
random generator seeded per school, so every run builds exactly the same data. The benchmark
generator (``bench/``) reuses the synthesis functions for England-sized data; the demo parts of
the apps above build on the schools made here (``seed_demo`` composes them).
"""

from __future__ import annotations

import csv
import datetime
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import models, transaction

from .choices import Framework, Grade, InspectionSource, JudgementArea, Phase, SchoolStatus
from .models import Diocese, Inspection, Judgement, LocalAuthority, OutwardCode, School, Trust

SCHOOLS_FILE = Path(__file__).resolve().parent / "data" / "open_schools_20250711.csv"
SEED = "syslead-demo"
SCHOOLS_PER_AREA = 120
REGION = "East of England"


@dataclass(frozen=True)
class DemoAuthority:
    code: str
    name: str
    postcode_area: str


AUTHORITIES = (
    DemoAuthority("926", "Norfolk", "NR"),
    DemoAuthority("935", "Suffolk", "IP"),
    DemoAuthority("873", "Cambridgeshire", "CB"),
)

FIRST_NAMES = (
    "Alison", "Ben", "Catherine", "David", "Emma", "Fiona", "Gareth", "Hannah", "Ian", "Jane",
    "Kwame", "Laura", "Mohammed", "Nicola", "Oliver", "Priya", "Rachel", "Simon", "Tom", "Yasmin",
)
LAST_NAMES = (
    "Allen", "Bennett", "Clarke", "Dawson", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Mitchell", "Nowak", "Osei", "Patel", "Reynolds", "Smith", "Turner", "Walker",
)
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr")
TRUST_NAMES = (
    "Broadland Learning Trust", "Wensum Academy Trust", "Orwell Multi-Academy Trust",
    "Fenland Schools Partnership", "Waveney Education Trust", "Cam Valley Learning Trust",
)
DIOCESES = {
    "CofE": {
        "NR": ("CE21", "Diocese of Norwich"),
        "IP": ("CE27", "Diocese of St Edmundsbury and Ipswich"),
        "CB": ("CE10", "Diocese of Ely"),
    },
    "Catholic": dict.fromkeys(("NR", "IP", "CB"), ("RC04", "Diocese of East Anglia")),
}

# GIAS type codes and names (establishment_types file): (code, name, group).
COMMUNITY = ("01", "Community school", "Local authority maintained schools")
VOLUNTARY_AIDED = ("02", "Voluntary aided school", "Local authority maintained schools")
VOLUNTARY_CONTROLLED = ("03", "Voluntary controlled school", "Local authority maintained schools")
FOUNDATION = ("05", "Foundation school", "Local authority maintained schools")
COMMUNITY_SPECIAL = ("07", "Community special school", "Special schools")
PUPIL_REFERRAL_UNIT = ("14", "Pupil referral unit", "Local authority maintained schools")
LA_NURSERY = ("15", "Local authority nursery school", "Local authority maintained schools")
ACADEMY_SPONSOR_LED = ("28", "Academy sponsor led", "Academies")
ACADEMY_CONVERTER = ("34", "Academy converter", "Academies")
ACADEMY_SPECIAL = ("44", "Academy special converter", "Academies")
ACADEMY_16_19 = ("45", "Academy 16-19 converter", "Academies")

# Name words that reveal the phase, checked in order (the first match wins).
PHASE_WORDS = (
    (("nursery",), Phase.NURSERY),
    (("special", "pupil referral", "short stay", "alternative provision"), Phase.NOT_APPLICABLE),
    (("sixth form", "16-19"), Phase.SIXTEEN_PLUS),
    (("all-through", "all through"), Phase.ALL_THROUGH),
    (("middle",), Phase.MIDDLE_DEEMED_SECONDARY),
    (("primary", "infant", "junior", "first school", "church of england", "ce va", "ce vc"), Phase.PRIMARY),
    (("high", "secondary", "grammar", "upper", "college", "academy", "community school"), Phase.SECONDARY),
)
AGES = {
    Phase.NURSERY: (2, 5), Phase.PRIMARY: (4, 11), Phase.SECONDARY: (11, 18),
    Phase.MIDDLE_DEEMED_SECONDARY: (9, 13), Phase.SIXTEEN_PLUS: (16, 19), Phase.ALL_THROUGH: (4, 18),
    Phase.NOT_APPLICABLE: (5, 16),
}
PUPILS = {
    Phase.NURSERY: (40, 120), Phase.PRIMARY: (45, 460), Phase.SECONDARY: (550, 1650),
    Phase.MIDDLE_DEEMED_SECONDARY: (300, 600), Phase.SIXTEEN_PLUS: (700, 2400),
    Phase.ALL_THROUGH: (900, 1900), Phase.NOT_APPLICABLE: (30, 220),
}
GRADED_AREAS = (
    JudgementArea.QUALITY_OF_EDUCATION, JudgementArea.BEHAVIOUR_AND_ATTITUDES,
    JudgementArea.PERSONAL_DEVELOPMENT, JudgementArea.LEADERSHIP_AND_MANAGEMENT,
)
REPORT_CARD_AREAS = (
    JudgementArea.INCLUSION, JudgementArea.CURRICULUM_AND_TEACHING, JudgementArea.ACHIEVEMENT,
    JudgementArea.ATTENDANCE_AND_BEHAVIOUR, JudgementArea.PERSONAL_DEVELOPMENT_AND_WELLBEING,
    JudgementArea.LEADERSHIP_AND_GOVERNANCE,
)
REPORT_CARDS_FROM = datetime.date(2025, 11, 10)
REPORT_CARDS_UNTIL = datetime.date(2026, 10, 30)
GRADED_FROM = datetime.date(2018, 1, 8)
GRADED_UNTIL = datetime.date(2025, 7, 18)


@dataclass(frozen=True)
class SourceSchool:
    """A row of the public open-schools list."""

    urn: int
    name: str
    open_date: datetime.date | None
    town: str
    postcode: str

    @property
    def outward_code(self) -> str:
        return self.postcode.split(" ")[0].upper()

    @property
    def postcode_area(self) -> str:
        match = re.match(r"[A-Z]+", self.outward_code)
        return match.group() if match else ""


def read_source_schools(path: Path = SCHOOLS_FILE) -> Iterator[SourceSchool]:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            open_date = (
                datetime.datetime.strptime(row["open_date"], "%d-%m-%Y").date() if row["open_date"] else None
            )
            yield SourceSchool(
                urn=int(row["urn"]), name=row["name"].strip(), open_date=open_date,
                town=row["town"].strip(), postcode=row["postcode"].strip().upper(),
            )


def phase_from_name(name: str) -> Phase:
    lowered = name.lower()
    for words, phase in PHASE_WORDS:
        if any(word in lowered for word in words):
            return phase
    return Phase.PRIMARY


def school_rng(urn: int, seed: str = SEED) -> random.Random:
    """A generator of its own per school, so a school's data does not depend on the selection."""
    return random.Random(f"{seed}:{urn}")


def _school_type(name: str, phase: Phase, rng: random.Random) -> tuple[str, str, str]:
    lowered = name.lower()
    academy_share = 0.85 if phase in {Phase.SECONDARY, Phase.SIXTEEN_PLUS} else 0.45
    is_academy = "academy" in lowered or rng.random() < academy_share
    if "pupil referral" in lowered or "short stay" in lowered:
        return PUPIL_REFERRAL_UNIT
    if phase == Phase.NOT_APPLICABLE:
        return ACADEMY_SPECIAL if is_academy else COMMUNITY_SPECIAL
    if phase == Phase.NURSERY:
        return LA_NURSERY
    if phase == Phase.SIXTEEN_PLUS:
        return ACADEMY_16_19
    if is_academy:
        return ACADEMY_CONVERTER if rng.random() < 0.75 else ACADEMY_SPONSOR_LED
    if religious_character(name):
        return VOLUNTARY_AIDED if rng.random() < 0.5 else VOLUNTARY_CONTROLLED
    return FOUNDATION if rng.random() < 0.15 else COMMUNITY


def religious_character(name: str) -> str:
    """The church a school's name points to: "CofE", "Catholic", or "" for none."""
    lowered = f" {name.lower()} "
    if "catholic" in lowered or " rc " in lowered:
        return "Catholic"
    if any(word in lowered for word in (" cofe ", " c of e ", " ce ", "church of england", " vc ", " va ")):
        return "CofE"
    return ""


def synthesise_school(
    source: SourceSchool, *, local_authority: LocalAuthority, outcode: OutwardCode, region: str,
    seed: str = SEED,
) -> School:
    """An unsaved School built from a public row, with the fields the list lacks made up repeatably
    (another ``seed`` makes them up differently: the national generator's ``--seed``)."""
    rng = school_rng(source.urn, seed)
    phase = phase_from_name(source.name)
    type_code, type_name, type_group = _school_type(source.name, phase, rng)
    low_age, high_age = AGES[phase]
    if "infant" in source.name.lower():
        high_age = 7
    elif "junior" in source.name.lower():
        low_age = 7
    pupils = rng.randint(*PUPILS[phase])
    character = religious_character(source.name)
    return School(
        urn=source.urn, name=source.name, local_authority=local_authority,
        establishment_number=f"{rng.randint(1000, 7999)}",
        type_code=type_code, type_name=type_name, type_group=type_group, phase=phase,
        status=SchoolStatus.OPEN, open_date=source.open_date,
        statutory_low_age=low_age, statutory_high_age=high_age, gender="Mixed",
        religious_character={"CofE": "Church of England", "Catholic": "Roman Catholic"}.get(character, ""),
        number_of_pupils=pupils, school_capacity=pupils + rng.randint(0, pupils // 5 + 10),
        town=source.town, postcode=source.postcode,
        # Spread schools around their outward code's centroid so they do not sit on one point.
        easting=max(0, outcode.easting + rng.randint(-1500, 1500)),
        northing=max(0, outcode.northing + rng.randint(-1500, 1500)),
        head_title=rng.choice(TITLES), head_first_name=rng.choice(FIRST_NAMES),
        head_last_name=rng.choice(LAST_NAMES), head_job_title="Headteacher", region=region,
    )


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
    return day - datetime.timedelta(days=day.weekday()) if day.weekday() > 3 else day


def _graded_judgements(phase: str, rng: random.Random) -> dict[str, Grade]:
    overall = rng.choices(
        [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE], [14, 66, 15, 5]
    )[0]
    grades = {JudgementArea.OVERALL_EFFECTIVENESS: overall}
    for area in GRADED_AREAS:
        grades[area] = overall if rng.random() < 0.8 else rng.choice([Grade.GOOD, Grade.REQUIRES_IMPROVEMENT])
    if phase in {Phase.PRIMARY, Phase.NURSERY}:
        early_years = Grade.REQUIRES_IMPROVEMENT if overall == Grade.INADEQUATE else overall
        grades[JudgementArea.EARLY_YEARS] = early_years
    if phase in {Phase.SECONDARY, Phase.ALL_THROUGH, Phase.SIXTEEN_PLUS}:
        grades[JudgementArea.SIXTH_FORM] = rng.choice([Grade.GOOD, Grade.GOOD, Grade.OUTSTANDING])
    grades[JudgementArea.SAFEGUARDING] = Grade.NOT_MET if overall == Grade.INADEQUATE else Grade.MET
    return grades


def _report_card_judgements(phase: str, rng: random.Random) -> dict[str, Grade]:
    scale = [
        Grade.EXCEPTIONAL, Grade.STRONG_STANDARD, Grade.EXPECTED_STANDARD,
        Grade.NEEDS_ATTENTION, Grade.URGENT_IMPROVEMENT,
    ]
    grades = {area: rng.choices(scale, [5, 30, 45, 15, 5])[0] for area in REPORT_CARD_AREAS}
    if phase in {Phase.PRIMARY, Phase.NURSERY}:
        grades[JudgementArea.EARLY_YEARS] = rng.choices(scale, [5, 30, 45, 15, 5])[0]
    if phase in {Phase.SECONDARY, Phase.ALL_THROUGH, Phase.SIXTEEN_PLUS}:
        grades[JudgementArea.POST_16] = rng.choices(scale, [5, 30, 45, 15, 5])[0]
    grades[JudgementArea.SAFEGUARDING] = Grade.NOT_MET if rng.random() < 0.03 else Grade.MET
    return grades


@dataclass(frozen=True)
class SynthesisedInspection:
    framework: Framework
    start_date: datetime.date
    grades: dict[str, Grade]

    @property
    def publication_date(self) -> datetime.date:
        return self.start_date + datetime.timedelta(days=28)


def synthesise_inspections(urn: int, phase: str, seed: str = SEED) -> list[SynthesisedInspection]:
    """One or two inspections, oldest first: a graded one, and for about a third a report card."""
    rng = random.Random(f"{seed}:inspections:{urn}")
    inspections = [
        SynthesisedInspection(
            Framework.GRADED, _random_date(rng, GRADED_FROM, GRADED_UNTIL), _graded_judgements(phase, rng)
        )
    ]
    if rng.random() < 0.35:
        inspections.append(SynthesisedInspection(
            Framework.REPORT_CARD, _random_date(rng, REPORT_CARDS_FROM, REPORT_CARDS_UNTIL),
            _report_card_judgements(phase, rng),
        ))
    return inspections


def upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, bool]:
    """get_or_create that saves an existing row only when a value differs, keeping history quiet
    (the demo parts of the apps above use it too)."""
    instance, created = model.objects.get_or_create(**lookup, defaults=values)
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not created and changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
    return instance, created


def _school_values(school: School) -> dict:
    skip = {"urn", "latest_inspection", "created_at", "updated_at"}
    return {
        f.attname if f.is_relation else f.name: getattr(school, f.attname)
        for f in School._meta.concrete_fields if f.name not in skip
    }


def _select_sources(outcodes: dict[str, OutwardCode]) -> dict[str, list[SourceSchool]]:
    """A fixed sample of the schools of each postcode area that the outcodes file can place."""
    by_area: dict[str, list[SourceSchool]] = {a.postcode_area: [] for a in AUTHORITIES}
    for source in read_source_schools():
        if source.postcode_area in by_area and source.outward_code in outcodes:
            by_area[source.postcode_area].append(source)
    rng = random.Random(SEED)
    return {
        area: sorted(rng.sample(sources, min(SCHOOLS_PER_AREA, len(sources))), key=lambda s: s.urn)
        for area, sources in sorted(by_area.items())
    }


def _save_inspections(school: School) -> None:
    latest = None
    for synthesised in synthesise_inspections(school.urn, school.phase):
        inspection, _ = upsert(
            Inspection,
            {"school": school, "framework": synthesised.framework, "start_date": synthesised.start_date},
            {
                "end_date": synthesised.start_date + datetime.timedelta(days=1),
                "publication_date": synthesised.publication_date,
                "inspection_type": "Demo inspection",
                "inspection_number": f"D{school.urn}{synthesised.start_date:%y%m}",
                "source": InspectionSource.DEMO,
            },
        )
        for area, grade in synthesised.grades.items():
            upsert(Judgement, {"inspection": inspection, "area": area}, {"grade": grade})
        latest = inspection
    if school.latest_inspection_id != latest.pk:
        # A queryset update: latest_inspection is not part of the school's history.
        School.objects.filter(pk=school.pk).update(latest_inspection=latest)
        school.latest_inspection = latest


def _trust_and_diocese(school: School, area: str) -> tuple[Trust | None, Diocese | None]:
    trust = diocese = None
    if school.type_group == "Academies":
        index = school_rng(school.urn).randrange(len(TRUST_NAMES))
        trust, _ = upsert(Trust, {"code": f"DEMO{index + 1:02d}"}, {"name": TRUST_NAMES[index]})
    character = religious_character(school.name)
    if character:
        code, name = DIOCESES[character][area]
        diocese, _ = upsert(Diocese, {"code": code}, {"name": name})
    return trust, diocese


def _save_schools(authorities: dict[str, LocalAuthority]) -> list[School]:
    outcodes = OutwardCode.objects.in_bulk()
    saved = []
    for area, sources in _select_sources(outcodes).items():
        for source in sources:
            school = synthesise_school(
                source, local_authority=authorities[area], outcode=outcodes[source.outward_code],
                region=REGION,
            )
            school.trust, school.diocese = _trust_and_diocese(school, area)
            school, _ = upsert(School, {"urn": school.urn}, _school_values(school))
            _save_inspections(school)
            saved.append(school)
    return saved



@dataclass
class SchoolsDemoSummary:
    """What the schools part made, for the parts above: the authorities by postcode area (in the
    order of ``AUTHORITIES``) and the schools (by area, then URN)."""

    local_authorities: dict[str, LocalAuthority]
    schools: list[School]
    inspections: int


@transaction.atomic
def seed_schools_demo() -> SchoolsDemoSummary:
    """Create or bring up to date the demo local authorities and their schools, with trusts,
    dioceses and inspections.

    Needs the outward codes loaded (``load_outcodes``) to place schools. Running it again changes
    nothing that is already as it should be.
    """
    authorities = {}
    for demo in AUTHORITIES:
        authorities[demo.postcode_area], _ = upsert(
            LocalAuthority, {"code": demo.code}, {"name": demo.name, "region": REGION}
        )
    schools = _save_schools(authorities)
    urns = [s.urn for s in schools]
    return SchoolsDemoSummary(
        local_authorities=authorities, schools=schools,
        inspections=Inspection.objects.filter(school__in=urns, source=InspectionSource.DEMO).count(),
    )
