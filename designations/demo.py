"""The designations part of the demo data, on top of the demo schools and users (the parts below,
which ``seed_demo`` runs first), with the named leader of the demo flows and a new head.

Repeatable: people, posts, rounds and designations are found by natural keys and created only
when missing, so a second run changes nothing. Leaders are chosen from the demo schools by URN
order with a seeded random generator, never the global one.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from accounts.demo import DEMO_PASSWORD, DemoUser
from accounts.models import Membership, Organisation, User
from accounts.services import organisation_for_school
from schools.choices import Framework, Grade, InspectionSource, JudgementArea, Phase
from schools.models import Inspection, Judgement, School

from .choices import CaseReason, DesignationStatus, LeadershipRole
from .models import (
    ApplicationRound,
    DeDesignationCase,
    Designation,
    DesignationType,
    LeadershipPost,
    NationalSupportSchool,
    Review,
    Specialism,
    TrainingRecord,
)

DEMO_HEAD_EMAIL = "head@norfolk.demo"
# The named people this part makes, who sign in with the demo password.
LEADER = DemoUser(
    "leader@norfolk.demo", "Leo Fairweather", Role.SCHOOL_LEADER, "flow",
    "the LLE of the pending agreement: agrees it for the leader's school; coaches new heads",
)
LEADER_HEAD = DemoUser(
    "leader.head@norfolk.demo", "Rosa Whitlock", Role.HEADTEACHER, "flow",
    "head of the leader's school: agrees the pending agreement for the leader's school instead",
)
NEW_HEAD = DemoUser(
    "new.head@suffolk.demo", "Maya Edwards", Role.HEADTEACHER, "flow",
    "a new head in their first year: finds an LLE offering professional partnership nearby (Partners)",
)
# The demo head's school: a recent report card strong enough for LLE and NLE.
REPORT_CARD_DATE = datetime.date(2026, 6, 10)
REPORT_CARD_GRADES = {
    JudgementArea.INCLUSION: Grade.STRONG_STANDARD,
    JudgementArea.CURRICULUM_AND_TEACHING: Grade.EXCEPTIONAL,
    JudgementArea.ACHIEVEMENT: Grade.STRONG_STANDARD,
    JudgementArea.ATTENDANCE_AND_BEHAVIOUR: Grade.STRONG_STANDARD,
    JudgementArea.PERSONAL_DEVELOPMENT_AND_WELLBEING: Grade.EXCEPTIONAL,
    JudgementArea.LEADERSHIP_AND_GOVERNANCE: Grade.EXCEPTIONAL,
    JudgementArea.SAFEGUARDING: Grade.MET,
}
FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ellen",
    "Femi",
    "Grace",
    "Harry",
    "Imogen",
    "Jonah",
    "Kiran",
    "Laura",
    "Marcus",
    "Niamh",
    "Owen",
    "Priya",
    "Rhys",
    "Sofia",
    "Tom",
    "Yusuf",
]
LAST_NAMES = [
    "Ahmed",
    "Barker",
    "Clarke",
    "Dawson",
    "Evans",
    "Fletcher",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lowe",
    "Morris",
    "Nolan",
    "Osei",
    "Patel",
    "Reid",
    "Shaw",
    "Turner",
    "Walsh",
]
# (type code, how many, role) — SLEs join the demo teaching school's pool.
LEADERS = [
    ("SLE", 10, LeadershipRole.MIDDLE_LEADER),
    ("LLE", 6, LeadershipRole.HEADTEACHER),
    ("NLE", 3, LeadershipRole.HEADTEACHER),
    ("NLG", 2, LeadershipRole.CHAIR_OF_GOVERNORS),
]


@dataclass
class DesignationsDemoSummary:
    rounds: int
    designations: int
    posts: int
    open_cases: int


def _years_ago(today: datetime.date, years: float) -> datetime.date:
    return today - datetime.timedelta(days=round(years * 365.25))


def _demo_head_is_an_outstanding_headteacher(today: datetime.date) -> None:
    head = User.objects.filter(email=DEMO_HEAD_EMAIL).first()
    school_org = Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL, memberships__user=head, memberships__role=Role.HEADTEACHER
    ).first()
    if head is None or school_org is None:
        return
    school = school_org.school
    LeadershipPost.objects.get_or_create(
        person=head,
        school=school,
        role=LeadershipRole.HEADTEACHER,
        defaults={"started_on": _years_ago(today, 6)},
    )
    inspection, created = Inspection.objects.get_or_create(
        school=school,
        framework=Framework.REPORT_CARD,
        start_date=REPORT_CARD_DATE,
        defaults={
            "inspection_type": "Full inspection (demo)",
            "source": InspectionSource.DEMO,
            "publication_date": REPORT_CARD_DATE + datetime.timedelta(days=30),
        },
    )
    if created:
        for area, grade in REPORT_CARD_GRADES.items():
            Judgement.objects.create(inspection=inspection, area=area, grade=grade)
    if school.latest_inspection_id is None or school.latest_inspection.start_date < inspection.start_date:
        School.objects.filter(pk=school.pk).update(latest_inspection=inspection)


def _rounds(today: datetime.date) -> int:
    teaching_school = (
        Organisation.objects.filter(kind=OrganisationKind.TEACHING_SCHOOL).order_by("pk").first()
    )
    norfolk = Organisation.objects.filter(
        kind=OrganisationKind.LOCAL_AUTHORITY, local_authority__code="926"
    ).first()
    specs = [
        (
            "Norfolk LLE recruitment 2026/27",
            "LLE",
            {"local_authority": norfolk.local_authority if norfolk else None},
            30,
            45,
        ),
        ("NLE designation round 2026/27 (England)", "NLE", {}, 20, 70),
    ]
    if teaching_school:
        specs.append(
            (
                f"{teaching_school.name}: SLE recruitment 2026/27",
                "SLE",
                {"teaching_school": teaching_school},
                10,
                60,
            )
        )
    for name, code, scope, opened_days_ago, closes_in_days in specs:
        ApplicationRound.objects.get_or_create(
            name=name,
            defaults={
                "designation_type": DesignationType.objects.get(code=code),
                "opens_on": today - datetime.timedelta(days=opened_days_ago),
                "closes_on": today + datetime.timedelta(days=closes_in_days),
                **scope,
            },
        )
    return len(specs)


def _designating_organisation(code: str) -> Organisation:
    if code == "SLE":
        return Organisation.objects.filter(kind=OrganisationKind.TEACHING_SCHOOL).order_by("pk").first()
    return Organisation.objects.filter(kind=OrganisationKind.NATIONAL_BODY).order_by("pk").first()


def _leader(rng: random.Random, index: int) -> User:
    first, last = FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[(index * 7) % len(LAST_NAMES)]
    user, created = User.objects.get_or_create(
        email=f"{first.lower()}.{last.lower()}@leaders.demo", defaults={"full_name": f"{first} {last}"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _designate(rng, index, code, role, school, organisation, specialisms, today) -> Designation:
    person = _leader(rng, index)
    LeadershipPost.objects.get_or_create(
        person=person,
        school=school,
        role=role,
        defaults={"started_on": _years_ago(today, rng.randint(4, 12))},
    )
    designation_type = DesignationType.objects.get(code=code)
    existing = Designation.objects.filter(holder=person, designation_type=designation_type).first()
    if existing:
        return existing
    designated_on = today - datetime.timedelta(days=rng.randint(60, 900))
    term = designation_type.term_months or 48
    trained = index % 5 != 1  # a few are still to be trained
    designation = Designation.objects.create(
        holder=person,
        school=school,
        designation_type=designation_type,
        designating_organisation=organisation,
        designated_on=designated_on,
        term_ends_on=designated_on + datetime.timedelta(days=round(term * 30.44)),
        next_review_on=designated_on
        + datetime.timedelta(days=365 * ((today - designated_on).days // 365 + 1)),
        training_completed_on=designated_on + datetime.timedelta(days=30) if trained else None,
        availability_days_per_week=rng.choice([0.5, 1, 1, 1.5, 2]),
    )
    designation.specialisms.set(rng.sample(specialisms, k=2))
    if trained:
        for requirement in designation_type.training_requirements.all():
            TrainingRecord.objects.create(
                designation=designation,
                requirement=requirement,
                completed_on=designation.training_completed_on,
            )
    Review.objects.create(designation=designation, due_on=designation.next_review_on)
    if designation_type.makes_national_support_school:
        NationalSupportSchool.objects.create(school=school, designation=designation, started_on=designated_on)
    return designation


def _designations(today: datetime.date) -> None:
    rng = random.Random("syslead-demo-designations")  # noqa: S311 - demo data, not security
    schools = list(School.objects.filter(local_authority__code__in=["926", "935", "873"]).order_by("urn"))
    specialisms = list(Specialism.objects.order_by("name"))
    index = 0
    made: list[Designation] = []
    for code, count, role in LEADERS:
        organisation = _designating_organisation(code)
        for _ in range(count):
            school = schools[(index * 17) % len(schools)]
            made.append(_designate(rng, index, code, role, school, organisation, specialisms, today))
            index += 1
    _make_the_lists_worth_seeing(made, today)


def _make_the_lists_worth_seeing(made: list[Designation], today: datetime.date) -> None:
    """One suspended designation, a review overdue and one due soon, one case to decide."""
    lle = [d for d in made if d.designation_type.code == "LLE"]
    if len(lle) < 3:
        return
    suspended, overdue, due_soon = lle[0], lle[1], lle[2]
    if suspended.status == DesignationStatus.ACTIVE and not suspended.status_changes.exists():
        Designation.objects.filter(pk=suspended.pk).update(status=DesignationStatus.SUSPENDED)
        suspended.status_changes.create(
            from_status=DesignationStatus.ACTIVE,
            to_status=DesignationStatus.SUSPENDED,
            reason="Leave of absence until the end of term (demo).",
        )
    Review.objects.filter(designation=overdue, completed_on__isnull=True).update(
        due_on=today - datetime.timedelta(days=12)
    )
    Review.objects.filter(designation=due_soon, completed_on__isnull=True).update(
        due_on=today + datetime.timedelta(days=20)
    )
    DeDesignationCase.objects.get_or_create(
        designation=due_soon,
        reason=CaseReason.QUALITY_CONCERN,
        status="open",
        defaults={"detail": "The supported school reported that agreed visits did not happen (demo)."},
    )


def _demo_user(sign_in: DemoUser) -> User:
    """A named demo user who signs in with the demo password (listed in the README)."""
    user, _ = User.objects.get_or_create(email=sign_in.email, defaults={"full_name": sign_in.full_name})
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _member(user: User, school: School, role: str) -> None:
    Membership.objects.get_or_create(user=user, organisation=organisation_for_school(school), role=role)


def _demo_leader_school(taken: set[int]) -> School | None:
    """The named leader's school: the last Norfolk primary by URN that no demo user works at."""
    return (
        School.objects.filter(local_authority__code="926", phase=Phase.PRIMARY, status="open")
        .exclude(pk__in=taken)
        .order_by("-urn")
        .first()
    )


