"""Who may see and change term dates: national administrators everywhere, and a local authority's
officers for their own authority. Views, the navigation and the services ask these."""

from __future__ import annotations

import rules

from accounts.choices import OrganisationKind, Role
from accounts.rules import is_national_administrator


def officer_authority_ids(user) -> frozenset[int]:
    """The local authorities the user is an officer of (through a local-authority organisation)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(
        m.organisation.local_authority_id
        for m in getattr(user, "active_memberships", [])
        if m.role == Role.LA_OFFICER
        and m.organisation.kind == OrganisationKind.LOCAL_AUTHORITY
        and m.organisation.local_authority_id
    )


def may_change_calendar(user, local_authority_id: int | None) -> bool:
    """The national default (None) is the national administrators'; an authority's term dates are
    also its officers'."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_national_administrator(user):
        return True
    return local_authority_id is not None and local_authority_id in officer_authority_ids(user)


@rules.predicate
def may_view_term_dates(user) -> bool:
    return is_national_administrator(user) or bool(officer_authority_ids(user))


@rules.predicate
def may_change_term_dates(user, local_authority) -> bool:
    """``local_authority`` None: the national default."""
    return may_change_calendar(user, getattr(local_authority, "pk", None))


@rules.predicate
def may_change_term_period(user, period) -> bool:
    return period is not None and may_change_calendar(user, period.local_authority_id)


rules.add_perm("schooldays.view_term_dates", may_view_term_dates)
# A new school year (its national term periods then added on its page) is the national administrators'.
rules.add_perm("schooldays.add_school_year", is_national_administrator)
rules.add_perm("schooldays.change_term_dates", may_change_term_dates)
rules.add_perm("schooldays.change_term_period", may_change_term_period)
