"""The brokerage part of the demo data, made through the services (the real doors): risk
assessments, a teaching-school alliance, and the demo's support requests, waiting for the LA and
the teaching school (with a shortlist). The deployments part above deploys some of them, by
title. Running it again creates nothing new."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.choices import SCHOOL_LEADER_ROLES, OrganisationKind, Role
from accounts.models import Organisation
from designations.choices import DesignationStatus
from designations.models import Designation, DesignationType, Specialism
from schools.choices import Phase
from schools.models import School

from . import services
from .choices import PriorityReason
from .models import AlliancePartner, RiskAssessment, SupportRequest

User = get_user_model()
NORFOLK = "926"
# The demo's support requests, by title (how the part above finds the ones it deploys).
NEW_HEAD_SUPPORT = "Leadership support for a new headteacher"
PHONICS_IN_KEY_STAGE_1 = "Phonics in key stage 1"
IMPROVING_READING = "Improving reading across the school"
AFTER_INADEQUATE = "Securing leadership after an Inadequate judgement"
MATHS_LEADERSHIP = "Maths leadership"
GOVERNANCE_REVIEW = "Governance review"
EARLY_READING = "Early reading and phonics"


@dataclass
class BrokerageDemoSummary:
    """Counts, and the demo's requests by title (none when the dataset is too small for them)."""

    requests: int
    risk_assessments: int
    raised: dict[str, SupportRequest] = field(default_factory=dict)


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _risk_assessments(schools: list[School], officer, today: datetime.date) -> list[School]:
    """Assess eight schools; return the four judged at risk."""
    at_risk = []
    for number, school in enumerate(schools[:8]):
        risky = number % 2 == 0
        if not school.risk_assessments.exists():
            services.record_risk_assessment(
                school,
                actor=officer,
                likely_good_outcomes=not risky,
                effective_leadership=number % 4 != 0,
                good_next_inspection=not risky,
                notes="Termly review with the school improvement adviser (demo).",
                assessed_on=today - datetime.timedelta(days=20 + number),
            )
        if risky:
            at_risk.append(school)
    return at_risk


def _request(
    title: str,
    school: School,
    *,
    commissioner,
    broker,
    actor,
    code: str,
    needs: list[str],
    reasons: list[str],
    today: datetime.date,
) -> SupportRequest:
    existing = SupportRequest.objects.filter(title=title).first()
    if existing:
        return existing
    return services.raise_request(
        actor=actor,
        school=school,
        commissioner=commissioner,
        broker=broker,
        title=title,
        needs_description=f"{title}: the school asked for help after its last inspection (demo).",
        designation_types=[DesignationType.objects.get(code=code)],
        needs=list(Specialism.objects.filter(name__in=needs)),
        priority_reasons=reasons,
        preferred_start_on=today + datetime.timedelta(days=21),
        budget=Decimal("6000"),
    )


@transaction.atomic
def seed_brokerage_demo() -> BrokerageDemoSummary:
    """Create what is missing of the demo's risk assessments, alliance, requests and shortlist,
    looking up the demo users, schools and designations the parts below made."""
    today = timezone.localdate()
    officer, commissioner = _user("la.officer@norfolk.demo"), _user("commissioner@norfolk.demo")
    ts_lead, head = _user("ts.lead@norfolk.demo"), _user("head@norfolk.demo")
    if None in (officer, commissioner, ts_lead, head):
        raise RuntimeError("Seed the accounts demo first: the demo users are missing.")
    la = Organisation.objects.get(kind=OrganisationKind.LOCAL_AUTHORITY, local_authority__code=NORFOLK)
    teaching_school = ts_lead.organisations_with_role(Role.TEACHING_SCHOOL_LEAD)[0]
    head_school = head.organisations_with_role(*SCHOOL_LEADER_ROLES)[0].school
    norfolk = list(
        School.objects.filter(
            local_authority__code=NORFOLK, status="open", phase__in=[Phase.PRIMARY, Phase.SECONDARY]
        )
        .exclude(pk__in=[teaching_school.school_id, head_school.pk])
        .order_by("urn")
    )
    at_risk = _risk_assessments(norfolk, officer, today)
    if len(norfolk) < 16 or len(at_risk) < 3:  # a cut-down dataset (tests): nothing more to show
        return _summary({})
    for school in norfolk[10:16]:
        AlliancePartner.objects.get_or_create(teaching_school=teaching_school, school=school)
    la_request = {"commissioner": la, "broker": la, "actor": commissioner, "today": today}
    raised = {}
    raised[NEW_HEAD_SUPPORT] = _request(
        NEW_HEAD_SUPPORT,
        at_risk[0],
        code="LLE",
        needs=["Support for a new headteacher", "School leadership"],
        reasons=[PriorityReason.NEW_HEAD, PriorityReason.RISK_RATING],
        **la_request,
    )
    raised[PHONICS_IN_KEY_STAGE_1] = _request(
        PHONICS_IN_KEY_STAGE_1,
        norfolk[11],
        commissioner=la,
        broker=teaching_school,
        actor=commissioner,
        code="SLE",
        needs=["Phonics", "English"],
        reasons=[],
        today=today,
    )
    _shortlist_an_sle(raised[PHONICS_IN_KEY_STAGE_1], teaching_school, ts_lead)
    # For the deployments part: active, at risk, stalled, awaiting evaluation and completed.
    for title, school, code in [
        (IMPROVING_READING, at_risk[1], "LLE"),
        (AFTER_INADEQUATE, at_risk[2], "NLE"),
        (MATHS_LEADERSHIP, norfolk[8], "LLE"),
        (GOVERNANCE_REVIEW, norfolk[9], "LLE"),
    ]:
        reasons = [PriorityReason.SIGNIFICANT_IMPROVEMENT] if code == "NLE" else [PriorityReason.RISK_RATING]
        raised[title] = _request(
            title, school, code=code, needs=["School leadership"], reasons=reasons, **la_request
        )
    # For the agreement waiting for the demo head.
    raised[EARLY_READING] = _request(
        EARLY_READING,
        head_school,
        code="LLE",
        needs=["Phonics"],
        reasons=[PriorityReason.RISK_RATING],
        **la_request,
    )
    return _summary(raised)


def _shortlist_an_sle(sle_request: SupportRequest, teaching_school: Organisation, ts_lead) -> None:
    """The teaching school's first trained SLE, on the phonics request's shortlist."""
    sle = (
        Designation.objects.filter(
            designating_organisation=teaching_school,
            status=DesignationStatus.ACTIVE,
            training_completed_on__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    if sle and not sle_request.shortlist.exists() and sle.school_id != sle_request.school_id:
        services.shortlist(sle_request, sle, actor=ts_lead, notes="Strong phonics results at her own school.")


def _summary(raised: dict[str, SupportRequest]) -> BrokerageDemoSummary:
    return BrokerageDemoSummary(
        requests=SupportRequest.objects.count(),
        risk_assessments=RiskAssessment.objects.count(),
        raised=raised,
    )
