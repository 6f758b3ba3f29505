"""Who commissions and who brokers: the rules in one place, used by the pages, the API and the
services alike."""

from __future__ import annotations

import rules

from accounts.choices import OrganisationKind, Role
from accounts.rules import is_la_officer, is_national_administrator

# Who may broker which designation is decided in designations (below brokerage), so the
# designation page can use it too; these names stay importable from here.
from designations.rules import (  # noqa: F401
    BROKER_KINDS_BY_RULE,
    BROKER_ROLES_BY_KIND,
    broker_organisations_of,
    may_broker_designation,
    may_broker_type,
)

Kind = OrganisationKind

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
SCHOOL_ROLES = {Role.SCHOOL_LEADER, Role.COMMISSIONER, Role.TEACHING_SCHOOL_LEAD}


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
