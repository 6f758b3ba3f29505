"""What waits for a person in designations: applications to assess, references still awaited on
their own applications, de-designation cases to decide and designation reviews due (see
accounts.worklist for the provider contract)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse

from accounts.worklist import Task, as_date

from .choices import UNDECIDED_APPLICATION_STATES, ApplicationState
from .models import Application, Designation, RefereeRequest
from .queries import applications_assessable_by, cases_for, exclude_own_applications, reviews_due_for

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
    """Applications the user may assess that wait for the assessor (not for a referee). One query."""
    if not getattr(user, "is_authenticated", False):
        return []
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
            url=reverse("applications:assess", args=[application.pk]),
        )
        for application in applications
    ]


def references_awaited(user, today: datetime.date) -> list[Task]:
    """The latest unanswered referee request on each of the applicant's undecided applications;
    due when its link expires. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
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
            url=reverse("applications:task-list", args=[awaited.application_id]),
        )
        for awaited in awaited
    ]


def cases_to_decide(user, today: datetime.date) -> list[Task]:
    """Open de-designation cases on designations the user manages. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        Task(
            kind="decide-case",
            what="Decide the de-designation case",
            detail=f"{_holder(case.designation)}: {case.get_reason_display()}",
            school=case.designation.school.name,
            since=as_date(case.opened_at),
            url=reverse("designations-manage:case-decide", args=[case.pk]),
        )
        for case in cases_for(user)
    ]


def designation_reviews_due(user, today: datetime.date) -> list[Task]:
    """Designation reviews overdue or due within 30 days, of designations the user manages. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        Task(
            kind="designation-review",
            what="Record the designation review",
            detail=_holder(review.designation),
            school=review.designation.school.name,
            due_on=review.due_on,
            url=reverse("designations-manage:review-record", args=[review.designation_id, review.pk]),
        )
        for review in reviews_due_for(user, today)
    ]
