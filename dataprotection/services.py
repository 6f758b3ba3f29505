"""Copies of a person's data, and erasure: every one recorded (who asked, for whom, when)."""

from __future__ import annotations

import datetime
import io
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from deployments.choices import LIVE_STATES
from deployments.models import Deployment, Signoff, TimeEntry
from designations.choices import CURRENT_DESIGNATION_STATUSES
from designations.models import Application, Designation, RefereeRequest
from funding.models import Claim

from . import anonymise, export
from .choices import DataRequestKind, ExportStatus
from .errors import DataProtectionError
from .models import DataRequest

LINK_SALT = "dataprotection.export-link"


def _link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.DATA_EXPORT_LINK_HOURS)


@dataclass
class CopyMade:
    """A copy made now (``content`` holds the ZIP), or queued for a task (``content`` is None)."""

    data_request: DataRequest
    content: bytes | None


def make_copy(person: User, *, made_by: User, reason: str = "") -> CopyMade:
    """A copy of everything held about ``person``, recorded with who asked.

    Side effects, in order: a DataRequest row; for a large copy (see ``export.Copy.is_large``) the
    ``dataprotection.build_export`` task, after the commit, which stores the ZIP for a signed link.
    """
    copy = export.collect(person)
    with transaction.atomic():
        data_request = DataRequest.objects.create(
            kind=DataRequestKind.EXPORT, subject=person, made_by=made_by, reason=reason,
            status=ExportStatus.PREPARING if copy.is_large else ExportStatus.READY,
            ready_at=None if copy.is_large else timezone.now(), summary=copy.summary,
        )
        if copy.is_large:
            from .tasks import build_export

            transaction.on_commit(lambda: build_export.delay(data_request_id=data_request.pk))
            return CopyMade(data_request, None)
    out = io.BytesIO()
    export.write_zip(person, copy, out)
    return CopyMade(data_request, out.getvalue())


def build_prepared_export(data_request_id: int) -> DataRequest | None:
    """Build and store a queued copy; one gone or no longer being prepared is left alone."""
    with transaction.atomic():
        data_request = (
            DataRequest.objects.select_for_update().select_related("subject")
            .filter(pk=data_request_id, status=ExportStatus.PREPARING).first()
        )
        if data_request is None:
            return None
        person = data_request.subject
        copy = export.collect(person)
        with tempfile.TemporaryFile() as out:
            export.write_zip(person, copy, out)
            out.seek(0)
            data_request.archive.save("copy.zip", File(out), save=False)
            data_request.archive_size = data_request.archive.size
        now = timezone.now()
        data_request.status = ExportStatus.READY
        data_request.ready_at = now
        data_request.expires_at = now + _link_lifetime()
        data_request.summary = copy.summary
        data_request.save(
            update_fields=["archive", "archive_size", "status", "ready_at", "expires_at", "summary"]
        )
    return data_request


def download_token(data_request: DataRequest) -> str:
    return signing.dumps({"copy": data_request.pk}, salt=LINK_SALT)


