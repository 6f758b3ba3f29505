"""People pages: accepting an invitation, asking for access, managing an organisation's people,
answering access requests, and the person's own account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from schools.models import School

from . import queries, services
from .choices import EmailKind, OrganisationKind
from .client_ip import client_ip
from .errors import AccountsError, LinkUnusable
from .forms import (
    AccountDetailsForm,
    ApproveAccessForm,
    ChangePasswordForm,
    ChangeRoleForm,
    DeclineAccessForm,
    EmailPreferencesForm,
    InviteForm,
    NewAccountForm,
    NewPasswordForm,
    RequestAccessForm,
)
from .links import stash_token, stashed_token
from .models import AccessRequest, Invitation, Membership, Organisation, User
from .rules import grantable_roles

MODEL_BACKEND = "accounts.backends.ModelPermissionBackend"


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _form_error(form, error: AccountsError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# --- Invitations ---------------------------------------------------------------------------------


def _link_unusable(request: HttpRequest, error: LinkUnusable, *, what: str = "invitation") -> HttpResponse:
    context = {"message": error.message, "whom_to_ask": error.whom_to_ask, "what": what}
    return render(request, "accounts/link_unusable.html", context, status=error.status)


def invitation_link(request: HttpRequest, token: str) -> HttpResponse:
    return stash_token(request, "invitation", token, "accounts:invitation")


def invitation(request: HttpRequest) -> HttpResponse:
    """One page for every invitee: new people choose a name and password; people with an account
    sign in (and come back here) and accept."""
    try:
        invite = services.invitation_from_token(stashed_token(request, "invitation"))
    except LinkUnusable as error:
        return _link_unusable(request, error)
    has_account = User.objects.filter(email__iexact=invite.email).exists()
    context = {"invitation": invite, "has_account": has_account}
    user = request.user
    if user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept_invitation(invite, user=user)
            except LinkUnusable as error:
                return _link_unusable(request, error)
            except AccountsError as error:
                context["error"] = error.message
            else:
                messages.success(
                    request,
                    f"You have joined {invite.organisation} as a {invite.get_role_display().lower()}.",
                )
                return redirect("home")
        context["wrong_account"] = user.email.lower() != invite.email
        return render(request, "accounts/invitation_accept.html", context)
    if has_account:
        context["sign_in_url"] = f"{reverse('accounts:sign-in')}?next={request.path}"
        return render(request, "accounts/invitation_accept.html", context)
    form = NewAccountForm(_posted(request), email=invite.email, initial={"full_name": invite.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.accept_invitation_with_new_account(
                invite, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["new_password1"]
            )
        except LinkUnusable as error:
            return _link_unusable(request, error)
        except AccountsError as error:
            _form_error(form, error)
        else:
            login(request, new_user, backend=MODEL_BACKEND)
            messages.success(request, f"Your account is ready. You have joined {invite.organisation}.")
            return redirect("home")
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


# --- Asking for access ---------------------------------------------------------------------------


def request_access(request: HttpRequest) -> HttpResponse:
    form = RequestAccessForm(_posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_access_request_throttle(ip_address=client_ip(request), email=data["email"])
            services.request_access(
                full_name=data["full_name"],
                email=data["email"],
                organisation_kind=data["organisation_kind"],
                role=data["role"],
                reason=data["reason"],
                school=data.get("school"),
                local_authority=data.get("local_authority"),
                trust=data.get("trust"),
                diocese=data.get("diocese"),
            )
        except AccountsError as error:
            _form_error(form, error)
            status = 429 if error.field is None else 400
        else:
            # The same page whether or not the email has an account: only the email says so.
            return redirect("accounts:request-access-sent")
    return render(request, "accounts/request_access.html", {"form": form}, status=status)


def request_access_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/request_access_sent.html")


def request_access_confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    return stash_token(request, "access-request", token, "accounts:request-access-confirm")


def request_access_confirm(request: HttpRequest) -> HttpResponse:
    try:
        access_request = services.confirm_access_request(stashed_token(request, "access-request"))
    except LinkUnusable as error:
        return _link_unusable(request, error, what="confirmation link")
    return render(request, "accounts/request_access_confirmed.html", {"access_request": access_request})


@login_required
def access_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = get_object_or_404(
        AccessRequest.objects.select_related("school", "local_authority", "trust", "diocese", "decided_by"),
        pk=pk,
    )
    if not request.user.has_perm("accounts.answer_access_request", access_request):
        raise PermissionDenied
    roles = services.approver_roles(request.user, access_request)
    approve_form = ApproveAccessForm(
        request.POST if request.POST.get("decision") == "approve" else None,
        roles=roles,
        initial={"role": access_request.role if access_request.role in roles else None},
    )
    decline_form = DeclineAccessForm(request.POST if request.POST.get("decision") == "decline" else None)
    if request.method == "POST":
        try:
            if approve_form.is_bound and approve_form.is_valid():
                services.approve_access_request(
                    access_request, role=approve_form.cleaned_data["role"], actor=request.user
                )
                messages.success(
                    request, f"Approved: {access_request.full_name} has been sent an invitation."
                )
                return redirect("accounts:access-request-detail", pk=pk)
            if decline_form.is_bound and decline_form.is_valid():
                services.decline_access_request(
                    access_request, reason=decline_form.cleaned_data["reason"], actor=request.user
                )
                messages.success(request, f"Declined: {access_request.full_name} has been told why.")
                return redirect("accounts:access-request-detail", pk=pk)
        except AccountsError as error:
            _form_error(approve_form if approve_form.is_bound else decline_form, error)
    access_request.refresh_from_db()
    context = {
        "access_request": access_request,
        "approve_form": approve_form,
        "decline_form": decline_form,
        "roles": roles,
    }
    return render(request, "accounts/access_request_detail.html", context)


# --- Your organisation ---------------------------------------------------------------------------


@login_required
def organisation_chooser(request: HttpRequest) -> HttpResponse:
    managed = queries.organisations_managed_by(request.user)
    own = [m.organisation for m in request.user.active_memberships]
    own_managed = [o for o in dict.fromkeys(own) if request.user.has_perm("accounts.manage_people", o)]
    query = " ".join(request.GET.get("q", "").split())[:100]
    found = list(managed.filter(name__icontains=query).order_by("name")[:50]) if query else []
    if len(own_managed) == 1 and not query and not request.user.is_national_administrator:
        return redirect("accounts:organisation", pk=own_managed[0].pk)
    if not own_managed and not query and not managed.exists():
        raise PermissionDenied
    context = {
        "own": own_managed,
        "found": found,
        "q": query,
        "can_search": managed.count() > len(own_managed),
    }
    return render(request, "accounts/organisation_chooser.html", context)


@login_required
@require_POST
def organisation_for_school(request: HttpRequest) -> HttpResponse:
    """A school's people page, creating its organisation if it has none yet (an LA officer's
    maintained school, or any school for a national administrator)."""
    urn = request.POST.get("urn", "").strip()
    is_urn = urn.isascii() and urn.isdigit() and len(urn) <= 9
    school = School.objects.filter(pk=int(urn)).first() if is_urn else None
    if school is None:
        messages.error(request, "No school has that URN.")
        return redirect("accounts:organisation-chooser")
    candidate = Organisation(
        kind=OrganisationKind.SCHOOL, school=school, local_authority_id=school.local_authority_id
    )
    if not request.user.has_perm("accounts.manage_people", candidate):
        raise PermissionDenied
    organisation = services.organisation_for_school(school)
    return redirect("accounts:organisation", pk=organisation.pk)


def _managed_organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(
        Organisation.objects.select_related("school", "local_authority", "trust", "diocese"),
        pk=pk,
        is_active=True,
    )
    if not request.user.has_perm("accounts.manage_people", organisation):
        raise PermissionDenied
    return organisation


@login_required
def organisation_people(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    roles = grantable_roles(request.user, organisation)
    members = list(queries.members_of(organisation))
    context = {
        "organisation": organisation,
        "members": members,
        "invitations": list(queries.pending_invitations_of(organisation)),
        "access_requests": list(queries.access_requests_for_organisation(organisation)),
        "manageable_roles": roles,
        "can_invite": bool(roles),
        "can_manage_api_tokens": request.user.has_perm(
            "accounts.manage_organisation_api_tokens", organisation
        ),
    }
    return render(request, "accounts/organisation_people.html", context)


@login_required
def organisation_invite(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _managed_organisation(request, pk)
    roles = grantable_roles(request.user, organisation)
    if not roles:
        raise PermissionDenied
    form = InviteForm(_posted(request), roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invite(
                email=data["email"],
                organisation=organisation,
                role=data["role"],
                invited_by=request.user,
                full_name=data["full_name"],
            )
        except AccountsError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Invitation sent to {data['email']}.")
            return redirect("accounts:organisation", pk=organisation.pk)
    return render(request, "accounts/organisation_invite.html", {"organisation": organisation, "form": form})


def _managed_membership(request: HttpRequest, pk: int, membership_pk: int) -> Membership:
    organisation = _managed_organisation(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=membership_pk, organisation=organisation
    )
    if membership.user_id == request.user.pk or membership.role not in grantable_roles(
        request.user, organisation
    ):
        raise PermissionDenied
    return membership


@login_required
def membership_change_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk, membership_pk)
    roles = [r for r in grantable_roles(request.user, membership.organisation) if r != membership.role]
    form = ChangeRoleForm(_posted(request), roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_role(membership, role=form.cleaned_data["role"], actor=request.user)
        except AccountsError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{membership.user}'s role has been changed.")
            return redirect("accounts:organisation", pk=pk)
    return render(request, "accounts/membership_change_role.html", {"membership": membership, "form": form})


@login_required
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = _managed_membership(request, pk, membership_pk)
    error = None
    if request.method == "POST":
        try:
            services.remove_member(membership, actor=request.user)
        except AccountsError as refused:
            error = refused.message
        else:
            messages.success(
                request, f"{membership.user} is no longer a {membership.get_role_display().lower()} here."
            )
            return redirect("accounts:organisation", pk=pk)
    return render(request, "accounts/membership_remove.html", {"membership": membership, "error": error})


def _managed_invitation(request: HttpRequest, pk: int, invitation_pk: int) -> Invitation:
    organisation = _managed_organisation(request, pk)
    invite = get_object_or_404(
        Invitation.objects.select_related("organisation"), pk=invitation_pk, organisation=organisation
    )
    if invite.role not in grantable_roles(request.user, organisation):
        raise PermissionDenied
    return invite


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    invite = _managed_invitation(request, pk, invitation_pk)
    try:
        services.resend_invitation(invite)
    except AccountsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Invitation sent again to {invite.email}.")
    return redirect("accounts:organisation", pk=pk)


@login_required
def invitation_cancel(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    invite = _managed_invitation(request, pk, invitation_pk)
    if request.method == "POST":
        try:
            services.cancel_invitation(invite, actor=request.user)
        except AccountsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The invitation to {invite.email} has been cancelled.")
        return redirect("accounts:organisation", pk=pk)
    return render(request, "accounts/invitation_cancel.html", {"invitation": invite})


# --- Your account --------------------------------------------------------------------------------


@login_required
def your_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    details_form = AccountDetailsForm(
        request.POST if request.POST.get("form") == "details" else None,
        initial={"full_name": user.full_name, "phone": user.phone},
    )
    emails_form = EmailPreferencesForm(
        request.POST if request.POST.get("form") == "emails" else None,
        initial={"wanted": [k for k in EmailKind.values if k not in (user.email_opt_outs or [])]},
    )
    if request.method == "POST":
        try:
            if details_form.is_bound and details_form.is_valid():
                services.update_details(user, **details_form.cleaned_data)
                messages.success(request, "Your details have been saved.")
                return redirect("accounts:you")
            if emails_form.is_bound and emails_form.is_valid():
                services.set_email_preferences(user, wanted=emails_form.cleaned_data["wanted"])
                messages.success(request, "Your email choices have been saved.")
                return redirect("accounts:you")
        except AccountsError as error:
            _form_error(details_form if details_form.is_bound else emails_form, error)
    memberships = user.memberships.select_related("organisation").order_by("organisation__name", "role")
    context = {
        "details_form": details_form,
        "emails_form": emails_form,
        "memberships": memberships,
        "active_nav": "you",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/your_account.html", context, status=status)


@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:you")
    return render(request, "accounts/change_password.html", {"form": form})


def set_password_link(request: HttpRequest, token: str) -> HttpResponse:
    return stash_token(request, "set-password", token, "accounts:set-password")


def set_password(request: HttpRequest) -> HttpResponse:
    """The first password for an account someone else made (e.g. for a designated leader)."""
    try:
        person = services.user_from_set_password_token(stashed_token(request, "set-password"))
    except LinkUnusable as error:
        return _link_unusable(request, error, what="link")
    form = NewPasswordForm(person, _posted(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, person, backend=MODEL_BACKEND)
        messages.success(request, "Your password is set. You are signed in.")
        return redirect("home")
    return render(request, "accounts/set_password.html", {"form": form, "person": person})
