"""Bursaries and grants: a national support school's annual bursary while its NLE is designated, an
NLG's school its grant for expenses, each pro rata for the days of the financial year (1 April to
31 March) the designation was held; scheduled by the yearly job, approved by a national
administrator and paid to the school once, like a claim.

Which designations are funded, and how much, is data: a ``FundingRate`` names the kind, the
designation type and the year's amount. A kind with no rate for the year schedules nothing."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

import money
from designations.choices import CURRENT_DESIGNATION_STATUSES
from designations.models import Designation

from ..choices import BursaryState, FundingKind
from ..errors import FundingError, InvalidTransition, validated
from ..models import Bursary, FundingRate, Payment
from ..rules import sees_school

#: Designations scheduled per transaction: a crash loses at most one batch, which a re-run redoes.
BATCH_SIZE = 200


# --- financial years -------------------------------------------------------------------------------


def year_start(year: int) -> datetime.date:
    return datetime.date(year, 4, 1)


def year_end(year: int) -> datetime.date:
    return datetime.date(year + 1, 3, 31)


def days_in_year(year: int) -> int:
    """365, or 366 when the year holds a 29 February (2027-28 does)."""
    return (year_end(year) - year_start(year)).days + 1


def financial_year_of(day: datetime.date) -> int:
    """The financial year a day falls in, by the year it starts: 1 March 2027 is in 2026."""
    return day.year if day >= year_start(day.year) else day.year - 1


def year_label(year: int) -> str:
    return f"{year} to {year + 1}"


def designated_period(designation: Designation, year: int) -> tuple[datetime.date, datetime.date] | None:
    """The days of the year the designation is held: from its designation (or 1 April) to its end
    (or 31 March), both included; None when it is held on no day of the year. A designation still
    current is taken to run to the end of the year; one that ended counts up to ``ended_on``."""
    start = max(designation.designated_on, year_start(year))
    end = year_end(year)
    if designation.ended_on is not None:
        end = min(end, designation.ended_on)
    elif designation.status not in CURRENT_DESIGNATION_STATUSES:
        return None  # ended without a date: nothing to count
    return (start, end) if start <= end else None


def pro_rata(annual_amount: Decimal, start: datetime.date, end: datetime.date, year: int) -> Decimal:
    """The annual amount for the days from ``start`` to ``end``: rounded once, to the penny."""
    days = (end - start).days + 1
    return money.round_money(money.as_decimal(annual_amount) * days / days_in_year(year))


# --- scheduling ------------------------------------------------------------------------------------


@dataclass
class ScheduleResult:
    """What a run of ``schedule_bursaries`` did, for the page and the job's output."""

    year: int
    checked: int = 0
    scheduled: int = 0
    already_scheduled: int = 0
    kinds_without_rate: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "scheduled": self.scheduled,
            "already_scheduled": self.already_scheduled,
            "kinds_without_rate": len(self.kinds_without_rate),
        }


def kinds_without_rate(year: int) -> list[str]:
    """The kinds of funding no rate is set for in the year: nothing of theirs is scheduled."""
    rated = set(FundingRate.objects.filter(year=year).values_list("kind", flat=True))
    return [kind for kind in FundingKind.values if kind not in rated]


def funded_designations(rate: FundingRate) -> QuerySet[Designation]:
    """Designations of the rate's type held on some day of its year, by id."""
    year = rate.year
    return (
        Designation.objects.filter(
            designation_type_id=rate.designation_type_id, designated_on__lte=year_end(year)
        )
        .filter(
            Q(ended_on__gte=year_start(year))
            | Q(ended_on__isnull=True, status__in=sorted(CURRENT_DESIGNATION_STATUSES))
        )
        .order_by("pk")
    )


def _new_bursary(rate: FundingRate, designation: Designation) -> bool:
    """Schedule the year's bursary for the designation unless it has one: says whether it made it.
    The unique (designation, year) constraint makes a concurrent run's row the one kept."""
    period = designated_period(designation, rate.year)
    if period is None:
        return False
    start, end = period
    amount = pro_rata(rate.annual_amount, start, end, rate.year)
    if amount <= 0:
        return False  # a day of a tiny rate rounds to nothing: there is nothing to pay
    bursary, created = Bursary.objects.get_or_create(
        designation=designation,
        year=rate.year,
        defaults={
            # Unique until the id is known, then the reference the school sees.
            "reference": f"new-{uuid.uuid4().hex[:16]}",
            "kind": rate.kind,
            "school_id": designation.school_id,
            "period_start": start,
            "period_end": end,
            "annual_amount": rate.annual_amount,
            "amount": amount,
        },
    )
    if created:
        bursary.reference = f"BU-{bursary.pk:06d}"
        bursary.save(update_fields=["reference"])
    return created


