"""Everything that writes about people: organisations, invitations, access requests, memberships and
a person's own account. Permission checks for inviting stay with the caller (view or rule): see
invite()."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from schools.models import Diocese, LocalAuthority, School, Trust

from . import emails
from .choices import (
    GRANTABLE_BY_MANAGER_ROLE,
    ROLES_BY_ORGANISATION_KIND,
    AccessRequestState,
    EmailKind,
    OrganisationKind,
    Role,
)
from .errors import AccountsError, LinkUnusable
from .models import AccessRequest, ApiToken, Invitation, Membership, Organisation, User
from .queries import administrators_of
from .rules import can_answer_access_request, grantable_roles, manages_through

INVITATION_SALT = "accounts.invitation"
ACCESS_REQUEST_SALT = "accounts.access-request"
TAMPERED_LINK = (
    "This link is not valid. Check you copied the whole link from the email, or ask the person who "
    "sent it for a new one."
)
# Asking for access: at most this many requests an hour from one address, and for one email.
ACCESS_REQUESTS_PER_IP_PER_HOUR = 10
ACCESS_REQUESTS_PER_EMAIL_PER_HOUR = 3
# Asking for a password reset: the same kind of limits.
PASSWORD_RESETS_PER_IP_PER_HOUR = 10
PASSWORD_RESETS_PER_EMAIL_PER_HOUR = 3


def _first_error(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return next(iter(error.message_dict.values()))[0]
    return error.messages[0]


# --- A person's own account ----------------------------------------------------------------------


def wants_email(user, kind: str) -> bool:
    """Whether to send this person an email of this kind. Only informational kinds (EmailKind) can
    be turned off; any other kind (one that needs the person to act) is always wanted."""
    if user is None or not getattr(user, "is_active", False):
        return False
    if kind not in EmailKind.values:
        return True
    return kind not in (user.email_opt_outs or [])


def set_email_preferences(user: User, *, wanted: Iterable[str]) -> User:
    """Store the informational kinds the person does not want (everything not in `wanted`)."""
    wanted = set(wanted)
    unknown = wanted - set(EmailKind.values)
    if unknown:
        raise AccountsError("Only informational emails can be chosen.", field="wanted")
    user.email_opt_outs = sorted(set(EmailKind.values) - wanted)
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=["email_opt_outs"])
    return user


def update_details(user: User, *, full_name: str, phone: str) -> User:
    user.full_name = " ".join(full_name.split())
    user.phone = " ".join(phone.split())
    try:
        user.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field = next(iter(getattr(error, "message_dict", {"full_name": None})))
        raise AccountsError(_first_error(error), field=field) from error
    user.save(update_fields=["full_name", "phone"])
    return user


# --- Organisations for schools, authorities, trusts and dioceses ---------------------------------


def _get_or_create_organisation(kind: str, link: str, obj, name: str, **extra) -> Organisation:
    """One organisation per (kind, linked school/authority/trust/diocese). Names are unique per
    kind, so a second school with the same name gets its URN or code added."""
    existing = Organisation.objects.filter(kind=kind, **{link: obj}).first()
    if existing:
        return existing
    candidates = [name, f"{name} ({obj.pk})"]
    for candidate in candidates:
        organisation = Organisation(kind=kind, name=candidate[:200], **{link: obj}, **extra)
        organisation.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                organisation.save()
            return organisation
        except IntegrityError:
            raced = Organisation.objects.filter(kind=kind, **{link: obj}).first()
            if raced:
                return raced
    raise AccountsError(f"An organisation called {name} already exists.")


def organisation_for_school(school: School, *, kind: str = OrganisationKind.SCHOOL) -> Organisation:
    """The school's organisation (or teaching school's, with kind), created if it has none yet."""
    return _get_or_create_organisation(
        kind, "school", school, school.name, local_authority_id=school.local_authority_id
    )


def organisation_for_local_authority(local_authority: LocalAuthority) -> Organisation:
    return _get_or_create_organisation(
        OrganisationKind.LOCAL_AUTHORITY, "local_authority", local_authority, local_authority.name
    )


def organisation_for_trust(trust: Trust) -> Organisation:
    return _get_or_create_organisation(OrganisationKind.ACADEMY_TRUST, "trust", trust, trust.name)


def organisation_for_diocese(diocese: Diocese) -> Organisation:
    return _get_or_create_organisation(OrganisationKind.DIOCESE, "diocese", diocese, diocese.name)


def _existing_organisation_for(access_request: AccessRequest) -> Organisation | None:
    return access_request.find_organisation()


def _organisation_for_request(access_request: AccessRequest) -> Organisation:
    target = access_request.target
    return {
        OrganisationKind.SCHOOL: organisation_for_school,
        OrganisationKind.LOCAL_AUTHORITY: organisation_for_local_authority,
        OrganisationKind.ACADEMY_TRUST: organisation_for_trust,
        OrganisationKind.DIOCESE: organisation_for_diocese,
    }[access_request.organisation_kind](target)


# --- Invitations ---------------------------------------------------------------------------------


def invitation_days() -> int:
    return settings.INVITATION_DAYS


def invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.pk))


def invitation_link(invitation: Invitation) -> str:
    path = reverse("accounts:invitation-link", kwargs={"token": invitation_token(invitation)})
    return settings.SITE_URL + path


def _send_invitation(invitation: Invitation, access_request: AccessRequest | None = None) -> None:
    link = invitation_link(invitation)
    transaction.on_commit(lambda: emails.invitation(invitation, link=link, access_request=access_request))


def invite(
    *,
    email: str,
    organisation: Organisation,
    role: str,
    invited_by: User | None,
    full_name: str = "",
    access_request: AccessRequest | None = None,
) -> Invitation:
    """Invite a person by email to the organisation with the role, and email them the link.

    Does NOT check that `invited_by` may do so: the caller does (the people pages use
    accounts.rules.can_grant_role; a broker's page will use its own rule). A pending invitation
    for the same email, organisation and role is resent rather than duplicated.

    Side effects, in order: the invitation is created or its expiry renewed; on commit, the email.
    """
    email = email.strip().lower()
    if Membership.objects.filter(user__email__iexact=email, organisation=organisation, role=role).exists():
        raise AccountsError(
            f"{email} is already a {Role(role).label.lower()} at {organisation}.", field="email"
        )
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=invitation_days())
    with transaction.atomic():
        existing = (
            Invitation.objects.select_for_update()
            .pending()
            .filter(email=email, organisation=organisation, role=role)
            .first()
        )
        if existing:
            existing.sent_at, existing.expires_at = now, expires_at
            existing.save(update_fields=["sent_at", "expires_at"])
            _send_invitation(existing, access_request)
            return existing
        invitation = Invitation(
            email=email,
            organisation=organisation,
            role=role,
            invited_by=invited_by,
            full_name=full_name[:200],
            sent_at=now,
            expires_at=expires_at,
        )
        try:
            invitation.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise AccountsError(_first_error(error), field="role") from error
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError:
            # Another request made the same invitation a moment ago: that one stands.
            return Invitation.objects.pending().get(email=email, organisation=organisation, role=role)
        _send_invitation(invitation, access_request)
    return invitation


def resend_invitation(invitation: Invitation) -> Invitation:
    """A new link and a renewed expiry for a pending invitation."""
    if not invitation.is_pending:
        raise AccountsError("This invitation has already been accepted or cancelled.")
    return invite(
        email=invitation.email,
        organisation=invitation.organisation,
        role=invitation.role,
        invited_by=invitation.invited_by,
        full_name=invitation.full_name,
    )


def cancel_invitation(invitation: Invitation, *, actor: User) -> Invitation:
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_pending:
            raise AccountsError("This invitation has already been accepted or cancelled.")
        locked.cancelled_at, locked.cancelled_by = timezone.now(), actor
        locked.save(update_fields=["cancelled_at", "cancelled_by"])
    return locked


def whom_to_ask(invitation: Invitation) -> str:
    if invitation.invited_by_id and invitation.invited_by.is_active:
        inviter = invitation.invited_by
        return f"Ask {inviter.full_name or inviter.email} ({inviter.email}) to invite you again."
    return f"Ask the people who manage {invitation.organisation} to invite you again."


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points at, if it is genuine, unexpired, unused and not cancelled."""
    signer = signing.TimestampSigner(salt=INVITATION_SALT)
    try:
        invitation_id = signer.unsign(token)
    except signing.BadSignature as error:
        raise LinkUnusable(TAMPERED_LINK, status=404) from error
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise LinkUnusable(TAMPERED_LINK, status=404)
    try:
        signer.unsign(token, max_age=datetime.timedelta(days=invitation_days()))
    except signing.SignatureExpired as error:
        raise LinkUnusable("This invitation has expired.", whom_to_ask=whom_to_ask(invitation)) from error
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: Invitation, *, user: User | None = None) -> None:
    if invitation.accepted_at:
        raise LinkUnusable(
            "This invitation has already been used. Each invitation link works once.",
            whom_to_ask=whom_to_ask(invitation),
        )
    if invitation.cancelled_at:
        raise LinkUnusable("This invitation has been cancelled.", whom_to_ask=whom_to_ask(invitation))
    if invitation.is_expired:
        raise LinkUnusable("This invitation has expired.", whom_to_ask=whom_to_ask(invitation))
    if not invitation.organisation.is_active:
        raise LinkUnusable(f"{invitation.organisation} no longer uses this service.")