def _named_leader(today: datetime.date, taken: set[int]) -> Designation | None:
    """leader@norfolk.demo: an executive head and LLE in phonics, offering partnership; the head
    of their school (leader.head@norfolk.demo) signs for the school too."""
    existing = Designation.objects.filter(holder__email=LEADER.email).first()
    school = existing.school if existing else _demo_leader_school(taken)
    if school is None:
        return None
    leader = _demo_user(LEADER)
    _member(leader, school, LEADER.role)
    _member(_demo_user(LEADER_HEAD), school, LEADER_HEAD.role)
    LeadershipPost.objects.get_or_create(
        person=leader,
        school=school,
        role=LeadershipRole.EXECUTIVE_HEADTEACHER,
        defaults={"started_on": _years_ago(today, 8)},
    )
    if existing:
        return existing
    lle = DesignationType.objects.get(code="LLE")
    designated_on = today - datetime.timedelta(days=400)
    designation = Designation.objects.create(
        holder=leader,
        school=school,
        designation_type=lle,
        designating_organisation=_designating_organisation("LLE"),
        designated_on=designated_on,
        term_ends_on=designated_on + datetime.timedelta(days=round((lle.term_months or 48) * 30.44)),
        next_review_on=designated_on + datetime.timedelta(days=365 * 2),
        training_completed_on=designated_on + datetime.timedelta(days=30),
        availability_days_per_week=2,
        offers_professional_partnership=True,
    )
    specialisms = Specialism.objects.filter(name__in=["Phonics", "English", "School leadership"])
    designation.specialisms.set(specialisms)
    for requirement in lle.training_requirements.all():
        TrainingRecord.objects.create(
            designation=designation, requirement=requirement, completed_on=designation.training_completed_on
        )
    Review.objects.create(designation=designation, due_on=designation.next_review_on)
    return designation


