"""The accounts part of the demo data: the councils, the national body, a teaching school and a
school, one user per role, a pending invitation and an access request awaiting the demo head.

Built on the demo schools (``schools.demo``); the demo parts above add the named people of each
flow (``seed_demo`` composes them and prints every sign-in). Running it again creates nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from schools.choices import Phase
from schools.demo import COMMUNITY, SchoolsDemoSummary, upsert
from schools.models import LocalAuthority, School

from . import services
from .choices import OrganisationKind, Role
from .models import AccessRequest, Invitation, Membership, Organisation, User

DEMO_PASSWORD = "syslead-demo-2026"  # noqa: S105 - published demo credential, never used in production
# The council of each demo local authority, by authority code.
COUNCILS = {
    "926": "Norfolk County Council",
    "935": "Suffolk County Council",
    "873": "Cambridgeshire County Council",
}
NATIONAL_BODY = "National College for School Leadership"


@dataclass(frozen=True)
class DemoUser:
    """A demo sign-in: who, in which role, and what to try as them. ``organisation`` says where
    this part puts them ("national", "la", "la_suffolk", "teaching_school", "school"), or "flow"
    for the named people of a flow that a demo part above makes."""

    email: str
    full_name: str
    role: Role
    organisation: str
    try_this: str = ""


DEMO_USERS = (
    DemoUser(
        "admin@syslead.demo", "Nadia Adeyemi", Role.NATIONAL_ADMINISTRATOR, "national",
        "everything; the Django admin; declines or approves any access request",
    ),
    DemoUser(
        "la.officer@norfolk.demo", "Lewis Ashworth", Role.LA_OFFICER, "la",
        "brokers Norfolk's support requests and deployments; sees the pending invitation on "
        "the invited school's Your organisation page",
    ),
    DemoUser(
        "la.officer@suffolk.demo", "Sarah Lowther", Role.LA_OFFICER, "la_suffolk",
        "an officer of a second authority: Suffolk's schools and people; Norfolk's deployments stay hidden",
    ),
    DemoUser(
        "ts.lead@norfolk.demo", "Tara Sandhu", Role.TEACHING_SCHOOL_LEAD, "teaching_school",
        "shortlists SLEs for the phonics request; runs the SLE round",
    ),
    DemoUser(
        "commissioner@norfolk.demo", "Colin Marsh", Role.COMMISSIONER, "la",
        "agrees the pending agreement for the commissioner (Norfolk County Council)",
    ),
    DemoUser(
        "head@norfolk.demo", "Helen Okafor", Role.HEADTEACHER, "school",
        "agrees the pending agreement for the supported school; answers the access request on Your tasks; "
        "applies to be an LLE",
    ),
    DemoUser(
        "associate@syslead.demo", "Amir Sheikh", Role.ASSOCIATE, "national",
        "assesses designation applications",
    ),
)
# The demo's pending invitation and its access request awaiting a decision.
INVITED_EMAIL = "new.deputy@norfolk.demo"
REQUESTER_EMAIL = "teacher@norfolk.demo"


def _norfolk_schools(schools: list[School], norfolk: LocalAuthority) -> tuple[School, School]:
    """The teaching school (a secondary) and the head's school (a primary), both in Norfolk."""
    in_norfolk = [s for s in schools if s.local_authority_id == norfolk.pk]
    teaching = next(s for s in in_norfolk if s.phase == Phase.SECONDARY)
    led = next(s for s in in_norfolk if s.phase == Phase.PRIMARY)
    return teaching, led


def _organisations(authorities: dict[str, LocalAuthority], schools: list[School]) -> dict[str, Organisation]:
    councils = {}
    for authority in authorities.values():
        councils[authority.code], _ = upsert(
            Organisation, {"kind": OrganisationKind.LOCAL_AUTHORITY, "name": COUNCILS[authority.code]},
            {"local_authority": authority},
        )
    norfolk = authorities["NR"]
    teaching, led = _norfolk_schools(schools, norfolk)
    national, _ = upsert(Organisation, {"kind": OrganisationKind.NATIONAL_BODY, "name": NATIONAL_BODY}, {})
    teaching_school, _ = upsert(
        Organisation,
        {"kind": OrganisationKind.TEACHING_SCHOOL, "name": f"{teaching.name} Teaching School Hub"},
        {"school": teaching, "local_authority": norfolk},
    )
    school, _ = upsert(
        Organisation, {"kind": OrganisationKind.SCHOOL, "name": led.name},
        {"school": led, "local_authority": norfolk},
    )
    return {
        "national": national, "la": councils["926"], "la_suffolk": councils["935"],
        "teaching_school": teaching_school, "school": school,
    }


def _save_users(organisations: dict[str, Organisation]) -> None:
    for demo in DEMO_USERS:
        is_admin = demo.role == Role.NATIONAL_ADMINISTRATOR
        user, _ = upsert(
            User, {"email": demo.email},
            {"full_name": demo.full_name, "is_staff": is_admin, "is_superuser": is_admin, "is_active": True},
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        organisation = organisations[demo.organisation]
        # Bring an older seed up to date (the demo head was a school leader before headteachers).
        Membership.objects.filter(user=user, organisation=organisation).exclude(role=demo.role).delete()
        Membership.objects.get_or_create(user=user, organisation=organisation, role=demo.role)


def _invited_school(schools: list[School], organisations: dict[str, Organisation]) -> School:
    """A Norfolk maintained school that has no demo users of its own."""
    taken = {organisations["school"].school_id, organisations["teaching_school"].school_id}
    norfolk = organisations["la"].local_authority_id
    return next(
        s for s in sorted(schools, key=lambda s: s.urn)
        if s.local_authority_id == norfolk and s.type_code == COMMUNITY[0] and s.pk not in taken
    )


def _invitation_and_access_request(schools: list[School], organisations: dict[str, Organisation]) -> None:
    """Made through the services, as the pages would: the LA officer invites a deputy head to a
    maintained school, and a teacher asks to join the demo head's school (routed to the head)."""
    officer = User.objects.get(email="la.officer@norfolk.demo")
    if not Invitation.objects.filter(email=INVITED_EMAIL).exists():
        services.invite(
            email=INVITED_EMAIL, full_name="Priya Nowak", role=Role.SCHOOL_LEADER, invited_by=officer,
            organisation=services.organisation_for_school(_invited_school(schools, organisations)),
        )
    if not AccessRequest.objects.filter(email=REQUESTER_EMAIL).exists():
        access_request = services.request_access(
            full_name="Tom Reynolds", email=REQUESTER_EMAIL, organisation_kind=OrganisationKind.SCHOOL,
            role=Role.SCHOOL_LEADER, school=organisations["school"].school,
            reason="I am the new phonics lead and need to see our school's support (demo).",
        )
        services.confirm_access_request(services.access_request_token(access_request))


@dataclass
class AccountsDemoSummary:
    organisations: dict[str, Organisation]
    users: list[DemoUser]


@transaction.atomic
def seed_accounts_demo(schools: SchoolsDemoSummary) -> AccountsDemoSummary:
    """Create or bring up to date the demo organisations and users, on the demo schools, and the
    pending invitation and access request (through the services, which email their people)."""
    organisations = _organisations(schools.local_authorities, schools.schools)
    _save_users(organisations)
    _invitation_and_access_request(schools.schools, organisations)
    return AccountsDemoSummary(organisations=organisations, users=list(DEMO_USERS))
