"""Permission predicates about who a user is; other apps compose them."""

import rules

from .choices import Role


@rules.predicate
def is_national_administrator(user) -> bool:
    return bool(getattr(user, "is_national_administrator", False))


@rules.predicate
def is_la_officer(user) -> bool:
    return user.is_authenticated and user.has_role(Role.LA_OFFICER)


@rules.predicate
def is_teaching_school_lead(user) -> bool:
    return user.is_authenticated and user.has_role(Role.TEACHING_SCHOOL_LEAD)


@rules.predicate
def is_commissioner(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COMMISSIONER, Role.LA_OFFICER)


@rules.predicate
def is_school_leader(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SCHOOL_LEADER)


rules.add_perm("accounts.manage_api_tokens", is_national_administrator)
