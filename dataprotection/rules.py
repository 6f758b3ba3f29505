"""Who may do what with people's data: everyone their own copy; national administrators a copy of
anyone's, and erasure of anyone but themselves."""

import rules

from accounts.principals import is_api_client
from schools.rules import is_national_administrator


@rules.predicate
def is_person(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not is_api_client(user)


@rules.predicate
def is_someone_else(user, person) -> bool:
    return person is not None and person.pk != user.pk


rules.add_perm("dataprotection.copy_own_data", is_person)
rules.add_perm("dataprotection.manage_people_data", is_person & is_national_administrator)
rules.add_perm("dataprotection.copy_data", is_person & is_national_administrator)
rules.add_perm("dataprotection.erase_person", is_person & is_national_administrator & is_someone_else)
rules.add_perm("dataprotection.correct_details", is_person & is_national_administrator & is_someone_else)
