"""Factories for claims: ``ClaimSetting`` builds a deployment ready to claim, with the people of
every party, and ``make_claim`` claims through the service, as the school would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.choices import OrganisationKind, Role
from deployments.models import AgreementCostLine, Deployment, TimeEntry
from funding import services
from funding.models import Claim
from schooldays.calendar import calendar_for

from .accounts import MembershipFactory, OrganisationFactory
from .deployments import agreed_deployment, school_day_for


def evidence_file(name: str = "invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% an invoice\n", content_type="application/pdf")


@dataclass
class ClaimSetting:
    """An agreed, active deployment; the leader's school's head and business manager; a commissioner
    (and a second one, for second approvals); someone of the supported school; and a national
    administrator."""

    deployment: Deployment
    head: object
    business_manager: object
    commissioner: object
    second_commissioner: object
    supported_head: object
    administrator: object

    @classmethod
    def create(cls, **deployment_kwargs) -> ClaimSetting:
        deployment = agreed_deployment(**deployment_kwargs)
        leader_org = OrganisationFactory(kind=OrganisationKind.SCHOOL, school=deployment.leader_school)
        supported_org = OrganisationFactory(kind=OrganisationKind.SCHOOL, school=deployment.supported_school)
        national = OrganisationFactory(kind=OrganisationKind.NATIONAL_BODY)
        return cls(
            deployment=deployment,
            head=MembershipFactory(organisation=leader_org, role=Role.HEADTEACHER).user,
            business_manager=MembershipFactory(
                organisation=leader_org, role=Role.SCHOOL_BUSINESS_MANAGER
            ).user,
            commissioner=MembershipFactory(organisation=deployment.commissioner, role=Role.COMMISSIONER).user,
            second_commissioner=MembershipFactory(
                organisation=deployment.commissioner, role=Role.LA_OFFICER
            ).user,
            supported_head=MembershipFactory(organisation=supported_org, role=Role.HEADTEACHER).user,
            administrator=MembershipFactory(organisation=national, role=Role.NATIONAL_ADMINISTRATOR).user,
        )

    def log(self, days: Decimal = Decimal("1"), worked_on: datetime.date | None = None) -> TimeEntry:
        """Time the leader logged on a school day (the latest one, unless given)."""
        day = worked_on or school_day_for(self.deployment)
        if self.deployment.starts_on > day:
            Deployment.objects.filter(pk=self.deployment.pk).update(starts_on=day)
            self.deployment.starts_on = day
        return TimeEntry.objects.create(
            deployment=self.deployment, person=self.deployment.leader, worked_on=day, days=days
        )

    def log_days(self, count: int) -> list[TimeEntry]:
        """A day's time on each of the latest ``count`` school days."""
        from django.utils import timezone

        today = timezone.localdate()
        authority = self.deployment.supported_school.local_authority_id
        days = calendar_for(today - datetime.timedelta(days=200), today, authority).school_days()[-count:]
        return [self.log(worked_on=day) for day in days]

    def cost_line(self, days: Decimal = Decimal("5"), day_rate: Decimal = Decimal("200.00"), **kwargs):
        agreement = self.deployment.agreements.get()
        return AgreementCostLine.objects.create(agreement=agreement, days=days, day_rate=day_rate, **kwargs)

    def period(self) -> tuple[datetime.date, datetime.date]:
        """From the deployment's start to today."""
        from django.utils import timezone

        return self.deployment.starts_on, timezone.localdate()


def make_claim(setting: ClaimSetting, *, by=None, costs=(), **kwargs) -> Claim:
    start, end = setting.period()
    return services.submit_claim(
        setting.deployment,
        actor=by or setting.business_manager,
        period_start=kwargs.pop("period_start", start),
        period_end=kwargs.pop("period_end", end),
        costs=list(costs),
        **kwargs,
    )
