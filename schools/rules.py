"""Permission predicates for schools, used by views, the API and the admin alike."""

import rules

from accounts.rules import is_national_administrator

from .queries import school_scope_filter


@rules.predicate
def school_in_scope(user, school) -> bool:
    if school is None:
        return True
    if getattr(user, "is_national_administrator", False):
        return True
    scope = school_scope_filter(getattr(user, "scope_organisations", []))
    if scope is None:
        return True
    from .models import School

    return School.objects.filter(scope, pk=school.pk).exists()


rules.add_perm("schools.view_school", rules.is_authenticated & school_in_scope)
rules.add_perm("schools.view_school_history", is_national_administrator)
rules.add_perm("schools.import_data", is_national_administrator)
