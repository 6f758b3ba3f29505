"""Factories for every designations model. The seeded types (SLE, LLE, NLE, NLG, TS) exist after
migrations; these factories make further ones, or rows that hang off them."""

import datetime

import factory
from django.utils import timezone

from accounts.choices import OrganisationKind
from designations.choices import (
    ApplicationState,
    BrokeringRule,
    CaseReason,
    CriterionCheck,
    CriterionOutcome,
    DesignatingBody,
    DesignationStatus,
    LeadershipRole,
    ReminderKind,
)
from designations.models import (
    Application,
    ApplicationRound,
    ApplicationTransition,
    Criterion,
    CriterionResult,
    DeDesignationCase,
    Designation,
    DesignationStatusChange,
    DesignationType,
    EvidenceFile,
    LeadershipPost,
    NationalSupportSchool,
    OfstedRule,
    OfstedRuleClause,
    RefereeRequest,
    Review,
    SentReminder,
    Specialism,
    TrainingRecord,
    TrainingRequirement,
)

from .accounts import OrganisationFactory, UserFactory
from .schools import SchoolFactory


class SpecialismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialism
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Specialism {n}")
    slug = factory.Sequence(lambda n: f"specialism-{n}")


class OfstedRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfstedRule

    name = factory.Sequence(lambda n: f"Ofsted rule {n}")


class OfstedRuleClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfstedRuleClause

    rule = factory.SubFactory(OfstedRuleFactory)
    framework = "graded"
    area = "overall_effectiveness"
    acceptable_grades = factory.LazyFunction(lambda: ["outstanding", "good"])


class DesignationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DesignationType

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Local leader type {n}")
    designating_body = DesignatingBody.NATIONAL_BODY
    brokering_rule = BrokeringRule.LOCAL_BROKERS
    term_months = 48
    review_interval_months = 12


class TrainingRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRequirement

    designation_type = factory.SubFactory(DesignationTypeFactory)
    name = factory.Sequence(lambda n: f"Training day {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    designation_type = factory.SubFactory(DesignationTypeFactory)
    order = factory.Sequence(lambda n: n)
    label = factory.Sequence(lambda n: f"Criterion {n}")
    kind = CriterionCheck.EVIDENCE


class ApplicationRoundFactory(factory.django.DjangoModelFactory):
    """A round open today by default."""

    class Meta:
        model = ApplicationRound

    designation_type = factory.SubFactory(DesignationTypeFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class LeadershipPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadershipPost

    person = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = LeadershipRole.HEADTEACHER
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5 * 365))
    ended_on = None


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A row made directly, without the services' checks: for states and permissions tests."""

    class Meta:
        model = Application

    applicant = factory.SubFactory(UserFactory)
    round = factory.SubFactory(ApplicationRoundFactory)
    designation_type = factory.SelfAttribute("round.designation_type")
    school = factory.SubFactory(SchoolFactory)
    state = ApplicationState.DRAFT
    statement = "I led a curriculum review across three schools."


class ApplicationTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationTransition

    application = factory.SubFactory(ApplicationFactory)
    from_state = ApplicationState.DRAFT
    to_state = ApplicationState.SUBMITTED
    actor = factory.SelfAttribute("application.applicant")


class CriterionResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionResult

    application = factory.SubFactory(ApplicationFactory)
    criterion = None
    label = factory.Sequence(lambda n: f"Criterion {n}")
    kind = CriterionCheck.EVIDENCE
    outcome = CriterionOutcome.NEEDS_EVIDENCE
    explanation = "Needs evidence: describe it or upload a document."
    evaluated_at = factory.LazyFunction(timezone.now)


class EvidenceFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceFile

    application = factory.SubFactory(ApplicationFactory)
    file = factory.django.FileField(filename="evidence.txt", data=b"Results for the last three years.")
    original_name = "evidence.txt"
    content_type = "text/plain"
    size = 32
    uploaded_by = factory.SelfAttribute("application.applicant")


class RefereeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RefereeRequest

    application = factory.SubFactory(ApplicationFactory)
    name = "Robin Referee"
    email = factory.Sequence(lambda n: f"referee{n}@la.example.org")
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))


class DesignationFactory(factory.django.DjangoModelFactory):
    """An active, trained designation made directly (the lifecycle service is the real door)."""

    class Meta:
        model = Designation

    holder = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    designation_type = factory.SubFactory(DesignationTypeFactory)
    designating_organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.NATIONAL_BODY,
        name=factory.Sequence(lambda n: f"National body {n}"),
    )
    status = DesignationStatus.ACTIVE
    designated_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=100))
    term_ends_on = factory.LazyAttribute(lambda d: d.designated_on + datetime.timedelta(days=4 * 365))
    next_review_on = factory.LazyAttribute(lambda d: d.designated_on + datetime.timedelta(days=365))
    training_completed_on = factory.LazyAttribute(lambda d: d.designated_on + datetime.timedelta(days=30))


class DesignationStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DesignationStatusChange

    designation = factory.SubFactory(DesignationFactory)
    from_status = DesignationStatus.ACTIVE
    to_status = DesignationStatus.SUSPENDED
    reason = "Concerns raised by the local authority."


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    designation = factory.SubFactory(DesignationFactory)
    requirement = factory.SubFactory(
        TrainingRequirementFactory, designation_type=factory.SelfAttribute("..designation.designation_type")
    )
    completed_on = factory.LazyFunction(timezone.localdate)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    designation = factory.SubFactory(DesignationFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class SentReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SentReminder

    review = factory.SubFactory(ReviewFactory)
    kind = ReminderKind.DUE_IN_30_DAYS


class DeDesignationCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeDesignationCase

    designation = factory.SubFactory(DesignationFactory)
    reason = CaseReason.QUALITY_CONCERN
    detail = "The supported school reported no progress after two terms."


class NationalSupportSchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalSupportSchool

    designation = factory.SubFactory(DesignationFactory)
    school = factory.SelfAttribute("designation.school")
    started_on = factory.SelfAttribute("designation.designated_on")


__all__ = [
    "ApplicationFactory",
    "ApplicationRoundFactory",
    "ApplicationTransitionFactory",
    "CriterionFactory",
    "CriterionResultFactory",
    "DeDesignationCaseFactory",
    "DesignationFactory",
    "DesignationStatusChangeFactory",
    "DesignationTypeFactory",
    "EvidenceFileFactory",
    "LeadershipPostFactory",
    "NationalSupportSchoolFactory",
    "OfstedRuleClauseFactory",
    "OfstedRuleFactory",
    "RefereeRequestFactory",
    "ReviewFactory",
    "SentReminderFactory",
    "SpecialismFactory",
    "TrainingRecordFactory",
    "TrainingRequirementFactory",
]
