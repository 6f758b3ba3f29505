"""Factories for commissioning and brokerage rows, made directly (the services are the real door)."""

import datetime

import factory
from django.utils import timezone

from accounts.choices import OrganisationKind
from brokerage.choices import PartnershipStatus, RequestStatus
from brokerage.models import (
    AlliancePartner,
    CoachingSession,
    ProfessionalPartnership,
    RiskAssessment,
    ShortlistEntry,
    SupportRequest,
)

from .accounts import OrganisationFactory, UserFactory
from .designations import DesignationFactory
from .schools import SchoolFactory


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAssessment

    school = factory.SubFactory(SchoolFactory)
    likely_good_outcomes = True
    effective_leadership = True
    good_next_inspection = True
    assessed_on = factory.LazyFunction(timezone.localdate)


class AlliancePartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlliancePartner

    teaching_school = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.TEACHING_SCHOOL)
    school = factory.SubFactory(SchoolFactory)


class SupportRequestFactory(factory.django.DjangoModelFactory):
    """A request with no types or needs: pass ``designation_types=[...]`` and ``needs=[...]``."""

    class Meta:
        model = SupportRequest
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    commissioner = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.LOCAL_AUTHORITY,
        local_authority=factory.SelfAttribute("..school.local_authority"),
    )
    broker = factory.SelfAttribute("commissioner")
    title = factory.Sequence(lambda n: f"Support request {n}")
    needs_description = "Leadership of maths across the school."
    status = RequestStatus.OPEN
    preferred_start_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))

    @factory.post_generation
    def designation_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.designation_types.set(extracted)

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        if create and extracted:
            self.needs.set(extracted)


class ShortlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShortlistEntry

    request = factory.SubFactory(SupportRequestFactory)
    designation = factory.SubFactory(DesignationFactory)


class ProfessionalPartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfessionalPartnership

    new_head = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    partner = factory.SubFactory(DesignationFactory)
    status = PartnershipStatus.ACTIVE
    hours_agreed = 24


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingSession

    partnership = factory.SubFactory(ProfessionalPartnershipFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    hours = 2
