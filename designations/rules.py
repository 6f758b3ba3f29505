"""Permission predicates for designations, used by views, the API and the services alike."""

import rules

from accounts.choices import OrganisationKind, Role
from accounts.rules import UserFact, is_national_administrator, is_teaching_school_lead

from .choices import UNDECIDED_APPLICATION_STATES, ApplicationState, BrokeringRule, DesignatingBody

Kind = OrganisationKind


# --- who brokers which designation's deployments ---------------------------------------------------
# The brokering rule is part of the designation type, so it is decided here; brokerage and
# deployments import these names (from brokerage.rules, which re-exports them).

# The kinds of organisation each brokering rule lets broker a type's deployments.
BROKER_KINDS_BY_RULE: dict[str, set[str]] = {
    BrokeringRule.TEACHING_SCHOOL_POOL: {Kind.TEACHING_SCHOOL},
    BrokeringRule.LOCAL_BROKERS: {Kind.LOCAL_AUTHORITY, Kind.TEACHING_SCHOOL, Kind.AGENCY},
    BrokeringRule.ASSOCIATES: {Kind.NATIONAL_BODY, Kind.AGENCY},
    BrokeringRule.NOT_BROKERED: set(),
}
# The roles in which a member brokers for their organisation.
BROKER_ROLES_BY_KIND: dict[str, set[str]] = {
    Kind.LOCAL_AUTHORITY: {Role.LA_OFFICER},
    Kind.TEACHING_SCHOOL: {Role.TEACHING_SCHOOL_LEAD},
    Kind.AGENCY: {Role.ASSOCIATE},
    Kind.NATIONAL_BODY: {Role.ASSOCIATE},
}

def may_broker_type(organisation, designation_type) -> bool:
    """The brokering rule of the type names this kind of organisation."""
    return organisation.kind in BROKER_KINDS_BY_RULE.get(designation_type.brokering_rule, set())


def may_broker_designation(organisation, designation) -> bool:
    """As may_broker_type, and a teaching school brokers SLEs from its own pool only."""
    designation_type = designation.designation_type
    if not may_broker_type(organisation, designation_type):
        return False
    if designation_type.brokering_rule == BrokeringRule.TEACHING_SCHOOL_POOL:
        return designation.designating_organisation_id == organisation.pk
    return True


def broker_organisations_of(user) -> list:
    """The organisations this user brokers for."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        m.organisation
        for m in getattr(user, "active_memberships", [])
        if m.role in BROKER_ROLES_BY_KIND.get(m.organisation.kind, set())
    ]


@rules.predicate
def is_possible_broker(user, designation) -> bool:
    """One of the user's broker organisations may broker this designation's deployments: its
    type's brokering rule names that kind of organisation (for SLEs, the teaching school whose
    pool the SLE is in)."""
    return designation is not None and any(
        may_broker_designation(organisation, designation) for organisation in broker_organisations_of(user)
    )



# --- independence: nobody decides their own case ------------------------------------------------
# An assessor never judges, approves or designates their own application or one from their own
# school, and nobody manages (training, status, reviews, cases) their own designation or one at their
# own school. The refusals below say why; the predicates take the action away in the permissions, and
# the services check the same refusals, so no page, API call or command gets around them.


def own_school_ids(user) -> frozenset[int]:
    """The schools the user leads or works at today: current posts and school memberships.

    Kept on the user object, which lives for one request, like the other answers about the user."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_api_client", False):
        return frozenset()
    known = getattr(user, "_own_school_ids", None)
    if known is None:
        from django.db.models import Q
        from django.utils import timezone

        from .models import LeadershipPost

        today = timezone.localdate()
        posts = LeadershipPost.objects.filter(person=user, started_on__lte=today).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=today)
        )
        known = frozenset(posts.values_list("school_id", flat=True)) | {
            m.organisation.school_id
            for m in getattr(user, "active_memberships", [])
            if m.organisation.school_id is not None
        }
        user._own_school_ids = known
    return known


