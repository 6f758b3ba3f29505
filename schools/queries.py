"""What each person or partner system may see of schools. Every list starts here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.choices import OrganisationKind

from .models import School


def school_scope_filter(organisations) -> Q | None:
    """The schools an organisation's members see: None means every school.

    A national body or agency sees all; a local authority its own schools; a trust or diocese
    its schools; a school (or teaching school) itself.
    """
    scope = Q(pk__in=[])
    for organisation in organisations:
        if organisation.is_national:
            return None
        if organisation.kind == OrganisationKind.LOCAL_AUTHORITY and organisation.local_authority_id:
            scope |= Q(local_authority_id=organisation.local_authority_id)
        elif organisation.kind == OrganisationKind.ACADEMY_TRUST and organisation.trust_id:
            scope |= Q(trust_id=organisation.trust_id)
        elif organisation.kind == OrganisationKind.DIOCESE and organisation.diocese_id:
            scope |= Q(diocese_id=organisation.diocese_id)
        elif organisation.school_id:
            scope |= Q(pk=organisation.school_id)
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
    return schools if scope is None else schools.filter(scope)


def school_in_scope_of(organisations, school: School) -> bool:
    """``school_scope_filter`` for one school already loaded: the same answer, with no query."""
    for organisation in organisations:
        if organisation.is_national:
            return True
        if organisation.kind == OrganisationKind.LOCAL_AUTHORITY and organisation.local_authority_id:
            if school.local_authority_id == organisation.local_authority_id:
                return True
        elif organisation.kind == OrganisationKind.ACADEMY_TRUST and organisation.trust_id:
            if school.trust_id == organisation.trust_id:
                return True
        elif organisation.kind == OrganisationKind.DIOCESE and organisation.diocese_id:
            if school.diocese_id == organisation.diocese_id:
                return True
        elif organisation.school_id and school.pk == organisation.school_id:
            return True
    return False


def school_visible_to(principal, school: School) -> bool:
    """Whether ``schools_visible_to(principal)`` holds this school, without a query."""
    if not getattr(principal, "is_authenticated", False):
        return False
    if principal.is_national_administrator:
        return True
    return school_in_scope_of(principal.scope_organisations, school)
