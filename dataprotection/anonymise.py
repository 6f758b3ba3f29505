"""The building blocks of retention and erasure: accounts anonymised in place, files deleted from
storage, rows deleted in bulk, and history rows kept with their personal fields replaced.

Every function takes a batch of ids and costs a fixed number of queries per batch, whatever its
size (the deletes fetch each model's rows once per batch for their signals)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import CharField, F, Model, QuerySet, Value
from django.db.models.functions import Cast, Concat

from accounts.models import AccessRequest, Invitation, Membership, User
from deployments.models import Agreement, AgreementStaff, Deployment, RecordedSignoff, Unavailability
from designations.models import Application, CriterionResult, EvidenceFile, LeadershipPost, RefereeRequest

# Anonymised accounts' addresses: reserved (RFC 2606), so no email can ever reach one.
ANONYMISED_DOMAIN = "anonymised.invalid"
ANONYMISED_NAME = "Former user"


def anonymised_name() -> Concat:
    return Concat(Value(f"{ANONYMISED_NAME} "), Cast(F("id"), CharField()))


def anonymised_email() -> Concat:
    return Concat(Value("former-user-"), Cast(F("id"), CharField()), Value(f"@{ANONYMISED_DOMAIN}"))


# The fields of each history table that hold personal data, and what replaces them. The rest of
# each history row (what changed, when, which records) stays: the audit trail without the person.
HISTORY_SCRUB: dict[type[Model], dict] = {
    User: {"full_name": anonymised_name, "email": anonymised_email, "phone": "", "email_opt_outs": list},
    Invitation: {"email": f"removed@{ANONYMISED_DOMAIN}", "full_name": ""},
    AccessRequest: {"full_name": "Removed", "email": f"removed@{ANONYMISED_DOMAIN}", "reason": "",
                    "decline_reason": ""},
    RefereeRequest: {"name": "Removed", "email": f"removed@{ANONYMISED_DOMAIN}", "role": "",
                     "organisation": "", "evidence": ""},
    Application: {"statement": "", "referee_name": "", "referee_email": "", "referee_organisation": "",
                  "referee_role": "", "decision_reason": ""},
    CriterionResult: {"applicant_response": "", "assessor_note": ""},
    Deployment: {"state_note": ""},
    Agreement: {"school_participants": "", "backfill_note": ""},
    RecordedSignoff: {"agreed_by_name": "Removed", "agreed_by_role": "", "copy": "", "copy_name": ""},
}


def _values(replacements: dict) -> dict:
    return {field: value() if callable(value) else value for field, value in replacements.items()}


def scrub_history(model: type[Model], ids: Iterable[int]) -> int:
    """Replace the personal fields of the history rows of these records of ``model``."""
    replacements = HISTORY_SCRUB.get(model)
    ids = list(ids)
    if not replacements or not ids:
        return 0
    return model.history.filter(id__in=ids).update(**_values(replacements))


@contextlib.contextmanager
def history_not_recorded() -> Iterator[None]:
    """Bulk deletes here write no "deleted" history row per record (one insert each): the run's
    report records what was deleted. Only retention's worker and erasure's request use this."""
    enabled = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = enabled


def delete_files(names: Iterable[str]) -> int:
    """Delete stored files by name once the rows naming them are gone (after the commit: a rolled
    back run keeps both); one already gone counts as deleted."""
    names = [name for name in names if name]

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)
    return len(names)


def delete_rows(queryset: QuerySet, *, record_history: bool = False) -> int:
    """Delete in bulk. A retention run (its own process) skips the per-record "deleted" history rows;
    an erasure, made in a web request beside others, keeps them and scrubs them afterwards."""
    with contextlib.nullcontext() if record_history else history_not_recorded():
        deleted, _ = queryset.delete()
    return deleted


def anonymise_accounts(ids: list[int], *, record_history: bool = False) -> int:
    """Names, emails and phones replaced, passwords unusable, signed out of everything for good; their
    roles, posts, absences, invitations and the history of each anonymised the same way."""
    if not ids:
        return 0
    people = User.objects.filter(pk__in=ids)
    emails = list(people.values_list("email", flat=True))
    invitations = Invitation.objects.filter(email__in=emails)
    access_requests = AccessRequest.objects.filter(email__in=emails)
    invitation_ids = list(invitations.values_list("pk", flat=True))
    access_request_ids = list(access_requests.values_list("pk", flat=True))
    delete_rows(invitations, record_history=record_history)
    delete_rows(access_requests, record_history=record_history)
    delete_rows(Membership.objects.filter(user_id__in=ids), record_history=record_history)
    delete_rows(LeadershipPost.objects.filter(person_id__in=ids), record_history=record_history)
    delete_rows(Unavailability.objects.filter(leader_id__in=ids), record_history=record_history)
    scrub_history(Invitation, invitation_ids)
    scrub_history(AccessRequest, access_request_ids)
    AgreementStaff.objects.filter(user_id__in=ids).update(name=ANONYMISED_NAME)
    changed = people.update(
        full_name=anonymised_name(), email=anonymised_email(), phone="", email_opt_outs=[],
        password=make_password(None), is_active=False, is_staff=False, is_superuser=False,
    )
    scrub_history(User, ids)
    return changed


def delete_applications(ids: list[int], *, record_history: bool = False) -> dict[str, int]:
    """Applications with their evidence (rows and stored files), criteria and references."""
    if not ids:
        return {"applications": 0, "files": 0}
    file_names = list(EvidenceFile.objects.filter(application_id__in=ids).values_list("file", flat=True))
    references = list(RefereeRequest.objects.filter(application_id__in=ids).values_list("pk", flat=True))
    results = list(CriterionResult.objects.filter(application_id__in=ids).values_list("pk", flat=True))
    delete_rows(Application.objects.filter(pk__in=ids), record_history=record_history)
    scrub_history(RefereeRequest, references)
    scrub_history(CriterionResult, results)
    scrub_history(Application, ids)
    return {"applications": len(ids), "files": delete_files(file_names)}
