"""The people and organisations: the national body, every authority's officers and commissioner,
schools' heads, and the contract's fixed principals (no usable password: the benchmark signs them
in by making sessions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from accounts.choices import OrganisationKind, Role
from accounts.models import Membership, Organisation
from schools.demo import FIRST_NAMES, LAST_NAMES
from schools.models import LocalAuthority, School

from .context import Context, bulk

User = get_user_model()
NATIONAL_BODY = "National system leadership body"
PRINCIPALS = {
    "national_admin": "national.admin@bench.invalid",
    "la_officer": "la.officer@bench.invalid",
    "broker": "broker@bench.invalid",
    "head": "head@bench.invalid",
    "leader": "leader@bench.invalid",
    "commissioner": "commissioner@bench.invalid",
}


@dataclass
class People:
    """Rows made so far, unsaved until ``save``; the stages above add to it and look people up."""

    ctx: Context
    users: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    school_organisations: dict[int, Organisation] = field(default_factory=dict)
    teaching_schools: dict[int, Organisation] = field(default_factory=dict)
    authority_organisations: dict[int, Organisation] = field(default_factory=dict)
    heads: dict[int, object] = field(default_factory=dict)
    officers: dict[int, object] = field(default_factory=dict)
    commissioners: dict[int, object] = field(default_factory=dict)
    national: Organisation | None = None
    _names: set = field(default_factory=set)
    _serial: int = 0

    def person(self, email: str | None = None, name: str | None = None):
        self._serial += 1
        rng = self.ctx.rng(f"person:{self._serial}")
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user = User(
            email=email or f"{first}.{last}.{self._serial}@schools.invalid".lower(),
            full_name=name or f"{first} {last}",
            # Unusable, as set_unusable_password() makes it, without its random suffix.
            password=f"{UNUSABLE_PASSWORD_PREFIX}national-{self._serial}",
        )
        self.users.append(user)
        return user

    def organisation(self, kind: str, name: str, **links) -> Organisation:
        unique = (
            name
            if (kind, name) not in self._names
            else f"{name} ({links.get('school', links.get('local_authority')).pk})"
        )
        self._names.add((kind, unique))
        organisation = Organisation(kind=kind, name=unique[:200], **links)
        self.organisations.append(organisation)
        return organisation

    def member(self, user, organisation: Organisation, role: str) -> None:
        self.memberships.append(Membership(user=user, organisation=organisation, role=role))

    def school_organisation(self, school: School) -> Organisation:
        if school.pk not in self.school_organisations:
            self.school_organisations[school.pk] = self.organisation(
                OrganisationKind.SCHOOL,
                school.name,
                school=school,
                local_authority_id=school.local_authority_id,
            )
        return self.school_organisations[school.pk]

    def head_of(self, school: School):
        """The school's headteacher, a member of its organisation (made on first asking)."""
        if school.pk not in self.heads:
            head = self.person(name=f"{school.head_first_name} {school.head_last_name}".strip() or None)
            self.member(head, self.school_organisation(school), Role.HEADTEACHER)
            self.heads[school.pk] = head
        return self.heads[school.pk]

    def save(self) -> None:
        """Write what was added since the last save: users, organisations, then memberships."""
        bulk(User, self.users)
        bulk(Organisation, self.organisations)
        bulk(Membership, self.memberships)
        self.users, self.organisations, self.memberships = [], [], []


def busiest_authority(authorities: list[LocalAuthority], schools: list[School]) -> LocalAuthority:
    counts: dict[int, int] = {}
    for school in schools:
        counts[school.local_authority_id] = counts.get(school.local_authority_id, 0) + 1
    return max(authorities, key=lambda a: (counts.get(a.pk, 0), -int(a.code)))


def generate_people(ctx: Context, authorities: list[LocalAuthority], busiest: LocalAuthority) -> People:
    """The national body and its administrators, each authority's organisation with two officers and
    a commissioner, and the principals of the bench contract that need no deployment."""
    people = People(ctx)
    people.national = people.organisation(OrganisationKind.NATIONAL_BODY, NATIONAL_BODY)
    people.member(
        people.person(PRINCIPALS["national_admin"], "National Administrator"),
        people.national,
        Role.NATIONAL_ADMINISTRATOR,
    )
    for _n in range(2):
        people.member(people.person(), people.national, Role.NATIONAL_ADMINISTRATOR)
        people.member(people.person(), people.national, Role.ASSOCIATE)
    for authority in authorities:
        organisation = people.organisation(
            OrganisationKind.LOCAL_AUTHORITY, authority.name, local_authority=authority
        )
        people.authority_organisations[authority.pk] = organisation
        if authority.pk == busiest.pk:
            officer = people.person(PRINCIPALS["la_officer"], "LA Officer")
            broker = people.person(PRINCIPALS["broker"], "LA Broker")
            commissioner = people.person(PRINCIPALS["commissioner"], "LA Commissioner")
        else:
            officer, broker, commissioner = people.person(), people.person(), people.person()
        people.member(officer, organisation, Role.LA_OFFICER)
        people.member(broker, organisation, Role.LA_OFFICER)
        people.member(commissioner, organisation, Role.COMMISSIONER)
        people.officers[authority.pk], people.commissioners[authority.pk] = broker, commissioner
    return people
