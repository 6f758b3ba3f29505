"""Factories for deployments. ``agreed_deployment`` (below) builds a whole agreed, active one."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from deployments.choices import AgreementStatus, DeploymentState, Party, RateBasis, TimeBasis
from deployments.models import (
    Agreement,
    Deployment,
    Objective,
    ProgressReview,
    Signoff,
    TimeEntry,
    Unavailability,
)

from .accounts import MembershipFactory, OrganisationFactory, UserFactory
from .brokerage import SupportRequestFactory
from .designations import DesignationFactory
from .schooldays import latest_school_day


class DeploymentFactory(factory.django.DjangoModelFactory):
    """An active deployment with its dates and days set (no agreement rows: see agreed_deployment)."""

    class Meta:
        model = Deployment

    support_request = factory.SubFactory(SupportRequestFactory)
    designation = factory.SubFactory(DesignationFactory)
    leader = factory.SelfAttribute("designation.holder")
    leader_school = factory.SelfAttribute("designation.school")
    supported_school = factory.SelfAttribute("support_request.school")
    commissioner = factory.SelfAttribute("support_request.commissioner")
    broker = factory.SelfAttribute("support_request.broker")
    state = DeploymentState.ACTIVE
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda d: d.starts_on + datetime.timedelta(days=180))
    days_per_week = Decimal("1.0")
    days_agreed = Decimal("26.0")
    next_review_on = factory.LazyAttribute(lambda d: d.starts_on + datetime.timedelta(days=42))


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    deployment = factory.SubFactory(DeploymentFactory)
    version = 1
    status = AgreementStatus.AGREED
    expected_impact = "Pupils' progress in maths rises to the national average."
    support_approach = "Coaching the maths lead; joint lesson observations."
    school_participants = "Headteacher; maths lead"
    time_basis = TimeBasis.DAYS_PER_WEEK
    days_per_week = Decimal("1.0")
    starts_on = factory.SelfAttribute("deployment.starts_on")
    ends_on = factory.SelfAttribute("deployment.ends_on")
    rate_basis = RateBasis.DAY_RATE
    day_rate = Decimal("450.00")
    payer = factory.SelfAttribute("deployment.commissioner")
    payee_school = factory.SelfAttribute("deployment.leader_school")
    agreed_at = factory.LazyFunction(timezone.now)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    agreement = factory.SubFactory(AgreementFactory)
    order = factory.Sequence(int)
    description = factory.Sequence(lambda n: f"Objective {n}: improve the quality of maths teaching")
    success_measure = "Most lessons observed are good or better."
    target_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=120))


class SignoffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signoff

    agreement = factory.SubFactory(AgreementFactory)
    party = Party.COMMISSIONER
    agreed_by = factory.SubFactory(UserFactory)


def school_day_for(deployment: Deployment) -> datetime.date:
    """The latest school day up to today for the supported school's authority, the deployment's
    start moved back to it if it started later: a day the service accepts time on, whatever day
    the suite runs."""
    day = latest_school_day(deployment.supported_school.local_authority_id)
    if deployment.starts_on and deployment.starts_on > day:
        Deployment.objects.filter(pk=deployment.pk).update(starts_on=day)
        deployment.starts_on = day
    return day


class TimeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeEntry

    deployment = factory.SubFactory(DeploymentFactory)
    person = factory.SelfAttribute("deployment.leader")
    worked_on = factory.LazyAttribute(
        lambda e: latest_school_day(e.deployment.supported_school.local_authority_id)
    )
    days = Decimal("1.0")


class ProgressReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReview

    deployment = factory.SubFactory(DeploymentFactory)
    reviewed_on = factory.LazyFunction(timezone.localdate)


class UnavailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unavailability

    leader = factory.SubFactory(UserFactory)
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda u: u.starts_on + datetime.timedelta(days=28))
    days_per_week_available = Decimal("0")


def agreed_deployment(objectives: int = 2, **kwargs) -> Deployment:
    """An active deployment with an agreed first version, its objectives and all three signoffs."""
    deployment = DeploymentFactory(**kwargs)
    agreement = AgreementFactory(deployment=deployment, days_per_week=deployment.days_per_week)
    for _ in range(objectives):
        ObjectiveFactory(agreement=agreement)
    for party in Party.values:
        SignoffFactory(agreement=agreement, party=party)
    return deployment


def commissioned_by_a_trust(school, broker, **kwargs) -> tuple[Deployment, object]:
    """An agreed deployment that an academy trust commissioned and ``broker`` brokers, with the
    trust's commissioner (the person an escalation goes to)."""
    trust = OrganisationFactory(kind=OrganisationKind.ACADEMY_TRUST, name="Wensum Academy Trust")
    commissioner = MembershipFactory(
        user=UserFactory(email="commissioner@trust.example.org"), organisation=trust, role=Role.COMMISSIONER
    ).user
    request = SupportRequestFactory(school=school, commissioner=trust, broker=broker)
    return agreed_deployment(support_request=request, **kwargs), commissioner


def proposed_deployment(support_request, designation) -> Deployment:
    """Just proposed: no agreement, no dates yet."""
    return DeploymentFactory(
        support_request=support_request,
        designation=designation,
        state=DeploymentState.PROPOSED,
        starts_on=None,
        ends_on=None,
        days_per_week=Decimal("0"),
        days_agreed=Decimal("0"),
        next_review_on=None,
    )


def draft_phonics_agreement(deployment: Deployment, *, actor, starts_on: datetime.date):
    """Draft, through the service, a half-day-a-week agreement over 26 weeks with one objective."""
    from deployments import services

    ends_on = starts_on + datetime.timedelta(weeks=26)
    return services.save_draft(
        deployment,
        actor=actor,
        terms={
            "expected_impact": "Most pupils pass the phonics check.",
            "support_approach": "Coaching the reading lead.",
            "school_participants": "Headteacher; reading lead",
            "time_basis": TimeBasis.DAYS_PER_WEEK,
            "days_per_week": Decimal("0.5"),
            "total_days": None,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "rate_basis": "day_rate",
            "day_rate": Decimal("400"),
            "total_amount": None,
            "payer": deployment.commissioner,
            "payee_school": deployment.leader_school,
            "backfill_note": "",
        },
        objectives=[services.ObjectiveData("Phonics teaching is consistent", "85% pass the check", ends_on)],
    )
