"""What waits for a person in designations: applications to assess, references still awaited on
their own applications, de-designation cases to decide and designation reviews due (see
accounts.worklist for the provider contract)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef

from accounts.choices import Role
from accounts.worklist import Task, as_date, url_for_each

from .choices import UNDECIDED_APPLICATION_STATES, ApplicationState
from .models import Application, Designation, RefereeRequest
from .queries import applications_assessable_by, cases_for, exclude_own_applications, reviews_due_for
from .rules import HAS_APPLIED

ASSESSOR_STEPS = {
    ApplicationState.SUBMITTED: ("assess-application", "Start assessing the application"),
    ApplicationState.UNDER_ASSESSMENT: ("assess-application", "Assess the application and decide"),
    ApplicationState.APPROVED_PENDING_TRAINING: (
        "record-training",
        "Record the training to complete the designation",
    ),
}


def _holder(designation: Designation) -> str:
    code = designation.designation_type.code
    return f"{code} {designation.holder}" if designation.holder_id else f"{code} {designation.school.name}"


def applications_to_assess(user, today: datetime.date) -> list[Task]:
    """Applications the user may assess that wait for the assessor (not for a referee): one query,
    and one for the schools the user works at. None for who leads no teaching school and is no
    national administrator: they assess nothing."""
    if not getattr(user, "is_authenticated", False):
        return []
    if not (user.is_national_administrator or user.has_role(Role.TEACHING_SCHOOL_LEAD)):
        return []
    url = url_for_each("applications:assess")
    applications = exclude_own_applications(
        user,
        applications_assessable_by(
            user, Application.objects.select_related("applicant", "school", "designation_type")
        ),
    ).filter(state__in=sorted(ASSESSOR_STEPS)).order_by("submitted_at", "pk")
    return [
        Task(
            kind=ASSESSOR_STEPS[application.state][0],
            what=ASSESSOR_STEPS[application.state][1],
            detail=f"{application.designation_type.code} application by {application.applicant}",
            school=application.school.name,
            since=as_date(application.submitted_at or application.created_at),
            url=url(application.pk),
        )
        for application in applications
    ]


def references_awaited(user, today: datetime.date) -> list[Task]:
    """The latest unanswered referee request on each of the applicant's undecided applications;
    due when its link expires. One query; none for who has never applied."""
    if not HAS_APPLIED(user):
        return []
    url = url_for_each("applications:task-list")
    later = RefereeRequest.objects.filter(
        application=OuterRef("application"), sent_at__gt=OuterRef("sent_at")
    )
    awaited = (
        RefereeRequest.objects.filter(
            application__applicant=user,
            responded_at__isnull=True,
            application__state__in=sorted(UNDECIDED_APPLICATION_STATES - {ApplicationState.DRAFT}),
        )
        .exclude(Exists(later))
        .select_related("application__school", "application__designation_type")
        .order_by("expires_at", "pk")
    )
    return [
        Task(
            kind="reference-awaited",
            what="Your reference is awaited: ask your referee to respond",
            detail=f"{awaited.application.designation_type.code} application, reference from {awaited.name}",
            school=awaited.application.school.name,
            since=as_date(awaited.sent_at),
            due_on=as_date(awaited.expires_at),
            url=url(awaited.application_id),
        )
        for awaited in awaited
    ]


def cases_to_decide(user, today: datetime.date) -> list[Task]:
    """Open de-designation cases on designations the user manages. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    url = url_for_each("designations-manage:case-decide")
    return [
        Task(
            kind="decide-case",
            what="Decide the de-designation case",
            detail=f"{_holder(case.designation)}: {case.get_reason_display()}",
            school=case.designation.school.name,
            since=as_date(case.opened_at),
            url=url(case.pk),
        )
        for case in cases_for(user)
    ]


def designation_reviews_due(user, today: datetime.date) -> list[Task]:
    """Designation reviews overdue or due within 30 days, of designations the user manages. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    url = url_for_each("designations-manage:review-record", arity=2)
    return [
        Task(
            kind="designation-review",
            what="Record the designation review",
            detail=_holder(review.designation),
            school=review.designation.school.name,
            due_on=review.due_on,
            url=url(review.designation_id, review.pk),
        )
        for review in reviews_due_for(user, today)
    ]