def accept_invitation(invitation: Invitation, *, user: User) -> Membership:
    """The signed-in person joins. Accepting twice (a double click) gives the one membership.

    Side effects, in order: the membership; the invitation marked used; on commit, an email to the
    inviter if they want it."""
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "invited_by")
            .get(pk=invitation.pk)
        )
        if locked.accepted_at and locked.accepted_by_id == user.pk:
            return Membership.objects.get(user=user, organisation=locked.organisation, role=locked.role)
        _check_usable(locked)
        if user.email.lower() != locked.email:
            raise AccountsError(
                f"This invitation is for {locked.email}. Sign out, then sign in with that email address."
            )
        membership, _ = Membership.objects.get_or_create(
            user=user, organisation=locked.organisation, role=locked.role
        )
        _mark_accepted(locked, user)
    # The rest of this request (the page it redirects to is another) acts with the new role.
    user.forget_cached_answers()
    return membership


def accept_invitation_with_new_account(invitation: Invitation, *, full_name: str, password: str) -> User:
    """Create the invitee's account with their name and password, and join them.

    Raises AccountsError (field "new_password1") when the password breaks the password rules."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise AccountsError("Enter your full name", field="full_name")
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation", "invited_by")
            .get(pk=invitation.pk)
        )
        _check_usable(locked)
        if User.objects.filter(email__iexact=locked.email).exists():
            raise AccountsError("You already have an account: sign in to accept the invitation.")
        user = User(email=locked.email, full_name=full_name[:200])
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise AccountsError(error.messages[0], field="new_password1") from error
        user.set_password(password)
        user.full_clean(validate_unique=False, validate_constraints=False, exclude=["password"])
        user.save()
        Membership.objects.create(user=user, organisation=locked.organisation, role=locked.role)
        _mark_accepted(locked, user)
    return user


def _mark_accepted(invitation: Invitation, user: User) -> None:
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    inviter = invitation.invited_by
    if inviter and inviter.pk != user.pk:
        transaction.on_commit(lambda: emails.invitation_accepted(invitation, to=[inviter.email]))


# --- Memberships ---------------------------------------------------------------------------------


def _check_may_manage(actor: User, membership: Membership, *, roles: Iterable[str]) -> None:
    if membership.user_id == actor.pk:
        raise AccountsError("You cannot change your own roles. Ask another manager.")
    allowed = grantable_roles(actor, membership.organisation)
    if not all(role in allowed for role in roles):
        raise AccountsError("You cannot give or take away that role.")


def change_role(membership: Membership, *, role: str, actor: User) -> Membership:
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("organisation", "user")
            .get(pk=membership.pk)
        )
        _check_may_manage(actor, locked, roles=[locked.role, role])
        if role == locked.role:
            return locked
        if Membership.objects.filter(user=locked.user, organisation=locked.organisation, role=role).exists():
            raise AccountsError(f"{locked.user} already has that role here.", field="role")
        locked.role = role
        locked.full_clean(validate_constraints=False)
        locked.save(update_fields=["role"])
    return locked


def remove_member(membership: Membership, *, actor: User) -> None:
    """Take a role away. The history stays (simple_history); with no membership left a person can
    act nowhere, because every permission comes from a membership."""
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(pk=membership.pk)
            .first()
        )
        if locked is None:
            return
        _check_may_manage(actor, locked, roles=[locked.role])
        locked.delete()


# --- Access requests -----------------------------------------------------------------------------


def _count(key: str) -> int:
    if cache.add(key, 1, timeout=60 * 60):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=60 * 60)
        return 1


def _check_throttle(
    kind: str, *, ip_address: str, email: str, per_ip: int, per_email: int, message: str
) -> None:
    """Count this attempt of `kind`; refuse once an address or an email has asked too often this hour.
    Counted the same whether or not the email has an account (the email is hashed, never stored)."""
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_ip = _count(f"accounts:{kind}:ip:{ip_address}")
    by_email = _count(f"accounts:{kind}:email:{email_key}")
    if by_ip > per_ip or by_email > per_email:
        raise AccountsError(message)


def check_access_request_throttle(*, ip_address: str, email: str) -> None:
    _check_throttle(
        "access-request", ip_address=ip_address, email=email,
        per_ip=ACCESS_REQUESTS_PER_IP_PER_HOUR, per_email=ACCESS_REQUESTS_PER_EMAIL_PER_HOUR,
        message="You have asked for access too many times. Try again in an hour.",
    )


def access_request_token(access_request: AccessRequest) -> str:
    return signing.TimestampSigner(salt=ACCESS_REQUEST_SALT).sign(str(access_request.pk))


def request_access(
    *,
    full_name: str,
    email: str,
    organisation_kind: str,
    role: str,
    reason: str,
    school: School | None = None,
    local_authority: LocalAuthority | None = None,
    trust: Trust | None = None,
    diocese: Diocese | None = None,
) -> AccessRequest:
    """Record the request and email a confirmation link. The page looks the same whether or not
    the email has an account; only the email itself (in the owner's inbox) says so."""
    access_request = AccessRequest(
        full_name=" ".join(full_name.split()),
        email=email.strip().lower(),
        organisation_kind=organisation_kind,
        role=role,
        reason=reason.strip(),
        school=school,
        local_authority=local_authority,
        trust=trust,
        diocese=diocese,
    )
    try:
        access_request.full_clean()
    except ValidationError as error:
        field = next(iter(getattr(error, "message_dict", {None: None})))
        raise AccountsError(_first_error(error), field=field) from error
    access_request.save()
    link = settings.SITE_URL + reverse(
        "accounts:request-access-confirm-link", kwargs={"token": access_request_token(access_request)}
    )
    has_account = User.objects.filter(email__iexact=access_request.email).exists()
    transaction.on_commit(
        lambda: emails.access_request_confirm(access_request, link=link, has_account=has_account)
    )
    return access_request


def access_request_recipients(access_request: AccessRequest) -> list[User]:
    """Who decides: the organisation's people managers; if none, the officers of its local
    authority; failing those, the national administrators."""
    organisation = _existing_organisation_for(access_request)
    if organisation:
        managers = [
            m.user
            for m in organisation.memberships.select_related("user", "organisation__school")
            if m.user.is_active and manages_through(m, organisation)
        ]
        if managers:
            return sorted(set(managers), key=lambda u: u.email)
    local_authority_id = _local_authority_id(access_request, organisation)
    if local_authority_id:
        officers = User.objects.filter(
            is_active=True,
            memberships__role=Role.LA_OFFICER,
            memberships__organisation__kind=OrganisationKind.LOCAL_AUTHORITY,
            memberships__organisation__is_active=True,
            memberships__organisation__local_authority_id=local_authority_id,
        ).distinct()
        if officers:
            return sorted(officers, key=lambda u: u.email)
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.NATIONAL_ADMINISTRATOR,
            memberships__organisation__is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def _local_authority_id(access_request: AccessRequest, organisation: Organisation | None) -> int | None:
    if access_request.organisation_kind == OrganisationKind.SCHOOL:
        return access_request.school.local_authority_id
    if access_request.organisation_kind == OrganisationKind.LOCAL_AUTHORITY:
        return access_request.local_authority_id
    return organisation.local_authority_id if organisation else None


def confirm_access_request(token: str) -> AccessRequest:
    """The requester's email is confirmed: route the request and tell those who decide.

    Confirming again does nothing more."""
    signer = signing.TimestampSigner(salt=ACCESS_REQUEST_SALT)
    try:
        request_id = signer.unsign(token, max_age=AccessRequest.CONFIRM_WITHIN)
    except signing.SignatureExpired as error:
        raise LinkUnusable(
            "This confirmation link has expired. Ask for access again to get a new one."
        ) from error
    except signing.BadSignature as error:
        raise LinkUnusable(TAMPERED_LINK, status=404) from error
    with transaction.atomic():
        access_request = AccessRequest.objects.select_for_update().filter(pk=request_id).first()
        if access_request is None:
            raise LinkUnusable(TAMPERED_LINK, status=404)
        if access_request.state != AccessRequestState.UNCONFIRMED:
            return access_request
        recipients = access_request_recipients(access_request)
        access_request.state = AccessRequestState.AWAITING_DECISION
        access_request.confirmed_at = timezone.now()
        access_request.save(update_fields=["state", "confirmed_at"])
        access_request.routed_to.set(recipients)
        to = [user.email for user in recipients]
        transaction.on_commit(lambda: emails.access_request_to_answer(access_request, to=to))
    return access_request


def approver_roles(user: User, access_request: AccessRequest) -> list[str]:
    """The roles this user may grant when approving: what they could grant in the organisation, or,
    when the request fell back to them as an LA officer, what an LA officer may grant there."""
    if not can_answer_access_request(user, access_request):
        return []
    kind_roles = ROLES_BY_ORGANISATION_KIND.get(access_request.organisation_kind, set())
    organisation = _existing_organisation_for(access_request) or Organisation(
        kind=access_request.organisation_kind,
        school=access_request.school,
        local_authority=access_request.local_authority,
        trust=access_request.trust,
        diocese=access_request.diocese,
    )
    roles = set(grantable_roles(user, organisation))
    if not roles and user.has_role(Role.LA_OFFICER):
        roles = set(GRANTABLE_BY_MANAGER_ROLE[Role.LA_OFFICER]) & kind_roles
    return [role for role in Role.values if role in roles]


def _locked_undecided(access_request: AccessRequest) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.state != AccessRequestState.AWAITING_DECISION:
        raise AccountsError("Someone has already answered this request.")
    return locked


def approve_access_request(access_request: AccessRequest, *, role: str, actor: User) -> Invitation:
    """Approve with the role chosen: the organisation is created if needed and the person is sent
    an invitation (the email says their request was approved)."""
    if role not in approver_roles(actor, access_request):
        raise AccountsError("Choose a role you can give people in this organisation.", field="role")
    with transaction.atomic():
        locked = _locked_undecided(access_request)
        organisation = _organisation_for_request(locked)
        invitation = invite(
            email=locked.email,
            organisation=organisation,
            role=role,
            invited_by=actor,
            full_name=locked.full_name,
            access_request=locked,
        )
        locked.state, locked.decided_at, locked.decided_by = (
            AccessRequestState.APPROVED,
            timezone.now(),
            actor,
        )
        locked.granted_role, locked.organisation, locked.invitation = role, organisation, invitation
        locked.save(
            update_fields=["state", "decided_at", "decided_by", "granted_role", "organisation", "invitation"]
        )
    return invitation


def decline_access_request(access_request: AccessRequest, *, reason: str, actor: User) -> AccessRequest:
    if not can_answer_access_request(actor, access_request):
        raise AccountsError("You cannot answer this request.")
    reason = reason.strip()
    if not reason:
        raise AccountsError("Give the reason for declining: the person is told it.", field="reason")
    with transaction.atomic():
        locked = _locked_undecided(access_request)
        locked.state, locked.decided_at, locked.decided_by = (
            AccessRequestState.DECLINED,
            timezone.now(),
            actor,
        )
        locked.decline_reason = reason[:2000]
        locked.save(update_fields=["state", "decided_at", "decided_by", "decline_reason"])
        transaction.on_commit(lambda: emails.access_request_declined(locked))
    return locked


# --- API tokens ----------------------------------------------------------------------------------


def api_token_expiry(day: datetime.date | None) -> datetime.datetime | None:
    """When a token given an expiry date stops working: as that day starts, UK time, so it is refused
    all that day, as the API's refusal says ("This token expired on <day>")."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def issue_api_token(
    *,
    organisation: Organisation,
    name: str,
    expires_on: datetime.date | None = None,
    actor: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the organisation, and its key (shown once, never stored). Raises
    ValidationError naming ``name`` or ``expires_at`` (the model's range: after today, at most two
    years ahead). The caller checks that ``actor`` may (the pages: accounts.rules; the Django admin:
    its model permissions); no actor is the service's operators (a command).

    Side effects, in order: the token is saved (its history naming the actor); on commit, a
    security notice to the organisation's administrators and its shared inbox."""
    with transaction.atomic():
        token, key = ApiToken.issue(
            organisation=organisation, name=name.strip(), created_by=actor,
            expires_at=api_token_expiry(expires_on),
        )
        transaction.on_commit(
            lambda: emails.api_token_created(token, actor=actor, to=administrators_of(organisation))
        )
    return token, key


def revoke_api_token(token: ApiToken, *, actor: User | None = None) -> bool:
    """Revoke the token at once: every later request with its key is refused with 401. Revoking a
    revoked token changes nothing and sends nothing (a double click, two administrators at once):
    returns whether this call revoked it. The caller checks that ``actor`` may, as for issuing.

    Side effects, in order: ``revoked_at`` set under a row lock (its history naming the actor); on
    commit, a security notice to the organisation's administrators and its shared inbox."""
    with transaction.atomic():
        locked = (
            ApiToken.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=token.pk)
        )
        token.revoked_at = locked.revoked_at
        if locked.revoked_at is not None:
            return False
        if actor is not None:
            locked._history_user = actor
        locked.revoke()
        token.revoked_at = locked.revoked_at
        transaction.on_commit(
            lambda: emails.api_token_revoked(locked, actor=actor, to=administrators_of(locked.organisation))
        )
    return True


