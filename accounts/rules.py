"""Permission predicates about who a user is; other apps compose them."""

from collections.abc import Callable

import rules

from schools.rules import is_national_administrator

from .choices import (
    GRANTABLE_BY_MANAGER_ROLE,
    LA_MAINTAINED_TYPE_GROUP,
    ROLES_BY_ORGANISATION_KIND,
    SCHOOL_LEADER_ROLES,
    AccessRequestState,
    OrganisationKind,
    Role,
)


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
    return user.is_authenticated and user.has_role(*SCHOOL_LEADER_ROLES)


# Every organisation's tokens, from the Django admin and the commands as well as the pages. The
# pages' own rules (an organisation's administrators, their organisation's tokens) are below.
rules.add_perm("accounts.manage_api_tokens", is_national_administrator)


def _answers(user) -> dict:
    # Attribute access, not __dict__: request.user is a lazy proxy that forwards attributes.
    answers = getattr(user, "_rule_answers", None)
    if answers is None:
        answers = {}
        user._rule_answers = answers
    return answers


def remembered(user, key: str, compute) -> bool:
    """A per-request answer about the user kept on the user object.

    The navigation asks the same questions on every page and the page itself may ask again; the
    user object lives for one request, so the answer cannot go stale for longer than that.
    """
    answers = _answers(user)
    if key not in answers:
        answers[key] = bool(compute())
    return answers[key]


