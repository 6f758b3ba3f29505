"""Who commissions and who brokers: the rules in one place, used by the pages, the API and the
services alike."""

from __future__ import annotations

import rules

from accounts.choices import SCHOOL_LEADER_ROLES, OrganisationKind, Role
from accounts.rules import UserFact, is_la_officer, is_national_administrator, remembered

# Who may broker which designation is decided in designations (below brokerage), so the
# designation page can use it too; these names stay importable from here.
from designations.rules import (  # noqa: F401
    BROKER_KINDS_BY_RULE,
    BROKER_ROLES_BY_KIND,
    broker_organisations_of,
    may_broker_designation,
    may_broker_type,
    own_brokering_refusal,
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
SCHOOL_ROLES = {*SCHOOL_LEADER_ROLES, Role.COMMISSIONER, Role.TEACHING_SCHOOL_LEAD}


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
def is_for_own_school(user, request) -> bool:
    """The request is for a school the user works at: they may not broker it."""
    return request is not None and bool(own_brokering_refusal(user, request.school_id))


@rules.predicate
def is_of_requests_school(user, request) -> bool:
    return request is not None and bool(school_organisations_of(user, request.school_id))


rules.add_perm("brokerage.raise_request", is_commissioner_anywhere)
rules.add_perm(
    "brokerage.view_request",
    is_national_administrator | is_request_commissioner | is_request_broker | is_of_requests_school,
)
rules.add_perm("brokerage.change_request", is_request_commissioner)
rules.add_perm("brokerage.broker_request", is_request_broker & ~is_for_own_school)
rules.add_perm("brokerage.view_broker_queue", is_broker_anywhere)
rules.add_perm("brokerage.assess_risk", is_la_officer)



# Professional partnerships: who finds a partner, who offers, who has partnerships to follow.
def _recent_headships(person):
    """Headships begun in the last two years: a new head has one (the cheap first test)."""
    from django.utils import timezone

    from designations.models import LeadershipPost

    from .priority import HEADSHIP_ROLES, NEW_HEAD_YEARS, add_months

    today = timezone.localdate()
    return LeadershipPost.objects.filter(
        person=person,
        role__in=sorted(HEADSHIP_ROLES),
        started_on__lte=today,
        started_on__gte=add_months(today, -12 * NEW_HEAD_YEARS),
    )


def _current_lle_designations(person):
    from .partnerships import lle_designations_held_by

    return lle_designations_held_by(person)


def _partnerships_of(person):
    from django.db.models import Q

    from .models import ProfessionalPartnership

    return ProfessionalPartnership.objects.filter(Q(new_head=person) | Q(partner__holder=person))


HAS_A_RECENT_HEADSHIP = UserFact("has_a_recent_headship", _recent_headships)
HOLDS_CURRENT_LLE = UserFact("holds_current_lle", _current_lle_designations)
HAS_PARTNERSHIPS = UserFact("has_partnerships", _partnerships_of)
holds_current_lle = rules.predicate(HOLDS_CURRENT_LLE, name="holds_current_lle")
has_partnerships = rules.predicate(HAS_PARTNERSHIPS, name="has_partnerships")


@rules.predicate
def is_new_head_now(user) -> bool:
    """A new, first-time head now (brokerage.partnerships decides; a recent headship comes first)."""
    if not HAS_A_RECENT_HEADSHIP(user):
        return False
    from django.utils import timezone

    from .partnerships import is_new_head

    return remembered(user, "is_new_head", lambda: is_new_head(user, timezone.localdate()) is not None)


rules.add_perm("brokerage.find_partner", is_new_head_now)
rules.add_perm("brokerage.offer_partnership", holds_current_lle)
rules.add_perm(
    "brokerage.view_partnerships",
    is_national_administrator | is_new_head_now | holds_current_lle | has_partnerships,
)