def prepared_copy(token: str, *, user: User) -> DataRequest:
    """The stored copy a signed link names, for the person who asked for it, while it lasts."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=_link_lifetime())
    except signing.BadSignature as error:
        raise DataProtectionError("This link has expired or is not right. Ask for a new copy.") from error
    data_request = DataRequest.objects.select_related("subject").filter(pk=payload.get("copy")).first()
    if data_request is None or data_request.made_by_id != user.pk:
        raise DataProtectionError("This link is not for you.")
    if not data_request.is_downloadable:
        raise DataProtectionError("This copy has expired and been deleted. Ask for a new copy.")
    return data_request


# --- Erasure --------------------------------------------------------------------------------------


@dataclass
class ErasurePlan:
    """What erasing a person removes, what is kept and why, and anything that stops it for now."""

    removed: list[str]
    kept: list[str]
    blockers: list[str]
    applications_deleted: list[int]


def erasure_plan(person: User) -> ErasurePlan:
    applications = list(
        Application.objects.filter(applicant=person, designation__isnull=True).values_list("pk", flat=True)
    )
    blockers = []
    current = Designation.objects.filter(
        holder=person, status__in=sorted(CURRENT_DESIGNATION_STATUSES)
    ).count()
    if current:
        blockers.append(
            f"They hold {current} current designation{'s' if current != 1 else ''}: "
            f"end {'them' if current != 1 else 'it'} first."
        )
    live = Deployment.objects.filter(leader=person, state__in=sorted(LIVE_STATES)).count()
    if live:
        blockers.append(f"They lead {live} deployment{'s' if live != 1 else ''} still under way: "
                        "close or end them first.")
    if anonymise.ANONYMISED_DOMAIN in person.email:
        blockers.append("This person has already been erased.")
    removed = [
        "Their name, email address and phone number (replaced by “Former user” and a number)",
        "Their password: the account can no longer sign in",
        "Their roles in organisations, posts held at schools and periods of unavailability",
        "Invitations and requests for access sent to their email address",
        f"Their {len(applications)} application{'s' if len(applications) != 1 else ''} that did not lead "
        "to a designation, with evidence files and references",
        "Their name and email address on references they gave for other people",
        "Their personal details in the history of all of these",
    ]
    kept = [
        "Designations they held, and the applications that led to them: the record of who was designated, "
        "kept while deployments that relied on them are kept",
        f"Deployments they led or worked on ({Deployment.objects.filter(leader=person).count()}), time "
        f"logged ({TimeEntry.objects.filter(person=person).count()}), agreements signed "
        f"({Signoff.objects.filter(agreed_by=person).count()}) and claims submitted "
        f"({Claim.objects.filter(submitted_by=person).count()}): the audit of public money, kept for the "
        "deployments retention period and linked only to the anonymised account",
        "Reviews and evaluations they wrote about deployments and designations: part of those records",
        "The record that this erasure was made, by whom and when",
    ]
    return ErasurePlan(removed=removed, kept=kept, blockers=blockers, applications_deleted=applications)


def erase_person(person: User, *, actor: User, reason: str) -> DataRequest:
    """Erase a person on their request, made outside the service.

    Side effects, in order: the person's row locked; their applications without a designation
    deleted; references they gave de-identified; their account anonymised (see
    ``anonymise.anonymise_accounts``); copies of their data made earlier expired; a DataRequest
    recording the erasure; their files (and those copies) deleted from storage after the commit.
    """
    if not actor.has_perm("dataprotection.erase_person", person):
        raise DataProtectionError("You cannot erase this person.")
    if not reason.strip():
        raise DataProtectionError("Enter the reference of the person's request")
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        plan = erasure_plan(person)
        if plan.blockers:
            raise DataProtectionError(plan.blockers[0])
        deleted = anonymise.delete_applications(plan.applications_deleted, record_history=True)
        given = RefereeRequest.objects.filter(email__iexact=person.email)
        references = list(given.values_list("pk", flat=True))
        RefereeRequest.objects.filter(pk__in=references).update(
            name="Former referee", email=f"removed@{anonymise.ANONYMISED_DOMAIN}"
        )
        anonymise.scrub_history(RefereeRequest, references)
        anonymise.anonymise_accounts([person.pk], record_history=True)
        copies = DataRequest.objects.filter(subject=person, status=ExportStatus.READY).exclude(archive="")
        anonymise.delete_files(copies.values_list("archive", flat=True))
        copies.update(status=ExportStatus.EXPIRED, archive="")
        return DataRequest.objects.create(
            kind=DataRequestKind.ERASURE, subject=person, made_by=actor, reason=reason.strip(),
            summary={"applications": deleted["applications"], "files": deleted["files"],
                     "references_given": len(references)},
        )


# --- Rectification --------------------------------------------------------------------------------


def correct_details(person: User, *, actor: User, full_name: str, email: str, phone: str) -> User:
    """Correct a person's name, email address and phone on their request (they correct their own name
    and phone on "Your account"). The new email address is how they sign in from then on; the
    change is in the account's history, with who made it."""
    if not actor.has_perm("dataprotection.correct_details", person):
        raise DataProtectionError("You cannot correct this person's details.")
    email = email.strip().lower()
    if email.endswith(f"@{anonymise.ANONYMISED_DOMAIN}"):
        raise DataProtectionError("Enter a real email address")
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.email.endswith(f"@{anonymise.ANONYMISED_DOMAIN}"):
            raise DataProtectionError("This person has been erased: their details cannot be corrected.")
        if User.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
            raise DataProtectionError("Someone else already has an account with this email address")
        person.full_name = " ".join(full_name.split())
        person.email = email
        person.phone = " ".join(phone.split())
        person.full_clean(validate_unique=False, validate_constraints=False)
        person.save(update_fields=["full_name", "email", "phone"])
    return person
