"""The funding part of the demo data: claims on the deployments part's logged time, in every state a
claim can be in, made through the services (the real doors) so each has its real history.

- The completed deployment's claim is approved, exported and **paid**.
- The deployment awaiting its final evaluation has a claim **rejected** (the wrong period) and the
  same days claimed again and **approved**.
- The paused-and-resumed deployment's leader's school, whose school business manager signs in
  (``SCHOOL_BUSINESS_MANAGER``), has a claim **withdrawn**, the days claimed again and
  **submitted**, and a later claim with **information requested** (theirs to answer).
- The deployment reimbursing backfill has a claim with its backfill line and invoice, over the
  second-approval amount: approved once by the commissioner, **awaiting the second approval** of
  ``SECOND_APPROVER``.

Running it again creates nothing new: a deployment with claims is left as it is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.choices import SCHOOL_FINANCE_ROLES, Role
from accounts.demo import DEMO_PASSWORD, DemoUser
from accounts.models import Membership, Organisation
from accounts.services import organisation_for_school
from brokerage import demo as brokerage_demo
from deployments.choices import CostKind
from deployments.models import Deployment, TimeEntry
from deployments.services import current_agreement
from schools.models import School

from . import services
from .choices import ClaimState
from .models import Claim

User = get_user_model()

SCHOOL_BUSINESS_MANAGER = DemoUser(
    "sbm@norfolk.demo",
    "Beth Collins",
    Role.SCHOOL_BUSINESS_MANAGER,
    "flow",
    "school business manager of a leader's school: claims its delivered days (Claims), answers the "
    "commissioner's request for information on Claims; sees a claim it withdrew and one submitted",
)
SECOND_APPROVER = DemoUser(
    "finance.lead@norfolk.demo",
    "Grace Holloway",
    Role.COMMISSIONER,
    "flow",
    "a second commissioner at Norfolk County Council: gives the second approval of the backfill claim "
    "over £10,000 that commissioner@norfolk.demo approved first",
)
SIGN_INS = (SCHOOL_BUSINESS_MANAGER, SECOND_APPROVER)
COMMISSIONER_EMAIL = "commissioner@norfolk.demo"
# The invoice for the backfill claim: a small, real PDF (the evidence check reads the content).
INVOICE = b"%PDF-1.4\n% Demo invoice: cover for the deputy head's class\n%%EOF\n"


@dataclass
class FundingDemoSummary:
    claims: int
    states: list[str]


def _demo_user(demo: DemoUser, organisation: Organisation) -> User:
    user, _ = User.objects.get_or_create(email=demo.email, defaults={"full_name": demo.full_name})
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organisation=organisation, role=demo.role)
    return user


def _finance_contact(school: School) -> User:
    """Someone who claims for a leader's school: its head or business manager, else a business
    manager made for the demo (no password: the demo signs in only as SCHOOL_BUSINESS_MANAGER)."""
    organisation = organisation_for_school(school)
    existing = (
        Membership.objects.filter(organisation=organisation, role__in=sorted(SCHOOL_FINANCE_ROLES))
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if existing:
        return existing.user
    user = User.objects.create(
        email=f"finance.{school.urn}@schools.demo", full_name=f"Finance at {school.name}"
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Membership.objects.create(user=user, organisation=organisation, role=Role.SCHOOL_BUSINESS_MANAGER)
    return user


def _entries(deployment: Deployment) -> list[TimeEntry]:
    return list(deployment.time_entries.order_by("worked_on", "pk"))


def _claim(deployment: Deployment, by, entries: list[TimeEntry], today: datetime.date, **kwargs) -> Claim:
    """A claim for the period from the first entry's day to the last's."""
    return services.submit_claim(
        deployment,
        actor=by,
        period_start=entries[0].worked_on,
        period_end=entries[-1].worked_on,
        today=today,
        **kwargs,
    )


def _paid(deployment: Deployment, by, commissioner, today: datetime.date) -> None:
    claim = _claim(deployment, by, _entries(deployment), today, note="All the days of the support (demo).")
    services.approve(claim, actor=commissioner)
    services.mark_exported([claim], actor=commissioner)
    services.pay(claim, actor=commissioner, paid_on=today, reference="NCC-PAY-0001")


def _rejected_then_approved(deployment: Deployment, by, commissioner, today: datetime.date) -> None:
    entries = _entries(deployment)
    wrong = _claim(deployment, by, entries[:2], today, note="The first half term (demo).")
    services.reject(
        wrong, actor=commissioner, reason="The claim should cover the whole support: claim it again."
    )
    right = _claim(deployment, by, entries, today, note="The whole support, as asked (demo).")
    services.approve(right, actor=commissioner)


def _withdrawn_submitted_and_asked(deployment: Deployment, by, commissioner, today: datetime.date) -> None:
    entries = _entries(deployment)
    if len(entries) < 3:
        return
    mistaken = _claim(deployment, by, entries[:1], today)
    services.withdraw(mistaken, actor=by, note="Claimed before the month's timesheet was checked (demo).")
    _claim(deployment, by, entries[:2], today, note="Coaching in the first weeks (demo).")
    asked = _claim(deployment, by, entries[2:3], today)
    services.request_information(
        asked, actor=commissioner, note="Which learning walk does this day cover? Add it to the note."
    )


def _awaiting_second_approval(deployment: Deployment, by, commissioner, today: datetime.date) -> None:
    agreement = current_agreement(deployment)
    backfill = agreement.cost_lines.filter(kind=CostKind.BACKFILL).first() if agreement else None
    entries = _entries(deployment)
    if backfill is None or len(entries) < 2:
        return
    invoice = SimpleUploadedFile("backfill-invoice.pdf", INVOICE, content_type="application/pdf")
    claim = _claim(
        deployment,
        by,
        entries[:2],
        today,
        costs=[services.CostClaim(backfill.pk, backfill.days - 2, invoice)],
        note="The leader's days and the cover for their class this term (demo).",
    )
    services.approve(claim, actor=commissioner)


# Each deployment of the deployments part, by its request's title, and the claims made on it.
CLAIMS = {
    brokerage_demo.GOVERNANCE_REVIEW: _paid,
    brokerage_demo.MATHS_LEADERSHIP: _rejected_then_approved,
    brokerage_demo.IMPROVING_READING: _withdrawn_submitted_and_asked,
    brokerage_demo.AFTER_INADEQUATE: _awaiting_second_approval,
}


@transaction.atomic
def seed_funding_demo() -> FundingDemoSummary:
    """Claim on the deployments part's deployments (nothing when it made none), and make the demo's
    school business manager and second approver."""
    today = timezone.localdate()
    commissioner = User.objects.filter(email=COMMISSIONER_EMAIL).first()
    deployments = {
        d.support_request.title: d
        for d in Deployment.objects.filter(support_request__title__in=list(CLAIMS)).select_related(
            "support_request", "commissioner", "leader_school"
        )
    }
    if commissioner is None or not deployments:
        return _summary()
    any_deployment = next(iter(deployments.values()))
    _demo_user(SECOND_APPROVER, any_deployment.commissioner)
    claimants = {}
    reading = deployments.get(brokerage_demo.IMPROVING_READING)
    if reading is not None:
        sbm = _demo_user(SCHOOL_BUSINESS_MANAGER, organisation_for_school(reading.leader_school))
        claimants[brokerage_demo.IMPROVING_READING] = sbm
    for title, make in CLAIMS.items():
        deployment = deployments.get(title)
        if deployment is None or deployment.claims.exists() or not deployment.time_entries.exists():
            continue
        payee = current_agreement(deployment)
        if payee is None:
            continue
        by = claimants.get(title) or _finance_contact(payee.payee_school)
        make(deployment, by, commissioner, today)
    return _summary()


def _summary() -> FundingDemoSummary:
    states = sorted(set(Claim.objects.values_list("state", flat=True)))
    return FundingDemoSummary(claims=Claim.objects.count(), states=[ClaimState(s).label for s in states])
