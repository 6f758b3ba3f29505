"""Permission predicates for schools, used by views, the API and the admin alike."""

import rules

from .queries import school_visible_to


@rules.predicate
def is_national_administrator(user) -> bool:
    # Users and API clients (defined above this app) both answer this.
    return bool(getattr(user, "is_national_administrator", False))


@rules.predicate
def school_in_scope(user, school) -> bool:
    if school is None:
        return True
    return school_visible_to(user, school)


rules.add_perm("schools.view_school", rules.is_authenticated & school_in_scope)
rules.add_perm("schools.view_school_history", is_national_administrator)
rules.add_perm("schools.import_data", is_national_administrator)
