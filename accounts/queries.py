"""What a user may see about people: organisations they manage, invitations, access requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from .choices import LA_MAINTAINED_TYPE_GROUP, AccessRequestState, OrganisationKind, Role
from .models import AccessRequest, ApiToken, Invitation, Membership, Organisation
from .rules import administered_organisations, administers


def organisations_managed_by(user) -> QuerySet[Organisation]:
    """Existing organisations whose people this user may manage; agrees with accounts.manage_people."""
    organisations = Organisation.objects.filter(is_active=True).select_related(
        "local_authority", "school", "trust", "diocese"
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return organisations.none()
    if user.is_national_administrator:
        return organisations
    condition = Q(pk__in=[])
    for membership in user.active_memberships:
        own = membership.organisation
        if membership.role == Role.LA_OFFICER and own.kind == OrganisationKind.LOCAL_AUTHORITY:
            if own.local_authority_id:
                condition |= Q(
                    kind=OrganisationKind.LOCAL_AUTHORITY, local_authority_id=own.local_authority_id
                )
                condition |= Q(
                    kind=OrganisationKind.SCHOOL,
                    school__local_authority_id=own.local_authority_id,
                    school__type_group=LA_MAINTAINED_TYPE_GROUP,
                )
        elif (
            (membership.role == Role.TEACHING_SCHOOL_LEAD and own.kind == OrganisationKind.TEACHING_SCHOOL)
            or (
                membership.role == Role.HEADTEACHER
                and own.kind in (OrganisationKind.SCHOOL, OrganisationKind.TEACHING_SCHOOL)
            )
            or (
                membership.role == Role.COMMISSIONER
                and own.kind in (OrganisationKind.ACADEMY_TRUST, OrganisationKind.DIOCESE)
            )
        ):
            condition |= Q(pk=own.pk)
    return organisations.filter(condition)


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__full_name", "user__email", "role")


def pending_invitations_of(organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.pending().select_related("invited_by").order_by("-sent_at")


def invitations_pending_for(user) -> QuerySet[Invitation]:
    """Unexpired, unused invitations addressed to this user's email, for their tasks page."""
    if not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return (
        Invitation.objects.usable()
        .filter(email__iexact=user.email)
        .select_related("organisation", "invited_by")
        .order_by("-sent_at")
    )


def access_requests_to_answer(user) -> QuerySet[AccessRequest]:
    """Confirmed, undecided access requests routed to this user (national administrators: all)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AccessRequest.objects.none()
    requests = AccessRequest.objects.filter(state=AccessRequestState.AWAITING_DECISION).select_related(
        "school", "local_authority", "trust", "diocese", "organisation"
    )
    if not user.is_national_administrator:
        requests = requests.filter(routed_to=user)
    return requests.order_by("confirmed_at", "pk")


def access_requests_for_organisation(organisation: Organisation) -> QuerySet[AccessRequest]:
    """Undecided requests to join this organisation, whether or not they named its row yet."""
    link = {
        OrganisationKind.SCHOOL: Q(
            organisation_kind=OrganisationKind.SCHOOL, school_id=organisation.school_id
        ),
        OrganisationKind.LOCAL_AUTHORITY: Q(
            organisation_kind=OrganisationKind.LOCAL_AUTHORITY,
            local_authority_id=organisation.local_authority_id,
        ),
        OrganisationKind.ACADEMY_TRUST: Q(
            organisation_kind=OrganisationKind.ACADEMY_TRUST, trust_id=organisation.trust_id
        ),
        OrganisationKind.DIOCESE: Q(
            organisation_kind=OrganisationKind.DIOCESE, diocese_id=organisation.diocese_id
        ),
    }.get(organisation.kind)
    condition = Q(organisation=organisation) | link if link is not None else Q(organisation=organisation)
    return AccessRequest.objects.filter(condition, state=AccessRequestState.AWAITING_DECISION).select_related(
        "school", "local_authority", "trust", "diocese"
    )


def api_tokens_visible_to(user) -> QuerySet[ApiToken]:
    """The tokens this person may see and revoke: every one for a national administrator, their
    own organisations' for an organisation's administrators (accounts.manage_organisation_api_tokens)."""
    tokens = ApiToken.objects.select_related("organisation", "created_by").order_by("-created_at", "-pk")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return tokens.none()
    if user.is_national_administrator:
        return tokens
    return tokens.filter(organisation__in=[o.pk for o in administered_organisations(user)])


def administrators_of(organisation: Organisation) -> list[str]:
    """The addresses of the organisation's active administrators (accounts.rules.administers) and
    its shared inbox: whom a security notice about the organisation goes to."""
    memberships = Membership.objects.filter(organisation=organisation, user__is_active=True).select_related(
        "user", "organisation"
    )
    addresses = [m.user.email for m in memberships if administers(m, organisation)]
    if organisation.email:
        addresses.append(organisation.email)
    return list(dict.fromkeys(addresses))


@dataclass(frozen=True)
class TokenEvent:
    """One change in a token's history, for its page: when, what, and who (None: a command)."""

    at: datetime
    what: str
    who: object | None


def api_token_history(token: ApiToken) -> list[TokenEvent]:
    """The token's audit trail from its simple_history records, oldest first, in one query."""
    records = list(token.history.select_related("history_user").order_by("history_date", "history_id"))
    events, previous = [], None
    for record in records:
        if record.history_type == "+":
            what = "Created"
        elif record.history_type == "-":
            what = "Deleted"
        else:
            changes = record.diff_against(previous).changes if previous else []
            changed = {change.field for change in changes}
            if "revoked_at" in changed and record.revoked_at is not None:
                what = "Revoked"
            else:
                labels = [str(ApiToken._meta.get_field(name).verbose_name) for name in sorted(changed)]
                what = f"Changed: {', '.join(labels)}" if labels else "Saved without changes"
        events.append(TokenEvent(at=record.history_date, what=what, who=record.history_user))
        previous = record
    return events
