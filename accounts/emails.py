"""One function per email kind about people. Templates: templates/emails/<kind>-subject.txt, -body.txt,
-body.html. Services call these through transaction.on_commit. Links are passed in, never logged."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse

from .choices import EmailKind
from .models import Organisation, User

if TYPE_CHECKING:
    from .models import AccessRequest, ApiToken, Invitation


def absolute_url(url_name: str, *args: Any, **kwargs: Any) -> str:
    return f"{settings.SITE_URL}{reverse(url_name, args=args, kwargs=kwargs or None)}"


def informational_recipients(to: Iterable[str], kind: EmailKind) -> list[str]:
    """The addresses of an informational email of `kind`, without the people who do not want it
    (turned it off, or no longer active). Every app's informational email passes its recipients
    through here, so the choice on /accounts/you/ is made in one place. An address that is no
    person's (a shared inbox, a referee) or that is an organisation's shared inbox is kept: an inbox
    is not a person and has no preferences. One query, whatever the number of addresses."""
    from .services import wants_email  # services sends through this module

    to = list(dict.fromkeys(address for address in to if address))
    if not to:
        return []
    inboxes = Organisation.objects.exclude(email="").annotate(inbox=Lower("email")).values("inbox")
    people = (
        User.objects.filter(email__in={address.lower() for address in to})
        .exclude(email__in=inboxes)
        .only("email", "is_active", "email_opt_outs")
    )
    unwanted = {person.email for person in people if not wants_email(person, kind)}
    return [address for address in to if address.lower() not in unwanted]


def send_email(kind: str, *, to: list[str], context: dict[str, Any]) -> None:
    if not to:
        return
    context = {"service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{kind}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{kind}-body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(render_to_string(f"emails/{kind}-body.html", context), "text/html")
    message.send()


def invitation(invitation: Invitation, *, link: str, access_request: AccessRequest | None = None) -> None:
    """To the invitee: the signed, single-use link to join (an approved access request says so)."""
    send_email(
        "invitation",
        to=[invitation.email],
        context={"invitation": invitation, "link": link, "access_request": access_request},
    )


def invitation_accepted(invitation: Invitation, *, to: list[str]) -> None:
    """To the person who invited (informational): the invitee has joined."""
    to = informational_recipients(to, EmailKind.PEOPLE_UPDATES)
    send_email("invitation-accepted", to=to, context={"invitation": invitation})


def access_request_confirm(access_request: AccessRequest, *, link: str, has_account: bool) -> None:
    """To the requester: confirm the email address before the request goes anywhere. Someone who
    already has an account is told so here, in their own inbox, and nowhere else."""
    send_email(
        "access-request-confirm",
        to=[access_request.email],
        context={
            "access_request": access_request,
            "link": link,
            "has_account": has_account,
            "sign_in_link": absolute_url("accounts:sign-in"),
            "reset_link": absolute_url("accounts:password-reset"),
        },
    )


def access_request_to_answer(access_request: AccessRequest, *, to: list[str]) -> None:
    """To those who decide: a confirmed request is waiting for them."""
    send_email(
        "access-request-to-answer",
        to=to,
        context={
            "access_request": access_request,
            "link": absolute_url("accounts:access-request-detail", access_request.pk),
        },
    )


def access_request_declined(access_request: AccessRequest) -> None:
    """To the requester: declined, with the reason. Always sent: it answers something they asked
    for, and the requester usually has no account whose preferences could turn it off."""
    send_email(
        "access-request-declined", to=[access_request.email], context={"access_request": access_request}
    )


def set_password(user, *, link: str, reason: str) -> None:
    """To someone with an account but no password yet: why they have one, and the link to choose one."""
    context = {"person": user, "link": link, "reason": reason, "days": settings.INVITATION_DAYS}
    send_email("set-password", to=[user.email], context=context)


def password_reset(user, *, uid: str, token: str) -> None:
    """To the account's owner: the single-use link to choose a new password (sent by a task)."""
    site = urlsplit(settings.SITE_URL)
    send_email(
        "password-reset",
        to=[user.email],
        context={
            "user": user, "email": user.email, "uid": uid, "token": token,
            "protocol": site.scheme, "domain": site.netloc,
        },
    )


def _token_context(token: ApiToken, actor) -> dict[str, Any]:
    return {
        "token": token,
        "actor": actor,
        "link": absolute_url("accounts:api-token-detail", token.pk),
    }


def api_token_created(token: ApiToken, *, actor, to: list[str]) -> None:
    """To the organisation's administrators (a security notice, always sent): who created a token
    for it, and where to revoke it if nobody should have. Never the key."""
    send_email("api-token-created", to=to, context=_token_context(token, actor))


def api_token_revoked(token: ApiToken, *, actor, to: list[str]) -> None:
    """To the organisation's administrators (a security notice, always sent): who revoked a token."""
    send_email("api-token-revoked", to=to, context=_token_context(token, actor))
