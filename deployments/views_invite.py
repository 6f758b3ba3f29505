"""The broker invites someone who can agree for a party that has nobody in the service yet (e.g. the
supported school's headteacher named in GIAS), from the deployment's agreement pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic.base import ContextMixin

from accounts import services as account_services
from accounts.choices import ROLES_BY_ORGANISATION_KIND, Role
from accounts.errors import AccountsError
from accounts.forms import InviteForm
from accounts.models import Organisation
from submissions.views import SubmitOnceMixin

from .choices import FINISHED_STATES, Party
from .queries import SCHOOL_KINDS
from .views import DeploymentMixin

# The roles a broker may invite someone into, per party: enough to agree for it, and no more.
SCHOOL_ROLES_TO_INVITE = (Role.HEADTEACHER, Role.SCHOOL_LEADER)
COMMISSIONER_ROLES_TO_INVITE = (Role.COMMISSIONER,)


def party_organisation(deployment, party: str) -> Organisation:
    """The organisation whose people agree for the party; a school's is created if it has none."""
    if party == Party.COMMISSIONER:
        return deployment.commissioner
    school = deployment.supported_school if party == Party.SUPPORTED_SCHOOL else deployment.leader_school
    existing = (
        Organisation.objects.filter(school=school, kind__in=sorted(SCHOOL_KINDS), is_active=True)
        .order_by("kind", "pk")
        .first()
    )
    return existing or account_services.organisation_for_school(school)


def roles_to_invite(party: str, organisation: Organisation) -> list[str]:
    wanted = COMMISSIONER_ROLES_TO_INVITE if party == Party.COMMISSIONER else SCHOOL_ROLES_TO_INVITE
    allowed = ROLES_BY_ORGANISATION_KIND.get(organisation.kind, set())
    return [role for role in wanted if role in allowed]


def _gias_head(school) -> str:
    return " ".join(part for part in (school.head_first_name, school.head_last_name) if part)


class PartyInviteView(SubmitOnceMixin, DeploymentMixin, ContextMixin, View):
    """GET: the invitation form for one party (the GIAS headteacher suggested for a school).
    POST: send it; back to the page the broker came from."""

    permission = "deployments.invite_party"
    template_name = "deployments/party_invite.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if kwargs["party"] not in Party.values:
            raise Http404("No such party.")
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self) -> bool:
        return super().has_permission() and self.deployment.state not in FINISHED_STATES

    def _party(self) -> Party:
        return Party(self.kwargs["party"])

    def _school(self):
        party = self._party()
        if party == Party.COMMISSIONER:
            return None
        deployment = self.deployment
        return deployment.supported_school if party == Party.SUPPORTED_SCHOOL else deployment.leader_school

    def _form(self, organisation: Organisation, data=None) -> InviteForm:
        school = self._school()
        initial = {"full_name": _gias_head(school), "role": Role.HEADTEACHER} if school else {}
        return InviteForm(data, roles=roles_to_invite(self._party(), organisation), initial=initial)

    def _render(self, form: InviteForm, organisation: Organisation) -> HttpResponse:
        school = self._school()
        context = self.get_context_data(
            form=form,
            party=self._party(),
            organisation=organisation,
            gias_head=_gias_head(school) if school else "",
            school=school,
            back_url=self._back_url(),
        )
        return render(self.request, self.template_name, context)

    def _back_url(self) -> str:
        back = self.request.POST.get("next") or self.request.GET.get("next") or ""
        prefix = f"/deployments/{self.deployment.pk}/"
        return back if back.startswith(prefix) else prefix

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        organisation = party_organisation(self.deployment, self._party())
        return self._render(self._form(organisation), organisation)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        organisation = party_organisation(self.deployment, self._party())
        form = self._form(organisation, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                account_services.invite(
                    email=data["email"],
                    organisation=organisation,
                    role=data["role"],
                    invited_by=request.user,
                    full_name=data["full_name"],
                )
            except AccountsError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    f"Invitation sent to {data['email']}. Once they accept, they can agree for "
                    f"{self._party().label.lower()} from their tasks page.",
                )
                return redirect(self._back_url())
        return self._render(form, organisation)