def own_application_refusal(user, application) -> str:
    """Why the user may not assess or decide this application, or "" when they are independent."""
    if application is None or not getattr(user, "is_authenticated", False):
        return ""
    if application.applicant_id == user.pk:
        return "You cannot assess or decide your own application: another assessor must do it."
    if application.school_id in own_school_ids(user):
        return (
            f"You cannot assess or decide an application from your own school, {application.school.name}: "
            "another assessor must do it."
        )
    return ""


def own_designation_refusal(user, designation) -> str:
    """Why the user may not manage or decide about this designation, or "" when they are independent."""
    if designation is None or not getattr(user, "is_authenticated", False):
        return ""
    if designation.holder_id is not None and designation.holder_id == user.pk:
        return "You cannot manage or decide about your own designation: another person must do it."
    if designation.school_id in own_school_ids(user):
        return (
            f"You cannot manage or decide about a designation at your own school, {designation.school.name}: "
            "another person must do it."
        )
    return ""


def own_brokering_refusal(user, school_id: int | None, leader=None) -> str:
    """Why the user may not broker support for this school, or put this leader forward, or ""."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_api_client", False):
        return ""
    if leader is not None and getattr(leader, "pk", leader) == user.pk:
        return "You cannot broker a deployment of yourself: another broker must put you forward."
    if school_id is not None and school_id in own_school_ids(user):
        return "You cannot broker support for your own school: another broker must do it."
    return ""


@rules.predicate
def is_own_application(user, application) -> bool:
    """The user applied, or the application is from the user's own school."""
    return bool(own_application_refusal(user, application))


@rules.predicate
def is_own_designation(user, designation) -> bool:
    """The user holds the designation, or it is at the user's own school."""
    return bool(own_designation_refusal(user, designation))


@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and user.is_authenticated and application.applicant_id == user.pk


@rules.predicate
def is_lead_of_rounds_teaching_school(user, application) -> bool:
    """The application's round recruits to the pool of a teaching school this user leads."""
    if application is None or not user.is_authenticated:
        return False
    if application.designation_type.designating_body != DesignatingBody.TEACHING_SCHOOL:
        return False
    teaching_school_id = application.round.teaching_school_id
    return teaching_school_id is not None and any(
        organisation.pk == teaching_school_id
        for organisation in user.organisations_with_role(Role.TEACHING_SCHOOL_LEAD)
    )


@rules.predicate
def is_draft(user, application) -> bool:
    return application is not None and application.state == ApplicationState.DRAFT


@rules.predicate
def is_undecided(user, application) -> bool:
    return application is not None and application.state in UNDECIDED_APPLICATION_STATES


# Oversees: sees the application as an assessor. Assesses: also independent of it.
oversees_application = is_national_administrator | is_lead_of_rounds_teaching_school
can_assess_application = oversees_application & ~is_own_application


def assessor_refusal(user, application) -> str:
    """Why an assessor of this application may not assess it (their own case), or "": what the
    services, pages and API say instead of a bare refusal."""
    if not getattr(user, "is_authenticated", False) or not oversees_application.test(user, application):
        return ""
    return own_application_refusal(user, application)
can_view_application = is_applicant | oversees_application
can_change_application = is_applicant & is_draft
can_withdraw_application = (is_applicant & is_undecided) | can_assess_application

rules.add_perm("designations.view_application", can_view_application)
rules.add_perm("designations.change_application", can_change_application)
rules.add_perm("designations.submit_application", can_change_application)
rules.add_perm("designations.assess_application", can_assess_application)
rules.add_perm("designations.withdraw_application", can_withdraw_application)
rules.add_perm("designations.view_evidence", can_view_application)


# Directory, types, rounds, pools and a holder's own designations (the directory pages and API).
@rules.predicate
def is_designation_holder(user, designation) -> bool:
    return designation is not None and user.is_authenticated and designation.holder_id == user.pk


@rules.predicate
def is_current_designation(user, designation) -> bool:
    from .choices import CURRENT_DESIGNATION_STATUSES

    return designation is not None and designation.status in CURRENT_DESIGNATION_STATUSES