def schedule_bursaries(year: int, *, batch_size: int = BATCH_SIZE) -> ScheduleResult:
    """Schedule the year's bursaries and grants: one per designation held on some day of the year,
    for each rate set for the year. Idempotent: a designation that has the year's bursary is left
    as it is, so running it twice, or again after a crash, makes each bursary once. Each batch
    commits on its own."""
    result = ScheduleResult(year=year, kinds_without_rate=kinds_without_rate(year))
    for rate in FundingRate.objects.filter(year=year).order_by("kind", "pk"):
        designations = funded_designations(rate)
        last_pk = 0
        while True:
            batch = list(designations.filter(pk__gt=last_pk)[:batch_size])
            if not batch:
                break
            last_pk = batch[-1].pk
            have = set(
                Bursary.objects.filter(designation__in=batch, year=year).values_list(
                    "designation_id", flat=True
                )
            )
            with transaction.atomic():
                for designation in batch:
                    result.checked += 1
                    if designation.pk in have:
                        result.already_scheduled += 1
                    elif _new_bursary(rate, designation):
                        result.scheduled += 1
    return result


# --- approving, cancelling, paying -----------------------------------------------------------------


def own_bursary_refusal(user, bursary: Bursary) -> str:
    """Why this person may not decide on the bursary, or "" when nothing stands in the way."""
    if bursary.designation.holder_id is not None and bursary.designation.holder_id == user.pk:
        return "This bursary is for your own designation, so another administrator must decide it."
    if sees_school(user, bursary.school_id):
        return "This bursary is for your own school, so another administrator must decide it."
    return ""


def _require_manager(actor, bursary: Bursary) -> None:
    if not actor.has_perm("funding.manage_bursaries"):
        raise FundingError("Only a national administrator can approve, cancel or pay bursaries.")
    why = own_bursary_refusal(actor, bursary)
    if why:
        raise FundingError(why)


def _locked(bursary: Bursary) -> Bursary:
    return (
        Bursary.objects.select_for_update(of=("self",))
        .select_related("designation", "school")
        .get(pk=bursary.pk)
    )


def _refuse_unless(bursary: Bursary, allowed: set[str], doing: str) -> None:
    if bursary.state not in allowed:
        raise InvalidTransition(
            f"This bursary is {bursary.get_state_display().lower()}, so it cannot be {doing}."
        )


def approve_bursary(bursary: Bursary, *, actor) -> Bursary:
    """Approve a scheduled bursary for payment. Side effects: the school is emailed."""
    with transaction.atomic():
        bursary = _locked(bursary)
        _require_manager(actor, bursary)
        _refuse_unless(bursary, {BursaryState.SCHEDULED}, "approved")
        bursary.state = BursaryState.APPROVED
        bursary.approved_by, bursary.approved_at = actor, timezone.now()
        bursary.save(update_fields=["state", "approved_by", "approved_at"])
        _notify("bursary_approved", bursary.pk)
    return bursary


def cancel_bursary(bursary: Bursary, *, actor, reason: str) -> Bursary:
    """Cancel a bursary not yet paid (e.g. scheduled for a designation that ended), with the reason."""
    if not reason.strip():
        raise FundingError("Give the reason for cancelling the bursary.", field="reason")
    with transaction.atomic():
        bursary = _locked(bursary)
        _require_manager(actor, bursary)
        _refuse_unless(bursary, {BursaryState.SCHEDULED, BursaryState.APPROVED}, "cancelled")
        bursary.state, bursary.cancelled_reason = BursaryState.CANCELLED, reason.strip()
        validated(bursary, fields=["cancelled_reason"], rename={"cancelled_reason": "reason"})
        bursary.save(update_fields=["state", "cancelled_reason"])
    return bursary


def pay_bursary(bursary: Bursary, *, actor, paid_on: datetime.date, reference: str) -> Payment:
    """Record the payment of an approved bursary, to its school, once. Side effects: the school is
    emailed."""
    with transaction.atomic():
        bursary = _locked(bursary)
        _require_manager(actor, bursary)
        if bursary.state == BursaryState.PAID:
            paid = Payment.objects.filter(bursary=bursary).first()
            raise InvalidTransition(
                f"This bursary was already paid on {paid.paid_on:%-d %B %Y} (reference {paid.reference})."
                if paid
                else "This bursary was already paid."
            )
        _refuse_unless(bursary, {BursaryState.APPROVED}, "paid")
        payment = Payment(
            bursary=bursary,
            payee_school_id=bursary.school_id,
            amount=bursary.amount,
            paid_on=paid_on,
            reference=reference.strip(),
            recorded_by=actor,
        )
        if not payment.reference:
            raise FundingError("Enter the payment reference.", field="reference")
        validated(payment, fields=["paid_on", "reference", "amount", "payee_school"])
        payment.save()
        bursary.state = BursaryState.PAID
        bursary.save(update_fields=["state"])
        _notify("bursary_paid", bursary.pk)
    return payment


def _notify(kind: str, pk: int) -> None:
    """Email the school after the change commits (``funding.emails_assurance``)."""
    from .. import emails_assurance

    send = getattr(emails_assurance, kind)
    transaction.on_commit(lambda: send(pk))