# --- Setting a first password (an account made for someone, e.g. a designated leader) -----------

SET_PASSWORD_SALT = "accounts.set-password"  # noqa: S105 - a signing salt, not a secret


def _password_fingerprint(user: User) -> str:
    # Changes as soon as a password is set, so the link works once.
    return hashlib.sha256(f"{user.pk}:{user.password}".encode()).hexdigest()[:20]


def set_password_token(user: User) -> str:
    return signing.TimestampSigner(salt=SET_PASSWORD_SALT).sign_object(
        {"u": user.pk, "p": _password_fingerprint(user)}
    )


def user_from_set_password_token(token: str) -> User:
    signer = signing.TimestampSigner(salt=SET_PASSWORD_SALT)
    try:
        value = signer.unsign_object(token, max_age=datetime.timedelta(days=invitation_days()))
    except signing.SignatureExpired as error:
        raise LinkUnusable(
            "This link has expired. Use “I have forgotten my password” on the sign-in page to get a new one."
        ) from error
    except (signing.BadSignature, ValueError) as error:
        raise LinkUnusable(TAMPERED_LINK, status=404) from error
    user = User.objects.filter(pk=value.get("u"), is_active=True).first() if isinstance(value, dict) else None
    if user is None:
        raise LinkUnusable(TAMPERED_LINK, status=404)
    if value.get("p") != _password_fingerprint(user):
        raise LinkUnusable(
            "This link has already been used. Sign in with your password, or use “I have forgotten "
            "my password” on the sign-in page."
        )
    return user