class UserFact:
    """A yes/no fact about a person: whether any of ``rows(person)`` finds anything.

    Each ``rows`` takes the person or ``OuterRef("pk")``, so the same queries answer one fact on its
    own (a predicate) or many at once for the navigation (``answer_all``) and both agree. A fact with
    two sources of rows gives both, rather than one query ORing across a join, which PostgreSQL can
    only answer by reading every row.
    """

    def __init__(self, key: str, *rows) -> None:
        self.key, self.rows = key, rows

    def __call__(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return remembered(user, self.key, lambda: any(rows(user).exists() for rows in self.rows))

    def columns(self) -> dict[str, Callable]:
        return {f"fact_{self.key}_{index}": rows for index, rows in enumerate(self.rows)}


def _fact_expressions(facts) -> dict:
    from django.db.models import Exists, OuterRef

    return {column: Exists(rows(OuterRef("pk"))) for fact in facts for column, rows in fact.columns().items()}


def answer_all(user, facts) -> None:
    """Answer every fact not yet answered for this person in one query."""
    if not getattr(user, "is_authenticated", False):
        return
    answers = _answers(user)
    missing = [fact for fact in facts if fact.key not in answers]
    if not missing:
        return
    from django.contrib.auth import get_user_model

    row = get_user_model().objects.filter(pk=user.pk).values(**_fact_expressions(missing)).first() or {}
    for fact in missing:
        answers[fact.key] = any(row.get(column) for column in fact.columns())


# Facts answered in the very query that loads the signed-in person for a request
# (``accounts.backends.ModelPermissionBackend.get_user``): those every page asks, such as the
# navigation's, registered by the apps that ask them when they are ready.
FACTS_LOADED_WITH_THE_PERSON: list[UserFact] = []


def load_with_the_person(*facts: UserFact) -> None:
    FACTS_LOADED_WITH_THE_PERSON.extend(fact for fact in facts if fact not in FACTS_LOADED_WITH_THE_PERSON)


def with_loaded_facts(people):
    """The people (a queryset of users) with a column for each registered fact."""
    return people.annotate(**_fact_expressions(FACTS_LOADED_WITH_THE_PERSON))


def keep_loaded_facts(user) -> None:
    """Remember the answers ``with_loaded_facts`` read with this person, for the request."""
    answers = _answers(user)
    for fact in FACTS_LOADED_WITH_THE_PERSON:
        columns = fact.columns()
        answers[fact.key] = any(user.__dict__.pop(column, False) for column in columns)


def forget(user, facts) -> None:
    """Drop the remembered answers to these facts, for when the person's own action may have
    changed them."""
    answers = _answers(user)
    for fact in facts:
        answers.pop(fact.key, None)


def _access_requests_routed_to(person):
    from .models import AccessRequest

    return AccessRequest.objects.filter(routed_to=person, state=AccessRequestState.AWAITING_DECISION)


# An undecided request for access waits for this person (the tasks page; national administrators
# answer every request whether routed to them or not).
HAS_ACCESS_REQUESTS_ROUTED = UserFact("has_access_requests_routed", _access_requests_routed_to)


# --- Who may manage whom -------------------------------------------------------------------------


def manages_through(membership, organisation) -> bool:
    """Whether one of the user's memberships makes them a manager of the organisation's people."""
    own = membership.organisation
    if membership.role == Role.LA_OFFICER and own.kind == OrganisationKind.LOCAL_AUTHORITY:
        if not own.local_authority_id:
            return False
        if organisation.kind == OrganisationKind.LOCAL_AUTHORITY:
            return organisation.local_authority_id == own.local_authority_id
        if organisation.kind == OrganisationKind.SCHOOL and organisation.school_id:
            school = organisation.school
            return (
                school.local_authority_id == own.local_authority_id
                and school.type_group == LA_MAINTAINED_TYPE_GROUP
            )
        return False
    if own.pk is None or own.pk != organisation.pk:
        return False
    return (
        (membership.role == Role.TEACHING_SCHOOL_LEAD and own.kind == OrganisationKind.TEACHING_SCHOOL)
        or (
            membership.role == Role.HEADTEACHER
            and own.kind in (OrganisationKind.SCHOOL, OrganisationKind.TEACHING_SCHOOL)
        )
        or (
            membership.role == Role.COMMISSIONER
            and own.kind in (OrganisationKind.ACADEMY_TRUST, OrganisationKind.DIOCESE)
        )
    )


def grantable_roles(user, organisation) -> frozenset[str]:
    """The roles this user may give people in the organisation (empty: they may not manage it).

    National administrators: any role the organisation's kind allows. Anyone else: the roles their
    managing memberships may grant (GRANTABLE_BY_MANAGER_ROLE) that the kind allows.
    """
    if organisation is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    allowed = ROLES_BY_ORGANISATION_KIND.get(organisation.kind, set())
    if user.is_national_administrator:
        return frozenset(allowed)
    granted: set[str] = set()
    for membership in user.active_memberships:
        if manages_through(membership, organisation):
            granted |= GRANTABLE_BY_MANAGER_ROLE.get(membership.role, frozenset())
    return frozenset(granted & allowed)


@rules.predicate
def can_manage_people(user, organisation) -> bool:
    """The one rule for who may manage an organisation's people (see grantable_roles)."""
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_national_administrator:
        return True
    return any(manages_through(m, organisation) for m in user.active_memberships)


def can_grant_role(user, organisation, role: str) -> bool:
    return role in grantable_roles(user, organisation)


@rules.predicate
def can_answer_access_request(user, access_request) -> bool:
    """National administrators, whoever the request was routed to, and the organisation's managers."""
    if access_request is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_national_administrator or access_request.routed_to.filter(pk=user.pk).exists():
        return True
    # Someone who became a manager of the organisation after the request was routed.
    return can_manage_people(user, access_request.find_organisation())


rules.add_perm("accounts.manage_people", can_manage_people)
rules.add_perm("accounts.answer_access_request", can_answer_access_request)


@rules.predicate
def manages_people_somewhere(user) -> bool:
    """Whether to show "Your organisation": a national administrator, or someone whose membership
    makes them a manager of their own organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_national_administrator:
        return True
    return any(manages_through(m, m.organisation) for m in user.active_memberships)


rules.add_perm("accounts.manage_people_somewhere", manages_people_somewhere)


# --- An organisation's administrators (its API tokens) ---------------------------------------------


def administers(membership, organisation) -> bool:
    """Whether this membership makes its person an administrator of the organisation itself: a
    member whose role makes them a manager of its people (manages_through), or a national
    administrator of a national body. An LA officer who manages a maintained school's people is
    not that school's administrator."""
    if organisation is None or membership.organisation_id != organisation.pk:
        return False
    return membership.role == Role.NATIONAL_ADMINISTRATOR or manages_through(membership, organisation)


def administered_organisations(user) -> list:
    """The active organisations this person administers (a partner system's token: none)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(dict.fromkeys(
        m.organisation for m in user.active_memberships if administers(m, m.organisation)
    ))


@rules.predicate
def can_manage_api_tokens_of(user, token_or_organisation) -> bool:
    """National administrators manage every token; an organisation's administrators its own."""
    organisation = getattr(token_or_organisation, "organisation", token_or_organisation)
    if organisation is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_national_administrator:
        return True
    return any(administers(m, organisation) for m in user.active_memberships)


@rules.predicate
def manages_api_tokens_somewhere(user) -> bool:
    """Whether to offer the API tokens pages: a national administrator, or an organisation's."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_national_administrator or administered_organisations(user))


rules.add_perm("accounts.manage_organisation_api_tokens", can_manage_api_tokens_of)
rules.add_perm("accounts.manage_api_tokens_somewhere", manages_api_tokens_somewhere)
