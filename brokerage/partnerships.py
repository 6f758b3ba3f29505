"""Professional partnerships: an LLE coaching a new, first-time head for 20 to 30 hours.

A new head searches the LLEs who offer partnership and requests one; the LLE accepts or declines;
either of them logs the coaching sessions (never beyond the hours agreed) and marks it complete.
The services refuse with BrokerageError naming the field at fault, so pages show it on the form."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.choices import EmailKind
from accounts.emails import informational_recipients
from designations.choices import CURRENT_DESIGNATION_STATUSES, DesignationStatus
from designations.emails import absolute_url, send_email
from designations.models import Designation, LeadershipPost
from schools.geography import GridPoint, squared_distance, within_distance

from .choices import PartnershipStatus
from .errors import BrokerageError, validated
from .models import CoachingSession, ProfessionalPartnership
from .priority import new_head_post
from .workload import workload

PARTNER_TYPE = "LLE"
HOURS_MIN, HOURS_MAX = Decimal(20), Decimal(30)
LIVE_STATUSES = [PartnershipStatus.REQUESTED, PartnershipStatus.ACTIVE]
DECIMAL = DecimalField(max_digits=6, decimal_places=2)


# --- who is a new head ------------------------------------------------------------------------------


def is_new_head(user, today: datetime.date) -> LeadershipPost | None:
    """The user's headship when they are a new, first-time head (brokerage.priority decides)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return new_head_post(user, today)


# --- who may see and act ---------------------------------------------------------------------------


def partnerships_visible_to(user) -> QuerySet[ProfessionalPartnership]:
    """The new head's and the LLE's own partnerships; every one for a national administrator."""
    partnerships = with_hours_used(
        ProfessionalPartnership.objects.select_related(
            "new_head", "school", "partner__holder", "partner__school"
        )
    )
    if not getattr(user, "is_authenticated", False):
        return partnerships.none()
    if user.is_national_administrator:
        return partnerships
    return partnerships.filter(Q(new_head=user) | Q(partner__holder=user))


