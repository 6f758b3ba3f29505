"""What each person or partner system may see of designations. Every list starts here."""

from __future__ import annotations

import datetime

from django.db.models import DecimalField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.choices import Role
from accounts.models import User

from .choices import CURRENT_DESIGNATION_STATUSES, CaseStatus, DesignatingBody, DesignationStatus
from .models import (
    Application,
    ApplicationRound,
    Criterion,
    DeDesignationCase,
    Designation,
    DesignationType,
    LeadershipPost,
    Review,
    TrainingRequirement,
)
from .rules import own_school_ids

DIRECTORY_RELATIONS = (
    "holder",
    "school",
    "school__local_authority",
    "designation_type",
    "designating_organisation",
)


def _designations() -> QuerySet[Designation]:
    return Designation.objects.select_related(*DIRECTORY_RELATIONS).prefetch_related("specialisms")


def designations_visible_to(principal) -> QuerySet[Designation]:
    """The directory as a signed-in user or an API client may see it, ready for a list.

    Everyone signed in (and every token) sees active designations; national administrators see
    every status; an organisation sees every status of the designations it made; a holder sees
    every status of their own.
    """
    designations = _designations()
    if not getattr(principal, "is_authenticated", False):
        return designations.none()
    if principal.is_national_administrator:
        return designations
    visible = Q(status=DesignationStatus.ACTIVE) | Q(
        designating_organisation__in=[organisation.pk for organisation in principal.scope_organisations]
    )
    if isinstance(principal, User):
        visible |= Q(holder=principal)
    return designations.filter(visible)


def most_available_days(person_column: str) -> Subquery:
    """The most days a week any current designation of the person in the outer row's
    ``person_column`` offers: capacity is the person's, however many designations they hold (for
    one person, deployments.services.capacity.weekly_availability)."""
    most = (
        Designation.objects.filter(
            holder=OuterRef(person_column), status__in=sorted(CURRENT_DESIGNATION_STATUSES)
        )
        .order_by()
        .values("holder")
        .annotate(most=Max("availability_days_per_week"))
        .values("most")
    )
    return Subquery(most, output_field=DecimalField(max_digits=6, decimal_places=2))


def pool_for(teaching_school) -> QuerySet[Designation]:
    """A teaching school's pool: the designations it made, with what training needs."""
    return (
        _designations()
        .filter(designating_organisation=teaching_school)
        .prefetch_related(
            "training_records__requirement",
            Prefetch(
                "designation_type__training_requirements",
                queryset=TrainingRequirement.objects.order_by("order", "name"),
            ),
        )
        .order_by("holder__full_name", "designation_type__code")
    )


def training_status(designation: Designation) -> dict:
    """Which of the type's required trainings are recorded for a designation, and which are missing."""
    records = {record.requirement_id: record for record in designation.training_records.all()}
    requirements = list(designation.designation_type.training_requirements.all())
    return {
        "records": [records[r.pk] for r in requirements if r.pk in records],
        "missing": [r for r in requirements if r.pk not in records],
        "is_complete": designation.is_trained or not [r for r in requirements if r.pk not in records],
    }


def rounds_visible_to(principal) -> QuerySet[ApplicationRound]:
    """Rounds are public to everyone signed in and to every token."""
    rounds = ApplicationRound.objects.select_related("designation_type", "local_authority", "teaching_school")
    if not getattr(principal, "is_authenticated", False):
        return rounds.none()
    return rounds


def open_on(day: datetime.date) -> Q:
    """Rounds taking applications on ``day`` (a round closed early stops on that day)."""
    return (
        Q(opens_on__lte=day, closes_on__gte=day)
        & (Q(closed_early_on__isnull=True) | Q(closed_early_on__gte=day))
    )


def schools_of(user, today: datetime.date) -> list:
    """The schools a person leads or works at on ``today``: current posts and school memberships."""
    posts = LeadershipPost.objects.filter(person=user, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    ).select_related("school__local_authority")
    schools = {post.school_id: post.school for post in posts}
    for membership in user.active_memberships:
        school = membership.organisation.school
        if school is not None:
            schools.setdefault(school.pk, school)
    return list(schools.values())


def open_rounds_for(user, today: datetime.date) -> QuerySet[ApplicationRound]:
    """Rounds open today that one of the user's schools may apply to (by LA or region scope)."""
    rounds = rounds_visible_to(user).filter(open_on(today), designation_type__is_active=True)
    if not getattr(user, "is_authenticated", False):
        return rounds
    schools = schools_of(user, today)
    if not schools:
        return rounds.none()
    authority_ids = {school.local_authority_id for school in schools if school.local_authority_id}
    regions = {school.region for school in schools if school.region}
    regions |= {school.local_authority.region for school in schools if school.local_authority_id}
    regions.discard("")
    unscoped = Q(local_authority__isnull=True, region="")
    in_authority = Q(local_authority_id__in=authority_ids)
    in_region = Q(local_authority__isnull=True, region__in=regions)
    return rounds.filter(unscoped | in_authority | in_region).order_by("closes_on", "name")