@rules.predicate
def designation_in_directory(user, designation) -> bool:
    """Mirrors queries.designations_visible_to for a single designation."""
    from .choices import DesignationStatus

    if designation is None or designation.status == DesignationStatus.ACTIVE:
        return True
    if designation.holder_id is not None and designation.holder_id == getattr(user, "pk", None):
        return True
    return any(
        organisation.pk == designation.designating_organisation_id
        for organisation in getattr(user, "scope_organisations", [])
    )


rules.add_perm("designations.manage_types", is_national_administrator)
# A teaching-school lead may open rounds too, but only to recruit into their own pool (the form offers
# only their teaching schools and teaching-school types); each existing round is checked per object.
rules.add_perm("designations.manage_rounds", is_national_administrator | is_teaching_school_lead)


@rules.predicate
def is_lead_of_recruiting_teaching_school(user, application_round) -> bool:
    """The round recruits to the pool of a teaching school this user leads."""
    if application_round is None or not user.is_authenticated:
        return False
    if application_round.designation_type.designating_body != DesignatingBody.TEACHING_SCHOOL:
        return False
    return application_round.teaching_school_id is not None and any(
        organisation.pk == application_round.teaching_school_id
        for organisation in user.organisations_with_role(Role.TEACHING_SCHOOL_LEAD)
    )


rules.add_perm("designations.change_round", is_national_administrator | is_lead_of_recruiting_teaching_school)
rules.add_perm("designations.view_pool", is_teaching_school_lead)
rules.add_perm(
    "designations.view_designation",
    rules.is_authenticated & (is_national_administrator | designation_in_directory),
)
rules.add_perm("designations.change_own_designation", is_designation_holder & is_current_designation)
# A holder's work email and phone: for themselves, whoever may broker them, and national administrators.
rules.add_perm(
    "designations.view_holder_contact",
    rules.is_authenticated & (is_designation_holder | is_possible_broker | is_national_administrator),
)


# A designation's lifecycle: training, status changes, reviews and de-designation cases.
@rules.predicate
def is_lead_of_designating_teaching_school(user, designation) -> bool:
    """The designation was made by a teaching school (an SLE of its pool) this user leads."""
    if designation is None or not user.is_authenticated:
        return False
    if designation.designation_type.designating_body != DesignatingBody.TEACHING_SCHOOL:
        return False
    return any(
        organisation.pk == designation.designating_organisation_id
        for organisation in user.organisations_with_role(Role.TEACHING_SCHOOL_LEAD)
    )


oversees_designation = is_national_administrator | is_lead_of_designating_teaching_school
can_manage_designation = oversees_designation & ~is_own_designation


def manager_refusal(user, designation) -> str:
    """Why a manager of this designation may not act on it (their own case), or ""."""
    if not getattr(user, "is_authenticated", False) or not oversees_designation.test(user, designation):
        return ""
    return own_designation_refusal(user, designation)

rules.add_perm("designations.change_designation_status", can_manage_designation)
rules.add_perm("designations.lapse_designation", is_national_administrator & ~is_own_designation)
rules.add_perm("designations.record_training", can_manage_designation)
rules.add_perm("designations.manage_reviews", can_manage_designation)

# Whether to offer the lifecycle lists ("Cases to decide", "Reviews due") at all; each page and
# action still checks the object-level permission.
rules.add_perm("designations.manage_lifecycle", is_national_administrator | is_teaching_school_lead)



def _designations_held(person):
    from .models import Designation

    return Designation.objects.filter(holder=person)


# Holds (or held) any designation: they have their own designations and availability to keep.
HOLDS_A_DESIGNATION = UserFact("holds_a_designation", _designations_held)
holds_a_designation = rules.predicate(HOLDS_A_DESIGNATION, name="holds_a_designation")


def _applications_made(person):
    from .models import Application

    return Application.objects.filter(applicant=person)


# Has applied for a designation: their applications may wait for a referee.
HAS_APPLIED = UserFact("has_applied", _applications_made)


rules.add_perm("designations.view_own_designations", holds_a_designation)
# The assessment queue: national administrators, and teaching-school leads for their own SLE rounds.
rules.add_perm("designations.view_assessment_queue", is_national_administrator | is_teaching_school_lead)
