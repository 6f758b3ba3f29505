"""One of every kind of personal record for a person, each carrying a tag in its text, so a test can
find each in a copy of the person's data, and find another person's nowhere in it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from accounts.models import AccessRequest, Invitation
from deployments.choices import AgreementMethod, NoticeKind, Party
from deployments.models import AgreementStaff, FinalEvaluation, Notice, RecordedSignoff
from funding.models import Claim, Sample, SampleDraw
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.brokerage import (
    CoachingSessionFactory,
    ProfessionalPartnershipFactory,
    SupportRequestFactory,
)
from tests.factories.deployments import (
    AgreementFactory,
    DeploymentFactory,
    ProgressReviewFactory,
    SignoffFactory,
    TimeEntryFactory,
    UnavailabilityFactory,
)
from tests.factories.designations import (
    ApplicationFactory,
    ApplicationTransitionFactory,
    CriterionResultFactory,
    DeDesignationCaseFactory,
    DesignationFactory,
    DesignationStatusChangeFactory,
    EvidenceFileFactory,
    LeadershipPostFactory,
    RefereeRequestFactory,
    ReviewFactory,
    SentReminderFactory,
    TrainingRecordFactory,
)
from tests.factories.funding import ClaimSetting, make_claim

# Sources a person may have nothing in here.
NOT_MADE: set[str] = set()


def every_kind_of_record(person, tag: str) -> dict:
    """Make one of each kind of personal record for ``person``; every text holds ``tag``."""
    now = timezone.now()
    MembershipFactory(user=person, organisation=OrganisationFactory(name=f"{tag} council"))
    LeadershipPostFactory(person=person)
    application = ApplicationFactory(
        applicant=person, statement=f"{tag} statement", referee_name=f"{tag} referee"
    )
    ApplicationTransitionFactory(application=application, reason=f"{tag} submitted")
    CriterionResultFactory(application=application, applicant_response=f"{tag} response")
    evidence = EvidenceFileFactory(
        application=application, original_name=f"{tag}-evidence.txt",
        file__data=f"{tag} evidence bytes".encode(), file__filename=f"{tag}-evidence.txt",
    )
    RefereeRequestFactory(application=application, name=f"{tag} asked referee")
    RefereeRequestFactory(email=person.email, name=person.full_name, evidence=f"{tag} reference given")
    designation = DesignationFactory(holder=person, availability_notes=f"{tag} availability")
    DesignationStatusChangeFactory(designation=designation, reason=f"{tag} suspended")
    TrainingRecordFactory(designation=designation)
    review = ReviewFactory(designation=designation, notes=f"{tag} designation review")
    ReviewFactory(designation=DesignationFactory(), recorded_by=person, notes=f"{tag} review written")
    DeDesignationCaseFactory(designation=designation, detail=f"{tag} case")
    SentReminderFactory(review=review)
    deployment = DeploymentFactory(designation=designation, state_note=f"{tag} deployment")
    Notice.objects.create(kind=NoticeKind.STALLED, deployment=deployment, key=f"{tag}-stalled")
    TimeEntryFactory(deployment=deployment, note=f"{tag} time")
    ProgressReviewFactory(deployment=deployment, reviewed_by=person, summary=f"{tag} progress")
    FinalEvaluation.objects.create(
        deployment=deployment, impact=f"{tag} impact", evaluated_on=deployment.starts_on, evaluated_by=person
    )
    agreement = AgreementFactory(deployment=DeploymentFactory(), backfill_note=f"{tag} backfill")
    AgreementStaff.objects.create(agreement=agreement, name=person.full_name, role="Deputy head", user=person)
    SignoffFactory(agreed_by=person, party=Party.LEADER_SCHOOL)
    recorded = RecordedSignoff(
        agreement=agreement, party=Party.COMMISSIONER, agreed_by_name=f"{tag} commissioner",
        agreed_by_role="Director", agreed_on=timezone.localdate(), method=AgreementMethod.EMAIL,
        recorded_by=person, copy_name=f"{tag}-agreement.pdf", copy_size=10,
    )
    recorded.copy.save(f"{tag}-agreement.pdf", ContentFile(f"{tag} agreement bytes".encode()), save=False)
    recorded.save()
    UnavailabilityFactory(leader=person, reason=f"{tag} leave")
    partnership = ProfessionalPartnershipFactory(new_head=person, message=f"{tag} coaching wanted")
    CoachingSessionFactory(partnership=partnership, notes=f"{tag} session")
    SupportRequestFactory(raised_by=person, title=f"{tag} support")
    setting = ClaimSetting.create()
    setting.log()
    claim = make_claim(setting, note=f"{tag} claim")
    Claim.objects.filter(pk=claim.pk).update(submitted_by=person)
    _sampled(claim, person, tag)
    organisation = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, name=f"{tag} inviting council")
    Invitation.objects.create(
        email=person.email, organisation=organisation, role=Role.LA_OFFICER, full_name=person.full_name,
        sent_at=now, expires_at=now + datetime.timedelta(days=14),
    )
    AccessRequest.objects.create(
        full_name=person.full_name, email=person.email, organisation_kind=OrganisationKind.SCHOOL,
        school=SchoolFactory(), role=Role.SCHOOL_LEADER, reason=f"{tag} access wanted",
    )
    return {"application": application, "designation": designation, "deployment": deployment,
            "evidence": evidence, "recorded": recorded, "claim": claim, "days": Decimal("1")}


def _sampled(claim: Claim, person, tag: str) -> Sample:
    """The claim drawn for assurance, with the evidence ``person`` gave for it."""
    today = timezone.localdate()
    draw = SampleDraw.objects.create(
        rate=100, seed=1, paid_from=today - datetime.timedelta(days=30), paid_to=today,
        drawn_by=UserFactory(),
    )
    sample = Sample(
        claim=claim, draw=draw, school_note=f"{tag} sample note", evidence_given_by=person,
        evidence_given_at=timezone.now(), evidence_name=f"{tag}-timesheet.pdf",
        evidence_content_type="application/pdf",
    )
    sample.evidence.save(f"{tag}-timesheet.pdf", ContentFile(f"{tag} sample bytes".encode()), save=False)
    sample.evidence_size = sample.evidence.size
    sample.save()
    return sample