def with_hours_used(partnerships: QuerySet[ProfessionalPartnership]) -> QuerySet[ProfessionalPartnership]:
    used = (
        CoachingSession.objects.filter(partnership=OuterRef("pk"))
        .order_by()
        .values("partnership")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return partnerships.annotate(
        hours_used=Coalesce(Subquery(used, output_field=DECIMAL), Value(Decimal(0)), output_field=DECIMAL)
    )


def is_partner(user, partnership: ProfessionalPartnership) -> bool:
    return partnership.partner.holder_id is not None and partnership.partner.holder_id == user.pk


def is_party(user, partnership: ProfessionalPartnership) -> bool:
    return partnership.new_head_id == user.pk or is_partner(user, partnership)


def hours_used(partnership: ProfessionalPartnership) -> Decimal:
    return partnership.sessions.aggregate(total=Sum("hours"))["total"] or Decimal(0)


# --- searching ------------------------------------------------------------------------------------------


def offering_partners() -> QuerySet[Designation]:
    """Deployable LLEs who offer partnership, with their free days a week now (availability less
    the deployments committed today, which the workload port answers) and how many new heads they
    are coaching or asked by."""
    committed = workload().committed_days_now(OuterRef("holder"), timezone.localdate())
    return (
        Designation.objects.filter(
            designation_type__code=PARTNER_TYPE,
            status=DesignationStatus.ACTIVE,
            training_completed_on__isnull=False,
            offers_professional_partnership=True,
            holder__isnull=False,
        )
        .select_related("holder", "school", "designation_type")
        .prefetch_related("specialisms")
        .annotate(
            committed_days=Coalesce(committed, Value(Decimal(0)), output_field=DECIMAL),
            live_partnerships=Count(
                "partnerships", filter=Q(partnerships__status__in=LIVE_STATUSES), distinct=True
            ),
        )
        .annotate(spare_days=F("availability_days_per_week") - F("committed_days"))
    )


@dataclass
class SearchFilters:
    phase: str = ""
    specialism_id: int | None = None
    within_km: int | None = None


def search(home_school, filters: SearchFilters) -> QuerySet[Designation]:
    partners = offering_partners()
    if filters.phase:
        partners = partners.filter(school__phase=filters.phase)
    if filters.specialism_id:
        partners = partners.filter(specialisms__pk=filters.specialism_id)
    has_point = home_school.easting is not None and home_school.northing is not None
    if has_point:
        point = GridPoint(home_school.easting, home_school.northing)
        if filters.within_km:
            partners = within_distance(
                partners, point, filters.within_km * 1000, "school__easting", "school__northing"
            )
        else:
            partners = partners.annotate(
                distance_squared=squared_distance(point, "school__easting", "school__northing")
            )
        return partners.order_by(F("distance_squared").asc(nulls_last=True), "holder__full_name", "pk")
    return partners.order_by("holder__full_name", "pk")


def distance_km(designation: Designation) -> float | None:
    squared = getattr(designation, "distance_squared", None)
    return None if squared is None else round(float(squared) ** 0.5 / 1000, 1)


# --- the flow ------------------------------------------------------------------------------------------


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def check_hours(hours: Decimal) -> None:
    if not HOURS_MIN <= hours <= HOURS_MAX:
        raise BrokerageError(
            "A professional partnership is between 20 and 30 hours of coaching", field="hours"
        )


@transaction.atomic
def request_partnership(
    *, new_head, designation: Designation, hours: Decimal, message: str, today: datetime.date
) -> ProfessionalPartnership:
    post = is_new_head(new_head, today)
    if post is None:
        raise BrokerageError("Only a new head in their first two years of headship can request a partner")
    if not offering_partners().filter(pk=designation.pk).exists():
        raise BrokerageError(f"{designation.holder} does not offer professional partnership at the moment")
    if designation.holder_id == new_head.pk:
        raise BrokerageError("You cannot be your own professional partner")
    check_hours(hours)
    if ProfessionalPartnership.objects.filter(new_head=new_head, status__in=LIVE_STATUSES).exists():
        raise BrokerageError("You already have a professional partnership requested or under way")
    try:
        with transaction.atomic():
            partnership = validated(
                ProfessionalPartnership(
                    new_head=new_head,
                    school=post.school,
                    partner=designation,
                    hours_agreed=hours,
                    message=message,
                ),
                fields=["hours_agreed", "message"],
                rename={"hours_agreed": "hours"},
            )
            partnership.save()
    except IntegrityError as error:
        raise BrokerageError("You already have a professional partnership requested or under way") from error
    transaction.on_commit(lambda: partnership_requested(partnership))
    return partnership


def partnership_requested(partnership: ProfessionalPartnership) -> None:
    """To the LLE: a new head asks them to be their professional partner. Needs them to answer:
    always sent."""
    send_email(
        "partnership-requested",
        to=[partnership.partner.holder.email],
        context={
            "partnership": partnership,
            "link": absolute_url("partners:detail", partnership.pk),
        },
    )


def _require_status(partnership: ProfessionalPartnership, status: str, message: str) -> None:
    if partnership.status != status:
        raise BrokerageError(message)


def respond(partnership: ProfessionalPartnership, *, actor, accept: bool) -> ProfessionalPartnership:
    if not is_partner(actor, partnership):
        raise BrokerageError("Only the professional partner asked can accept or decline")
    _require_status(partnership, PartnershipStatus.REQUESTED, "This request has already been answered")
    partnership.status = PartnershipStatus.ACTIVE if accept else PartnershipStatus.DECLINED
    partnership.responded_at = timezone.now()
    partnership.save(update_fields=["status", "responded_at"])
    transaction.on_commit(lambda: partnership_answered(partnership))
    return partnership


def partnership_answered(partnership: ProfessionalPartnership) -> None:
    """To the new head (informational): their professional partner accepted or declined."""
    to = informational_recipients([partnership.new_head.email], EmailKind.PARTNERSHIP_UPDATES)
    if to:
        send_email(
            "partnership-answered",
            to=to,
            context={
                "partnership": partnership,
                "accepted": partnership.status == PartnershipStatus.ACTIVE,
                "link": absolute_url("partners:detail", partnership.pk),
            },
        )


@transaction.atomic
def log_session(
    partnership: ProfessionalPartnership, *, actor, held_on: datetime.date, hours: Decimal, notes: str = ""
) -> CoachingSession:
    """Refuses hours that would take the total beyond the hours agreed."""
    if not is_party(actor, partnership):
        raise BrokerageError("Only the new head and their partner can log coaching")
    locked = ProfessionalPartnership.objects.select_for_update().get(pk=partnership.pk)
    _require_status(
        locked, PartnershipStatus.ACTIVE, "Coaching can be logged only while the partnership is under way"
    )
    if held_on > timezone.localdate():
        raise BrokerageError("The session date must be today or in the past", field="held_on")
    if held_on < locked.requested_at.date():
        raise BrokerageError("The session date must be after the partnership was requested", field="held_on")
    used = hours_used(locked)
    left = locked.hours_agreed - used
    if hours > left:
        raise BrokerageError(
            f"That would be {_hours(used + hours)} hours: only {_hours(left)} of the "
            f"{_hours(locked.hours_agreed)} hours agreed are left",
            field="hours",
        )
    session = CoachingSession(partnership=locked, held_on=held_on, hours=hours, notes=notes, logged_by=actor)
    validated(session, fields=["held_on", "hours", "notes"])
    session.save()
    return session


def complete(partnership: ProfessionalPartnership, *, actor, today: datetime.date) -> ProfessionalPartnership:
    if not is_party(actor, partnership):
        raise BrokerageError("Only the new head and their partner can complete the partnership")
    _require_status(partnership, PartnershipStatus.ACTIVE, "Only a partnership under way can be completed")
    partnership.status = PartnershipStatus.COMPLETED
    partnership.completed_on = today
    partnership.save(update_fields=["status", "completed_on"])
    return partnership


# --- offering partnership ----------------------------------------------------------------------------


def lle_designations_held_by(person) -> QuerySet[Designation]:
    """``person`` is a user or ``OuterRef("pk")`` (the navigation asks about many facts at once)."""
    return Designation.objects.filter(
        holder=person, designation_type__code=PARTNER_TYPE, status__in=sorted(CURRENT_DESIGNATION_STATUSES)
    )


def own_lle_designations(user) -> QuerySet[Designation]:
    if not getattr(user, "is_authenticated", False):
        return Designation.objects.none()
    return lle_designations_held_by(user).select_related("designation_type", "school")


def set_offer(designation: Designation, *, actor, offers: bool) -> Designation:
    if not own_lle_designations(actor).filter(pk=designation.pk).exists():
        raise BrokerageError("Only an LLE can offer professional partnership, on their own designation")
    designation.offers_professional_partnership = offers
    designation.save(update_fields=["offers_professional_partnership"])
    return designation
