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
    """A yes/no fact about a person: whether ``rows(person)`` finds anything.

    ``rows`` takes the person or ``OuterRef("pk")``, so the same query answers one fact on its own
    (a predicate) or many at once for the navigation (``answer_all``) and both agree.
    """

    def __init__(self, key: str, rows) -> None:
        self.key, self.rows = key, rows

    def __call__(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return remembered(user, self.key, self.rows(user).exists)


def answer_all(user, facts) -> None:
    """Answer every fact not yet answered for this person in one query."""
    if not getattr(user, "is_authenticated", False):
        return
    from django.db.models import Exists, OuterRef

    answers = _answers(user)
    missing = [fact for fact in facts if fact.key not in answers]
    if not missing:
        return
    expressions = {fact.key: Exists(fact.rows(OuterRef("pk"))) for fact in missing}
    from django.contrib.auth import get_user_model

    row = get_user_model().objects.filter(pk=user.pk).values(**expressions).first() or {}
    for fact in missing:
        answers[fact.key] = bool(row.get(fact.key))
