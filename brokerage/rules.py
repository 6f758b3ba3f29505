"""Who commissions and who brokers: the rules in one place, used by the pages, the API and the
services alike."""

from __future__ import annotations

import rules

from accounts.choices import SCHOOL_LEADER_ROLES, OrganisationKind, Role
from accounts.rules import is_la_officer, is_national_administrator
from designations.choices import BrokeringRule

Kind = OrganisationKind

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
COMMISSIONING_KINDS = {
    Kind.LOCAL_AUTHORITY,
    Kind.DIOCESE,
    Kind.ACADEMY_TRUST,
    Kind.SCHOOL,
    Kind.TEACHING_SCHOOL,
    Kind.NATIONAL_BODY,
}
COMMISSIONER_ROLES = {Role.COMMISSIONER, Role.LA_OFFICER}
# Members of a school who act for it: agree agreements, see its support.
SCHOOL_ROLES = {*SCHOOL_LEADER_ROLES, Role.COMMISSIONER, Role.TEACHING_SCHOOL_LEAD}


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


def commissioning_organisations_of(user) -> list:
    """The organisations this user may raise support requests for."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        m.organisation
        for m in getattr(user, "active_memberships", [])
        if m.role in COMMISSIONER_ROLES and m.organisation.kind in COMMISSIONING_KINDS
    ]


def school_organisations_of(user, school_id: int) -> list:
    """The user's organisations that are this school (they act for it)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        m.organisation
        for m in getattr(user, "active_memberships", [])
        if m.organisation.school_id == school_id
        and m.role in SCHOOL_ROLES
        and m.organisation.kind in {Kind.SCHOOL, Kind.TEACHING_SCHOOL}
    ]


def is_member(user, organisation_id: int, roles: set[str] | None = None) -> bool:
    """The user belongs to the organisation (in one of ``roles``, when given)."""
    return any(
        m.organisation_id == organisation_id and (roles is None or m.role in roles)
        for m in getattr(user, "active_memberships", [])
    )


@rules.predicate
def is_commissioner_anywhere(user) -> bool:
    return bool(commissioning_organisations_of(user))


@rules.predicate
def is_broker_anywhere(user) -> bool:
    return bool(broker_organisations_of(user))


@rules.predicate
def is_request_commissioner(user, request) -> bool:
    return (
        request is not None
        and user.is_authenticated
        and is_member(user, request.commissioner_id, COMMISSIONER_ROLES)
    )


@rules.predicate
def is_request_broker(user, request) -> bool:
    return request is not None and any(o.pk == request.broker_id for o in broker_organisations_of(user))


@rules.predicate
def is_of_requests_school(user, request) -> bool:
    return request is not None and bool(school_organisations_of(user, request.school_id))


rules.add_perm("brokerage.raise_request", is_commissioner_anywhere)
rules.add_perm(
    "brokerage.view_request",
    is_national_administrator | is_request_commissioner | is_request_broker | is_of_requests_school,
)
rules.add_perm("brokerage.change_request", is_request_commissioner)
rules.add_perm("brokerage.broker_request", is_request_broker)
rules.add_perm("brokerage.view_broker_queue", is_broker_anywhere)
rules.add_perm("brokerage.assess_risk", is_la_officer)
rules.add_perm("brokerage.view_dashboard", is_la_officer | is_national_administrator)
