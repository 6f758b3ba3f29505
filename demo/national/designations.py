"""Designated leaders: 500 teaching schools with their alliances, SLEs in their pools, LLEs and
NLEs (heads of good and outstanding schools; an NLE's school is a national support school), NLGs,
and lapsed or de-designated ones of earlier years; their posts, specialisms, training, availability
and spells of unavailability."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from accounts.choices import OrganisationKind, Role
from brokerage.models import AlliancePartner
from deployments.models import Unavailability
from designations.choices import DesignationStatus, LeadershipRole
from designations.models import (
    Designation,
    DesignationType,
    LeadershipPost,
    NationalSupportSchool,
    Specialism,
    TrainingRecord,
    TrainingRequirement,
)
from schools.choices import Grade
from schools.models import School

from .context import Context, bulk
from .people import PRINCIPALS, People

# Active designations at full scale, by type, and those of earlier years (lapsed or de-designated).
ACTIVE_AT_FULL_SCALE = {"SLE": 10_000, "LLE": 2_000, "NLE": 1_000, "NLG": 300}
HISTORY_AT_FULL_SCALE = {"SLE": 1_000, "LLE": 300, "NLE": 150, "NLG": 50}
TEACHING_SCHOOLS_AT_FULL_SCALE = 500
ALLIANCE_PARTNERS = 8
AVAILABILITY = {
    "SLE": ("0.5", "1.0", "1.0", "1.5", "2.0"),
    "LLE": ("0.5", "1.0", "1.0", "1.5"),
    "NLE": ("1.0", "1.5", "2.0", "3.0"),
    "NLG": ("0.5", "0.5", "1.0"),
}
POST_ROLES = {
    "SLE": (
        LeadershipRole.MIDDLE_LEADER,
        LeadershipRole.ASSISTANT_HEADTEACHER,
        LeadershipRole.DEPUTY_HEADTEACHER,
    ),
    "LLE": (LeadershipRole.HEADTEACHER,),
    "NLE": (LeadershipRole.HEADTEACHER, LeadershipRole.EXECUTIVE_HEADTEACHER),
    "NLG": (LeadershipRole.CHAIR_OF_GOVERNORS,),
}
GOOD_OR_BETTER = {Grade.OUTSTANDING, Grade.GOOD}
UNAVAILABLE_SHARE = 0.08


@dataclass
class DesignationsMade:
    teaching_schools: list[Designation]
    leaders: list[Designation]
    # The NLE the contract's leader@ holds.
    principal_leader: Designation
    counts: dict[str, int] = field(default_factory=dict)


def _term_end(designation_type: DesignationType, designated_on: datetime.date) -> datetime.date:
    return designated_on + relativedelta(months=designation_type.term_months)


def _next_review(designation_type, designated_on: datetime.date, today: datetime.date, rng) -> datetime.date:
    review = designated_on + relativedelta(months=designation_type.review_interval_months)
    # About one in twenty is overdue; the rest fall due within the year.
    while review < today - datetime.timedelta(days=0 if rng.random() > 0.05 else 60):
        review += relativedelta(months=designation_type.review_interval_months)
    return review


class _Builder:
    def __init__(self, ctx: Context, people: People, open_schools: list[School], overall: dict[int, str]):
        self.ctx, self.people, self.rng = ctx, people, ctx.rng("designations")
        self.types = {t.code: t for t in DesignationType.objects.all()}
        self.training = {
            code: list(TrainingRequirement.objects.filter(designation_type=t))
            for code, t in self.types.items()
        }
        self.specialisms = list(Specialism.objects.order_by("slug"))
        self.open_schools = open_schools
        self.outstanding = [s for s in open_schools if overall.get(s.urn) == Grade.OUTSTANDING]
        self.good = [s for s in open_schools if overall.get(s.urn) in GOOD_OR_BETTER]
        self.headed: set[int] = set()
        self.designations: list[Designation] = []
        self.posts: list[LeadershipPost] = []
        self.specialism_rows: list[tuple[Designation, Specialism]] = []

    def _distinct_school(self, pool: list[School]) -> School:
        for _ in range(50):
            school = self.rng.choice(pool)
            if school.pk not in self.headed:
                self.headed.add(school.pk)
                return school
        return self.rng.choice(self.open_schools)

    def teaching_schools(self) -> list[Designation]:
        pool = (
            self.outstanding
            if len(self.outstanding) > TEACHING_SCHOOLS_AT_FULL_SCALE * self.ctx.scale * 2
            else self.good
        )
        made = []
        for _ in range(self.ctx.count(TEACHING_SCHOOLS_AT_FULL_SCALE)):
            school = self._distinct_school(pool)
            organisation = self.people.organisation(
                OrganisationKind.TEACHING_SCHOOL,
                school.name,
                school=school,
                local_authority_id=school.local_authority_id,
            )
            self.people.teaching_schools[school.pk] = organisation
            lead = self.people.head_of(school)
            self.people.member(lead, organisation, Role.TEACHING_SCHOOL_LEAD)
            designated_on = self.ctx.days_ago(self.rng.randint(60, 4 * 365))
            designation = Designation(
                school=school,
                designation_type=self.types["TS"],
                designating_organisation=self.people.national,
                designated_on=designated_on,
                term_ends_on=_term_end(self.types["TS"], designated_on),
                next_review_on=_next_review(self.types["TS"], designated_on, self.ctx.today, self.rng),
                training_completed_on=designated_on,
            )
            made.append(designation)
        self.designations.extend(made)
        return made

    def leader(
        self, code: str, *, active: bool, teaching_schools: list[Designation], email: str | None = None
    ) -> Designation:
        designation_type, rng, today = self.types[code], self.rng, self.ctx.today
        if code == "NLE":
            school = self._distinct_school(self.outstanding or self.good)
        elif code == "LLE":
            school = self._distinct_school(self.good)
        else:
            school = rng.choice(self.open_schools)
        if code in {"LLE", "NLE"} and active:
            holder = self.people.head_of(school)
            if email:
                holder.email, holder.full_name = email, "National Leader"
        else:
            holder = self.people.person(email)
            if code == "SLE":
                self.people.member(holder, self.people.school_organisation(school), Role.SCHOOL_LEADER)
        if active:
            designated_on = self.ctx.days_ago(rng.randint(30, designation_type.term_months * 30 - 20))
            status = DesignationStatus.SUSPENDED if rng.random() < 0.01 else DesignationStatus.ACTIVE
            ended_on = None
        else:
            designated_on = self.ctx.days_ago(rng.randint(designation_type.term_months * 31, 10 * 365))
            status = DesignationStatus.LAPSED if rng.random() < 0.8 else DesignationStatus.DE_DESIGNATED
            ended_on = min(_term_end(designation_type, designated_on), today - datetime.timedelta(days=1))
            if status == DesignationStatus.DE_DESIGNATED:
                ended_on = designated_on + datetime.timedelta(
                    days=rng.randint(365, (ended_on - designated_on).days)
                )
        organisation = self.people.national
        if code == "SLE":
            organisation = self.people.teaching_schools[rng.choice(teaching_schools).school.pk]
        # Most recent designations have their training recorded; a few are still to finish it.
        trained = not active or designated_on < today - datetime.timedelta(days=90) or rng.random() < 0.7
        designation = Designation(
            holder=holder,
            school=school,
            designation_type=designation_type,
            designating_organisation=organisation,
            status=status,
            designated_on=designated_on,
            term_ends_on=_term_end(designation_type, designated_on),
            next_review_on=_next_review(designation_type, designated_on, today, rng) if active else None,
            training_completed_on=designated_on + datetime.timedelta(days=rng.randint(5, 60))
            if trained
            else None,
            availability_days_per_week=Decimal(rng.choice(AVAILABILITY[code])) if active else Decimal(0),
            offers_professional_partnership=code == "LLE" and rng.random() < 0.3,
            ended_on=ended_on,
            end_reason=(
                "Term ended without renewal."
                if status == DesignationStatus.LAPSED
                else "De-designated after the school's inspection."
                if ended_on
                else ""
            ),
        )
        if designation.training_completed_on and designation.training_completed_on > today:
            designation.training_completed_on = today
        self.designations.append(designation)
        self.posts.append(
            LeadershipPost(
                person=holder,
                school=school,
                role=rng.choice(POST_ROLES[code]),
                started_on=designated_on - datetime.timedelta(days=rng.randint(3 * 365, 12 * 365)),
                ended_on=ended_on,
            )
        )
        designation.specialisms_made = rng.sample(self.specialisms, rng.randint(1, 3))
        for specialism in designation.specialisms_made:
            self.specialism_rows.append((designation, specialism))
        return designation

    def save(self, teaching_schools: list[Designation]) -> None:
        self.people.save()
        bulk(Designation, self.designations)
        bulk(LeadershipPost, self.posts)
        through = Designation.specialisms.through
        bulk(
            through,
            [through(designation_id=d.pk, specialism_id=s.pk) for d, s in self.specialism_rows],
            batch_size=5000,
        )
        bulk(
            TrainingRecord,
            [
                TrainingRecord(designation=d, requirement=requirement, completed_on=d.training_completed_on)
                for d in self.designations
                if d.training_completed_on
                for requirement in self.training[d.designation_type.code]
            ],
            batch_size=5000,
        )
        bulk(
            NationalSupportSchool,
            [
                NationalSupportSchool(
                    school=d.school, designation=d, started_on=d.designated_on, ended_on=d.ended_on
                )
                for d in self.designations
                if d.designation_type.code == "NLE"
            ],
        )
        self._alliances(teaching_schools)
        self._unavailability()

    def _alliances(self, teaching_schools: list[Designation]) -> None:
        rows, seen = [], set()
        by_authority: dict[int, list[School]] = {}
        for school in self.open_schools:
            by_authority.setdefault(school.local_authority_id, []).append(school)
        for designation in teaching_schools:
            organisation = self.people.teaching_schools[designation.school.pk]
            nearby = by_authority[designation.school.local_authority_id]
            for school in self.rng.sample(nearby, min(ALLIANCE_PARTNERS, len(nearby))):
                if (organisation.pk, school.pk) not in seen and school.pk != designation.school.pk:
                    seen.add((organisation.pk, school.pk))
                    rows.append(
                        AlliancePartner(
                            teaching_school=organisation,
                            school=school,
                            is_strategic_partner=self.rng.random() < 0.25,
                        )
                    )
        bulk(AlliancePartner, rows)

    def _unavailability(self) -> None:
        rows = []
        for designation in self.designations:
            if designation.holder is None or designation.ended_on or self.rng.random() > UNAVAILABLE_SHARE:
                continue
            starts_on = self.ctx.today + datetime.timedelta(days=self.rng.randint(-30, 200))
            rows.append(
                Unavailability(
                    leader=designation.holder,
                    starts_on=starts_on,
                    ends_on=starts_on + datetime.timedelta(days=self.rng.randint(7, 90)),
                    days_per_week_available=Decimal(self.rng.choice(("0", "0", "0.5"))),
                    reason=self.rng.choice(("Inspection at my school", "Leave", "Exam season", "Training")),
                )
            )
        bulk(Unavailability, rows)


def generate_designations(
    ctx: Context, people: People, open_schools: list[School], overall: dict[int, str]
) -> DesignationsMade:
    builder = _Builder(ctx, people, open_schools, overall)
    teaching_schools = builder.teaching_schools()
    principal = builder.leader(
        "NLE", active=True, teaching_schools=teaching_schools, email=PRINCIPALS["leader"]
    )
    principal.status, principal.training_completed_on = DesignationStatus.ACTIVE, principal.designated_on
    principal.availability_days_per_week = Decimal("2.0")
    leaders = [principal]
    counts = {"TS": len(teaching_schools)}
    for code, full in ACTIVE_AT_FULL_SCALE.items():
        count = ctx.count(full) - (1 if code == "NLE" else 0)
        leaders += [
            builder.leader(code, active=True, teaching_schools=teaching_schools) for _ in range(count)
        ]
        history = ctx.count(HISTORY_AT_FULL_SCALE[code], minimum=0)
        leaders += [
            builder.leader(code, active=False, teaching_schools=teaching_schools) for _ in range(history)
        ]
        counts[code] = count + history + (1 if code == "NLE" else 0)
    builder.save(teaching_schools)
    return DesignationsMade(teaching_schools, leaders, principal, counts)