def _new_head(today: datetime.date, taken: set[int]) -> None:
    """new.head@suffolk.demo: in their first year as a head, at the Suffolk primary nearest an LLE
    who offers professional partnership (every trained, active LLE in the demo offers it)."""
    Designation.objects.filter(
        designation_type__code="LLE",
        status=DesignationStatus.ACTIVE,
        training_completed_on__isnull=False,
        offers_professional_partnership=False,
    ).update(offers_professional_partnership=True)
    head = _demo_user(NEW_HEAD)
    post = LeadershipPost.objects.filter(person=head).select_related("school").first()
    if post is None:
        partners = [
            d.school
            for d in Designation.objects.filter(
                designation_type__code="LLE", offers_professional_partnership=True
            ).select_related("school")
            if d.school.easting is not None
        ]
        candidates = School.objects.filter(
            local_authority__code="935", phase=Phase.PRIMARY, status="open", easting__isnull=False
        ).exclude(pk__in=taken)
        if not partners or not candidates.exists():
            return
        school = min(
            candidates,
            key=lambda s: (
                min((s.easting - p.easting) ** 2 + (s.northing - p.northing) ** 2 for p in partners),
                s.urn,
            ),
        )
        post = LeadershipPost.objects.create(
            person=head,
            school=school,
            role=LeadershipRole.HEADTEACHER,
            started_on=today - datetime.timedelta(days=240),
        )
    _member(head, post.school, NEW_HEAD.role)


def _schools_with_people() -> set[int]:
    return set(LeadershipPost.objects.values_list("school_id", flat=True)) | set(
        Organisation.objects.filter(memberships__isnull=False, school__isnull=False).values_list(
            "school_id", flat=True
        )
    )


@transaction.atomic
def seed_designations_demo() -> DesignationsDemoSummary:
    """Create what is missing of the demo designations, looking up the demo schools, organisations
    and users the parts below made (nothing is made for a person or school they did not)."""
    today = timezone.localdate()
    _demo_head_is_an_outstanding_headteacher(today)
    rounds = _rounds(today)
    _designations(today)
    _named_leader(today, _schools_with_people())
    _new_head(today, _schools_with_people())
    return DesignationsDemoSummary(
        rounds=rounds,
        designations=Designation.objects.count(),
        posts=LeadershipPost.objects.count(),
        open_cases=DeDesignationCase.objects.filter(status="open").count(),
    )
