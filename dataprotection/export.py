"""Everything the service holds about one person, as JSON files and their own uploaded files in a
ZIP: the subject access copy. Each source is one query, whatever the number of records, so a copy
costs the same number of queries for every person; records are the model's own fields (ids for the
people and organisations they refer to), never another person's account or application."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from accounts.models import AccessRequest, Invitation, Membership, User
from brokerage.models import CoachingSession, ProfessionalPartnership, SupportRequest
from deployments.models import (
    AgreementStaff,
    Deployment,
    FinalEvaluation,
    Notice,
    ProgressReview,
    RecordedSignoff,
    Signoff,
    TimeEntry,
    Unavailability,
)
from designations.models import (
    Application,
    ApplicationTransition,
    CriterionResult,
    DeDesignationCase,
    Designation,
    DesignationStatusChange,
    EvidenceFile,
    LeadershipPost,
    RefereeRequest,
    Review,
    SentReminder,
    TrainingRecord,
)
from funding.models import Claim, ClaimLine, Sample

from .models import DataRequest

# Never in a copy: a password's hash is not information about the person, and it would help an attack.
NEVER_EXPORTED = {"password"}


@dataclass(frozen=True)
class Source:
    """One JSON file of the copy: the records a query finds for the person."""

    name: str
    description: str
    records: Callable[[User], QuerySet]
    leave_out: frozenset[str] = frozenset()


def _history(model: type[Model], **lookup: Callable[[User], Any]) -> Callable[[User], QuerySet]:
    def records(person: User) -> QuerySet:
        return model.history.filter(**{key: value(person) for key, value in lookup.items()}).order_by(
            "history_date", "history_id"
        )
    return records


def _pk(person: User) -> int:
    return person.pk


def _email(person: User) -> str:
    return person.email


SOURCES: tuple[Source, ...] = (
    Source("profile", "Your account: name, email address, phone and email choices",
           lambda p: User.objects.filter(pk=p.pk)),
    Source("memberships", "Your roles in organisations",
           lambda p: Membership.objects.filter(user=p)),
    Source("leadership_posts", "Posts you hold or held at schools",
           lambda p: LeadershipPost.objects.filter(person=p)),
    Source("applications", "Your applications for designation",
           lambda p: Application.objects.filter(applicant=p)),
    Source("application_changes", "Changes of state of your applications",
           lambda p: ApplicationTransition.objects.filter(application__applicant=p)),
    Source("application_criteria", "How each criterion was judged for your applications",
           lambda p: CriterionResult.objects.filter(application__applicant=p)),
    Source("application_evidence", "Evidence files of your applications (the files are in files/)",
           lambda p: EvidenceFile.objects.filter(application__applicant=p)),
    Source("references_requested", "References asked for your applications",
           lambda p: RefereeRequest.objects.filter(application__applicant=p), frozenset({"email"})),
    Source("references_given", "References you gave for other people's applications",
           lambda p: RefereeRequest.objects.filter(email__iexact=p.email), frozenset({"application"})),
    Source("designations", "Your designations",
           lambda p: Designation.objects.filter(holder=p)),
    Source("designation_changes", "Changes of status of your designations",
           lambda p: DesignationStatusChange.objects.filter(designation__holder=p)),
    Source("training", "Training recorded for your designations",
           lambda p: TrainingRecord.objects.filter(designation__holder=p)),
    Source("designation_reviews", "Reviews of your designations",
           lambda p: Review.objects.filter(designation__holder=p)),
    Source("de_designation_cases", "Cases about ending your designations",
           lambda p: DeDesignationCase.objects.filter(designation__holder=p)),
    Source("deployments", "Deployments you led or worked on",
           lambda p: Deployment.objects.filter(
               Q(leader=p) | Q(agreements__staff__user=p) | Q(time_entries__person=p)
           ).distinct()),
    Source("deployment_staff", "Where you are named as staff on an agreement",
           lambda p: AgreementStaff.objects.filter(user=p)),
    Source("time_logged", "Time you logged on deployments",
           lambda p: TimeEntry.objects.filter(person=p)),
    Source("agreements_signed", "Agreements you agreed to",
           lambda p: Signoff.objects.filter(agreed_by=p)),
    Source("agreements_recorded", "Agreements you recorded on someone's behalf",
           lambda p: RecordedSignoff.objects.filter(recorded_by=p)),
    Source("unavailability", "Periods you told us you are unavailable",
           lambda p: Unavailability.objects.filter(leader=p)),
    Source("progress_reviews_written", "Progress reviews of deployments you wrote",
           lambda p: ProgressReview.objects.filter(reviewed_by=p)),
    Source("final_evaluations_written", "Final evaluations of deployments you wrote",
           lambda p: FinalEvaluation.objects.filter(evaluated_by=p)),
    Source("designation_reviews_written", "Reviews of designations you recorded",
           lambda p: Review.objects.filter(recorded_by=p)),
    Source("professional_partnerships", "Coaching partnerships you asked for or gave",
           lambda p: ProfessionalPartnership.objects.filter(Q(new_head=p) | Q(partner__holder=p))),
    Source("coaching_sessions", "Coaching sessions of those partnerships",
           lambda p: CoachingSession.objects.filter(
               Q(partnership__new_head=p) | Q(partnership__partner__holder=p)
           )),
    Source("support_requests_raised", "Requests for support you raised",
           lambda p: SupportRequest.objects.filter(raised_by=p)),
    Source("claims_submitted", "Claims you submitted for your school",
           lambda p: Claim.objects.filter(submitted_by=p)),
    Source("claim_lines", "Lines of those claims (evidence files are in files/)",
           lambda p: ClaimLine.objects.filter(claim__submitted_by=p)),
    Source("assurance_evidence_given", "Evidence you gave when a claim was sampled",
           lambda p: Sample.objects.filter(evidence_given_by=p)),
    Source("invitations", "Invitations sent to your email address",
           lambda p: Invitation.objects.filter(email__iexact=p.email)),
    Source("access_requests", "Requests for access you made",
           lambda p: AccessRequest.objects.filter(email__iexact=p.email)),
    Source("notifications_review_reminders", "Reminders sent to you about your designations' reviews",
           lambda p: SentReminder.objects.filter(review__designation__holder=p)),
    Source("notifications_deployments", "Notices sent about your deployments and designations",
           lambda p: Notice.objects.filter(Q(deployment__leader=p) | Q(designation__holder=p))),
    Source("data_requests", "Copies of your data made and other requests about your data",
           lambda p: DataRequest.objects.filter(subject=p), frozenset({"archive"})),
    Source("history_account", "Every change to your account", _history(User, id=_pk)),
    Source("history_memberships", "Every change to your roles", _history(Membership, user_id=_pk)),
    Source("history_leadership_posts", "Every change to your posts", _history(LeadershipPost, person_id=_pk)),
    Source("history_applications", "Every change to your applications",
           _history(Application, applicant_id=_pk)),
    Source("history_designations", "Every change to your designations", _history(Designation, holder_id=_pk)),
    Source("history_invitations", "Every change to invitations to you", _history(Invitation, email=_email)),
    Source("history_access_requests", "Every change to your requests for access",
           _history(AccessRequest, email=_email)),
    Source("history_references_given", "Every change to references you gave",
           _history(RefereeRequest, email=_email)),
)


def _columns(queryset: QuerySet, leave_out: frozenset[str]) -> list[str]:
    skipped = NEVER_EXPORTED | leave_out
    return [
        f.attname for f in queryset.model._meta.concrete_fields
        if f.name not in skipped and f.attname not in skipped
    ]


def records_of(source: Source, person: User) -> list[dict[str, Any]]:
    queryset = source.records(person)
    return list(queryset.order_by().values(*_columns(queryset, source.leave_out)).order_by("pk"))


@dataclass
class UploadedFile:
    """One of the person's own uploads: where it is stored and its name in the ZIP."""

    stored: Any
    name: str
    size: int