def ask_to_set_password(user: User, *, reason: str) -> None:
    """For someone whose account has no usable password: on commit, an email with a link (valid for
    INVITATION_DAYS, usable once) to choose one. `reason` says why they have an account."""
    if user.has_usable_password() or not user.is_active:
        return
    path = reverse("accounts:set-password-link", kwargs={"token": set_password_token(user)})
    link = settings.SITE_URL + path
    transaction.on_commit(lambda: emails.set_password(user, link=link, reason=reason))


# --- Password reset ------------------------------------------------------------------------------


def request_password_reset(*, email: str, ip_address: str) -> None:
    """Throttled per address and per email; then, after commit, the ``accounts.send_password_reset``
    task looks the email up and sends the link if it has an active account. The request does the
    same work whether or not it has one, so neither the answer nor its timing tells them apart."""
    from .tasks import send_password_reset  # the task calls back into this module

    email = email.strip().lower()
    _check_throttle(
        "password-reset", ip_address=ip_address, email=email,
        per_ip=PASSWORD_RESETS_PER_IP_PER_HOUR, per_email=PASSWORD_RESETS_PER_EMAIL_PER_HOUR,
        message="You have asked to reset a password too many times. Try again in an hour.",
    )
    with transaction.atomic():
        # kwargsrepr is what Celery logs of the arguments, in the worker and in the task's result log.
        transaction.on_commit(lambda: send_password_reset.apply_async(
            kwargs={"email": email}, kwargsrepr="{'email': '(not logged)'}"
        ))


def password_reset_users(email: str):
    """Active accounts with this email, including those with no password yet (a leader whose account
    an administrator made): Django leaves those out because elsewhere they may sign in another way,
    but here a password is the only way in, so the reset is how they choose one."""
    return User.objects.filter(email__iexact=email.strip().lower(), is_active=True)


def send_password_reset_emails(email: str) -> int:
    """Email each active account with this address a single-use reset link; returns how many."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    sent = 0
    for user in password_reset_users(email):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        emails.password_reset(user, uid=uid, token=default_token_generator.make_token(user))
        sent += 1
    return sent
