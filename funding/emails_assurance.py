"""Emails about bursaries and grants and the assurance of paid claims, to the school concerned: its
organisations' inbox, else its head and school business manager. Templates:
templates/emails/<kind>-subject.txt, -body.txt, -body.html.

The services call these through ``transaction.on_commit`` with the row's id, so nothing is sent
for a rolled-back change and the email reads what was committed."""

from __future__ import annotations

from django.db.models import Prefetch

from accounts.choices import SCHOOL_FINANCE_ROLES, OrganisationKind
from accounts.models import Membership, Organisation
from brokerage.emails import organisation_recipients
from designations.emails import absolute_url, send_email

from .models import Bursary, Clawback, Sample

SCHOOL_KINDS = {OrganisationKind.SCHOOL, OrganisationKind.TEACHING_SCHOOL}


def school_finance_recipients(school) -> list[str]:
    """Who claims and is paid for the school: each of its organisations' inbox, else its head and
    school business manager."""
    organisations = (
        Organisation.objects.filter(school=school, kind__in=SCHOOL_KINDS)
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("user")))
        .order_by("pk")
    )
    addresses = [a for o in organisations for a in organisation_recipients(o, SCHOOL_FINANCE_ROLES)]
    return list(dict.fromkeys(addresses))


def _send(kind: str, school, context: dict) -> bool:
    to = school_finance_recipients(school)
    if not to:
        return False
    send_email(kind, to=to, context={"school": school, **context})
    return True


def bursary_approved(bursary_id: int) -> bool:
    """To the school: its bursary (or grant) for the year is approved and will be paid."""
    bursary = Bursary.objects.select_related("school", "designation__designation_type").filter(pk=bursary_id)
    bursary = bursary.first()
    return bool(bursary) and _send("bursary-approved", bursary.school, {"bursary": bursary})


def bursary_paid(bursary_id: int) -> bool:
    """To the school: its bursary (or grant) has been paid, with the payment's date and reference."""
    bursary = (
        Bursary.objects.select_related("school", "designation__designation_type", "payment")
        .filter(pk=bursary_id)
        .first()
    )
    if bursary is None or not hasattr(bursary, "payment"):
        return False
    return _send("bursary-paid", bursary.school, {"bursary": bursary, "payment": bursary.payment})


def sample_evidence_requested(sample_id: int) -> bool:
    """To the claiming school: its paid claim was sampled; give the evidence for it."""
    sample = Sample.objects.select_related("claim__claiming_school").filter(pk=sample_id).first()
    if sample is None:
        return False
    return _send(
        "sample-evidence-requested",
        sample.claim.claiming_school,
        {
            "sample": sample,
            "claim": sample.claim,
            "link": absolute_url("assurance:sample-evidence", sample.pk),
        },
    )


def clawback_requested(clawback_id: int) -> bool:
    """To the claiming school: repay the amount clawed back from its sampled claim, and why."""
    clawback = (
        Clawback.objects.select_related("sample__claim__claiming_school").filter(pk=clawback_id).first()
    )
    if clawback is None:
        return False
    return _send(
        "clawback-requested",
        clawback.sample.claim.claiming_school,
        {
            "clawback": clawback,
            "claim": clawback.sample.claim,
            "link": absolute_url("assurance:sample-evidence", clawback.sample_id),
        },
    )