@dataclass
class Copy:
    """The records and files of one person's copy, read once."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return sum(len(rows) for rows in self.records.values())

    @property
    def file_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def summary(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.records.items() if rows} | {"files": len(self.files)}

    @property
    def is_large(self) -> bool:
        """Too big to build while the person waits: a task builds it (see ``DATA_EXPORT_INLINE_*``)."""
        return (
            self.record_count > settings.DATA_EXPORT_INLINE_MAX_RECORDS
            or self.file_bytes > settings.DATA_EXPORT_INLINE_MAX_BYTES
        )


def _uploads(person: User) -> Iterator[UploadedFile]:
    for evidence in EvidenceFile.objects.filter(application__applicant=person).order_by("pk"):
        name = f"files/application-evidence/{evidence.pk}-{evidence.original_name}"
        yield UploadedFile(evidence.file, name, evidence.size)
    for recorded in RecordedSignoff.objects.filter(recorded_by=person).exclude(copy="").order_by("pk"):
        yield UploadedFile(recorded.copy, f"files/agreement-copies/{recorded.pk}-{recorded.copy_name}",
                           recorded.copy_size or 0)
    for line in ClaimLine.objects.filter(claim__submitted_by=person).exclude(evidence="").order_by("pk"):
        yield UploadedFile(line.evidence, f"files/claim-evidence/{line.pk}-{line.evidence_name}",
                           line.evidence_size or 0)
    for sample in Sample.objects.filter(evidence_given_by=person).exclude(evidence="").order_by("pk"):
        yield UploadedFile(sample.evidence, f"files/assurance-evidence/{sample.pk}-{sample.evidence_name}",
                           sample.evidence_size or 0)


def collect(person: User) -> Copy:
    return Copy(
        records={source.name: records_of(source, person) for source in SOURCES},
        files=list(_uploads(person)),
    )


def _readme(person: User, copy: Copy) -> str:
    lines = [
        f"{settings.SERVICE_NAME}: a copy of the data held about {person.full_name or person.email}",
        f"Made {timezone.localtime():%-d %B %Y at %H:%M}.",
        "",
        "Each file in data/ is a list of records in JSON. Fields ending _id name another record (a school,",
        "an organisation, a person) by its number. Your uploaded files are in files/.",
        "The service keeps no copies of the emails it sends: data/notifications_*.json record which",
        "reminders and notices were sent.",
        "",
    ]
    lines += [f"data/{s.name}.json: {s.description} ({len(copy.records[s.name])})" for s in SOURCES]
    return "\n".join(lines) + "\n"


def write_zip(person: User, copy: Copy, out: IO[bytes]) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(person, copy))
        for name, rows in copy.records.items():
            archive.writestr(f"data/{name}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=2))
        for upload in copy.files:
            try:
                with upload.stored.open("rb") as stored:
                    archive.writestr(upload.name, stored.read())
            except FileNotFoundError:
                archive.writestr(upload.name + ".missing.txt", "This file is no longer in storage.\n")