def designation_types() -> QuerySet[DesignationType]:
    """Every type with its active criteria and its training, as the API and the pages show them."""
    return DesignationType.objects.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.filter(is_active=True), to_attr="active_criteria"),
        Prefetch("training_requirements", queryset=TrainingRequirement.objects.order_by("order", "name")),
    )


def applications_assessable_by(
    user, applications: QuerySet[Application] | None = None
) -> QuerySet[Application]:
    """Applications a person may assess: every one for a national administrator, otherwise those in
    rounds recruiting to a teaching school they lead (mirrors rules.can_assess_application)."""
    applications = Application.objects.all() if applications is None else applications
    if user.is_national_administrator:
        return applications
    led_teaching_schools = [
        organisation.pk for organisation in user.organisations_with_role(Role.TEACHING_SCHOOL_LEAD)
    ]
    return applications.filter(
        round__teaching_school_id__in=led_teaching_schools,
        designation_type__designating_body=DesignatingBody.TEACHING_SCHOOL,
    )


def exclude_own_applications(user, applications: QuerySet[Application]) -> QuerySet[Application]:
    """Less the user's own applications and those from their own school: nobody assesses their own
    case (mirrors rules.is_own_application)."""
    if not getattr(user, "is_authenticated", False):
        return applications
    return applications.exclude(applicant=user).exclude(school__in=sorted(own_school_ids(user)))


def exclude_own_designations(user, rows: QuerySet, prefix: str = "designation__") -> QuerySet:
    """Less rows about the user's own designations and those at their own school (mirrors
    rules.is_own_designation)."""
    if not getattr(user, "is_authenticated", False):
        return rows
    return rows.exclude(**{f"{prefix}holder": user}).exclude(
        **{f"{prefix}school__in": sorted(own_school_ids(user))}
    )


def applications_visible_to(principal) -> QuerySet[Application]:
    """Applications a person may see: their own, and those they may assess (mirrors
    rules.can_view_application). API tokens see none: applicants' details are not for partners."""
    applications = Application.objects.select_related(
        "round__teaching_school", "designation_type", "school"
    )
    if not isinstance(principal, User) or not principal.is_authenticated:
        return applications.none()
    if principal.is_national_administrator:
        return applications
    return applications.filter(applicant=principal) | applications_assessable_by(principal, applications)


# Lifecycle lists: "Cases to decide" and "Reviews due".
REVIEWS_DUE_WITHIN_DAYS = 30
LIFECYCLE_LIST_RELATIONS = (
    "designation__holder",
    "designation__school",
    "designation__designation_type",
    "designation__designating_organisation",
)


def _on_designations_managed_by(user) -> Q | None:
    """Matches rows whose designation `user` may manage (mirrors rules.can_manage_designation).

    None when they manage every designation."""
    if user.is_national_administrator:
        return None
    teaching_schools = [
        organisation.pk for organisation in user.organisations_with_role(Role.TEACHING_SCHOOL_LEAD)
    ]
    return Q(
        designation__designating_organisation__in=teaching_schools,
        designation__designation_type__designating_body=DesignatingBody.TEACHING_SCHOOL,
    )


def cases_for(user) -> QuerySet[DeDesignationCase]:
    """Open de-designation cases on the designations the user may manage, oldest first."""
    if not (user.is_authenticated and user.has_perm("designations.manage_lifecycle")):
        return DeDesignationCase.objects.none()
    cases = DeDesignationCase.objects.filter(status=CaseStatus.OPEN).select_related(
        *LIFECYCLE_LIST_RELATIONS
    )
    scope = _on_designations_managed_by(user)
    cases = exclude_own_designations(user, cases if scope is None else cases.filter(scope))
    return cases.order_by("opened_at", "pk")


def reviews_due_for(user, today: datetime.date) -> QuerySet[Review]:
    """Reviews still to do, overdue or due within 30 days, of current designations the user manages."""
    if not (user.is_authenticated and user.has_perm("designations.manage_lifecycle")):
        return Review.objects.none()
    reviews = Review.objects.filter(
        completed_on__isnull=True,
        due_on__lte=today + datetime.timedelta(days=REVIEWS_DUE_WITHIN_DAYS),
        designation__status__in=CURRENT_DESIGNATION_STATUSES,
    ).select_related(*LIFECYCLE_LIST_RELATIONS)
    scope = _on_designations_managed_by(user)
    reviews = exclude_own_designations(user, reviews if scope is None else reviews.filter(scope))
    return reviews.order_by("due_on", "pk")
