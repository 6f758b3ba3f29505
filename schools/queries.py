"""What each person or partner system may see of schools. Every list starts here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import School


@dataclass(frozen=True)
class SchoolScope:
    """The schools one organisation's members see: every school, or those of one local authority,
    trust or diocese, or one school. Organisations (above this app) say which with ``school_scope``."""

    every_school: bool = False
    local_authority_id: int | None = None
    trust_id: int | None = None
    diocese_id: int | None = None
    school_id: int | None = None

    def as_filter(self) -> Q:
        if self.every_school:
            return Q()
        for field in ("local_authority_id", "trust_id", "diocese_id"):
            if getattr(self, field):
                return Q(**{field: getattr(self, field)})
        return Q(pk=self.school_id) if self.school_id else Q(pk__in=[])

    def holds(self, school: School) -> bool:
        if self.every_school:
            return True
        for field in ("local_authority_id", "trust_id", "diocese_id"):
            if getattr(self, field):
                return getattr(school, field) == getattr(self, field)
        return bool(self.school_id) and school.pk == self.school_id


NO_SCHOOLS = SchoolScope()


def school_scope_filter(organisations) -> Q | None:
    """The schools an organisation's members see: None means every school.

    A national body or agency sees all; a local authority its own schools; a trust or diocese
    its schools; a school (or teaching school) itself. Each organisation gives its ``school_scope``.
    """
    scope = Q(pk__in=[])
    for organisation in organisations:
        if organisation.school_scope.every_school:
            return None
        scope |= organisation.school_scope.as_filter()
    return scope


# Apps above this one widen what a principal sees for reasons of their own (brokerage: a teaching
# school's token also sees its alliance partners, whom it may commission for) without this app
# importing them. Each widening returns a filter of extra schools, or None for none.
SchoolWidening = Callable[[object], Q | None]
_widenings: list[SchoolWidening] = []


def widen_school_visibility(widening: SchoolWidening) -> SchoolWidening:
    """Register ``widening`` (from an app's ``ready()``); usable as a decorator."""
    if widening not in _widenings:
        _widenings.append(widening)
    return widening


def _widened(principal, scope: Q) -> Q:
    for widening in _widenings:
        extra = widening(principal)
        if extra is not None:
            scope |= extra
    return scope


def schools_visible_to(principal) -> QuerySet[School]:
    """Schools a signed-in user or an API client may see, ready for a list (no N+1).

    ``principal`` is a User or an ``accounts.api.authentication.ApiClient``; both expose
    ``is_national_administrator`` and ``scope_organisations``.
    """
    schools = School.objects.select_related(
        "local_authority", "trust", "diocese", "latest_inspection"
    ).prefetch_related("latest_inspection__judgements")
    if not getattr(principal, "is_authenticated", False):
        return schools.none()
    if principal.is_national_administrator:
        return schools
    scope = school_scope_filter(principal.scope_organisations)
    return schools if scope is None else schools.filter(_widened(principal, scope))


def school_in_scope_of(organisations, school: School) -> bool:
    """``school_scope_filter`` for one school already loaded: the same answer, with no query."""
    return any(organisation.school_scope.holds(school) for organisation in organisations)


def school_visible_to(principal, school: School) -> bool:
    """Whether ``schools_visible_to(principal)`` holds this school, without a query."""
    if not getattr(principal, "is_authenticated", False):
        return False
    if principal.is_national_administrator:
        return True
    return school_in_scope_of(principal.scope_organisations, school)
