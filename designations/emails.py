"""One function per email kind. Templates: templates/emails/<kind>-subject.txt, -body.txt, -body.html.

Services call these through transaction.on_commit, so nothing is sent for a rolled-back change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.choices import EmailKind, OrganisationKind, Role
from accounts.emails import informational_recipients

from .choices import ApplicationState

if TYPE_CHECKING:
    from .models import Application, RefereeRequest

def site_url() -> str:
    """The address people open links in emails at, without a trailing slash."""
    return settings.SITE_URL


def absolute_url(url_name: str, *args: Any) -> str:
    return f"{site_url()}{reverse(url_name, args=args)}"


def send_email(kind: str, *, to: list[str], context: dict[str, Any]) -> None:
    context = {"service_name": settings.SERVICE_NAME, "site_url": site_url(), **context}
    subject = " ".join(render_to_string(f"emails/{kind}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{kind}-body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(render_to_string(f"emails/{kind}-body.html", context), "text/html")
    message.send()


def application_submitted(application: Application) -> None:
    """To the applicant (informational): their application has arrived, and what happens next."""
    to = informational_recipients([application.applicant.email], EmailKind.APPLICATION_UPDATES)
    if to:
        send_email(
            "application-submitted",
            to=to,
            context={"application": application, "awaiting_referee": application.referee_requests.exists()},
        )


def referee_request(request: RefereeRequest, *, link: str) -> None:
    """To the referee: the signed, single-use link to respond through. Needs them to act: always sent."""
    send_email(
        "referee-request",
        to=[request.email],
        context={"request": request, "application": request.application, "link": link},
    )


def application_decided(application: Application) -> None:
    """To the applicant (informational): approved (training to complete) or rejected, with the
    reason. The training is shown on their designation page as well, so the email can be turned off."""
    to = informational_recipients([application.applicant.email], EmailKind.APPLICATION_UPDATES)
    if to:
        send_email(
            "application-decided",
            to=to,
            context={"application": application, "approved": application.state != ApplicationState.REJECTED},
        )


# A designation's lifecycle: designation, status changes, review reminders, de-designation cases.
_ROLE_BY_DESIGNATING_KIND = {
    OrganisationKind.NATIONAL_BODY: Role.NATIONAL_ADMINISTRATOR,
    OrganisationKind.TEACHING_SCHOOL: Role.TEACHING_SCHOOL_LEAD,
}
DESIGNATING_BODY_ROLES = sorted(_ROLE_BY_DESIGNATING_KIND.values())


def designating_body_recipients(organisation) -> list[str]:
    """The organisation's shared inbox, else the addresses of its national administrators (national
    body) or teaching-school leads (teaching school). Reads `organisation.memberships.all()`, so a
    prefetch of memberships with their users makes it free of queries."""
    if organisation.email:
        return [organisation.email]
    role = _ROLE_BY_DESIGNATING_KIND.get(organisation.kind)
    return sorted(
        {m.user.email for m in organisation.memberships.all() if m.role == role and m.user.is_active}
    )


def _holder_recipients(designation) -> list[str]:
    return [designation.holder.email] if designation.holder_id and designation.holder.is_active else []


def _designation_update_recipients(designation) -> list[str]:
    to = _holder_recipients(designation) or designating_body_recipients(designation.designating_organisation)
    return informational_recipients(to, EmailKind.DESIGNATION_UPDATES)


def designation_made(designation) -> None:
    """To the holder (a school designation: its designating body), informational: designated, and
    the training still needed before they can be deployed."""
    to = _designation_update_recipients(designation)
    if to:
        link = absolute_url("designations:mine")
        send_email("designation-made", to=to, context={"designation": designation, "link": link})


def designation_status_changed(designation, from_status: str, reason: str) -> None:
    """To the holder (a school designation: its designating body), informational: suspended,
    reinstated, lapsed or de-designated, with the reason."""
    to = _designation_update_recipients(designation)
    if to:
        send_email(
            "designation-status-changed",
            to=to,
            context={"designation": designation, "from_status": from_status, "reason": reason},
        )


def review_reminder(review, kind: str, *, today) -> None:
    """To the designating body: a review is due in 30 days, in 7 days, or overdue. Needs them to
    act: always sent."""
    send_email(
        "review-reminder",
        to=designating_body_recipients(review.designation.designating_organisation),
        context={
            "review": review,
            "designation": review.designation,
            "kind": kind,
            "overdue": kind == "overdue",
            "days_left": (review.due_on - today).days,
            "link": absolute_url("designations-manage:review-record", review.designation_id, review.pk),
        },
    )


def case_opened(case) -> None:
    """To the designating body: a de-designation case awaits their decision. Always sent."""
    to = designating_body_recipients(case.designation.designating_organisation)
    if to:
        link = absolute_url("designations-manage:case-decide", case.pk)
        context = {"case": case, "designation": case.designation, "link": link}
        send_email("case-opened", to=to, context=context)


def case_decided(case) -> None:
    """To the holder and the designating body, informational: the designation is kept, or
    de-designated. Nothing is left to do once the case is decided."""
    designation = case.designation
    to = informational_recipients(
        _holder_recipients(designation) + designating_body_recipients(designation.designating_organisation),
        EmailKind.DESIGNATION_UPDATES,
    )
    if to:
        send_email(
            "case-decided",
            to=list(dict.fromkeys(to)),
            context={"case": case, "designation": designation, "kept": case.status == "kept"},
        )
