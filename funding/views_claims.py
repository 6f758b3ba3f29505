"""Pages for claims: the claims a person may see, a deployment's claims, making a claim (the period,
then a check of what it comes to with the costs and their evidence), one claim with its history,
and its evidence files. The actions on a claim are in ``views_claim_actions``.

Every page loads what it shows from what the user may see (404 otherwise) and checks the
permission the service checks (403 otherwise); a refusal the service still makes is shown as a
form error on the field it names."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from accounts.choices import SCHOOL_FINANCE_ROLES
from deployments.choices import AgreementStatus
from deployments.models import Agreement, Deployment, TimeEntry
from deployments.queries import deployments_visible_to
from deployments.services import current_agreement, days_allowed, days_used
from govuk.forms import add_service_error
from govuk.lists import FilteredListMixin
from govuk.pagination import GovukPaginationMixin
from submissions.views import SubmitOnceMixin

from . import services
from .choices import UNDECIDED_CLAIM_STATES, ClaimState
from .errors import FundingError
from .forms_claims import ClaimFilterSet, ClaimForm, ClaimPeriodForm, prepare_claim_filter_form
from .models import Claim, ClaimLine, Payment
from .rules import SCHOOL_KINDS, decide_refusal, sees_evidence

NAV = {"active_nav": "claims"}
LIST_RELATIONS = (
    "claiming_school",
    "deployment__supported_school",
    "deployment__leader",
    "deployment__designation__designation_type",
)


# --- the list ------------------------------------------------------------------------------------


class ClaimListView(LoginRequiredMixin, FilteredListMixin, GovukPaginationMixin, ListView):
    template_name = "funding/claims/claim_list.html"
    context_object_name = "claims"
    paginate_by = 25
    filterset_class = ClaimFilterSet
    extra_context = NAV

    def visible_queryset(self) -> QuerySet[Claim]:
        return services.claims_visible_to(self.request.user).select_related(*LIST_RELATIONS)

    def prepare_filter_form(self, form, visible: QuerySet[Claim]) -> None:
        prepare_claim_filter_form(form)

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            clear_url=reverse("claims:claim-list"),
            claimable=claimable_deployments(self.request.user),
            sees_school_payments=self.request.user.has_perm("funding.view_school_payments"),
            **kwargs,
        )


CLAIMABLE_SHOWN = 20


def claimable_deployments(user) -> list[Deployment]:
    """The deployments whose current agreed version pays a school this person claims for (its head
    or business manager): where they make a claim, since a business manager does not see the
    deployments pages. One query."""
    schools = {
        m.organisation.school_id
        for m in getattr(user, "active_memberships", [])
        if m.role in SCHOOL_FINANCE_ROLES and m.organisation.kind in SCHOOL_KINDS and m.organisation.school_id
    }
    if not schools:
        return []
    payee = (
        Agreement.objects.filter(deployment=OuterRef("pk"), status=AgreementStatus.AGREED)
        .order_by("-version")
        .values("payee_school_id")[:1]
    )
    return list(
        Deployment.objects.annotate(payee=Subquery(payee))
        .filter(payee__in=schools)
        .select_related("designation__designation_type", "leader", "supported_school")
        .order_by("-starts_on", "-pk")[:CLAIMABLE_SHOWN]
    )


# --- a deployment's claims -----------------------------------------------------------------------


class DeploymentClaimsMixin(LoginRequiredMixin):
    """Loads the deployment in the URL when the user may see it and its claims (404 otherwise)."""

    extra_context = NAV

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.deployment = self.load_deployment(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def load_deployment(self, user, pk: int) -> Deployment:
        """Everyone who may see the deployment's claims (``funding.view_deployment_claims``): its
        schools' heads, leaders and business managers (who see its claims, not always the
        deployment), the commissioner, the broker and national administrators."""
        deployment = get_object_or_404(
            Deployment.objects.select_related(
                "designation__designation_type", "leader", "leader_school", "supported_school", "commissioner"
            ),
            pk=pk,
        )
        self.sees_deployment = deployments_visible_to(user).filter(pk=pk).exists()
        if not user.has_perm("funding.view_deployment_claims", deployment):
            raise Http404("No such deployment.")
        return deployment


def deployment_days(deployment: Deployment) -> dict:
    """Days agreed (with variations), logged, claimed by live claims, and logged but unclaimed."""
    unclaimed = TimeEntry.objects.filter(deployment=deployment, claimed_by__isnull=True).aggregate(
        t=Sum("days")
    )
    allowed = days_allowed(deployment)
    return {
        "days_agreed": deployment.days_agreed,
        "days_extra": allowed - deployment.days_agreed,
        "days_allowed": allowed,
        "days_logged": days_used(deployment),
        "days_claimed": services.days_claimed(deployment),
        "days_unclaimed": unclaimed["t"] or Decimal(0),
    }


class DeploymentClaimsView(DeploymentClaimsMixin, View):
    template_name = "funding/claims/deployment_claims.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        deployment = self.deployment
        claims = Claim.objects.filter(deployment=deployment).select_related("claiming_school")
        context = {
            **NAV,
            "deployment": deployment,
            "claims": claims,
            "may_claim": request.user.has_perm("funding.claim", deployment),
            "sees_deployment": self.sees_deployment,
            "agreement": current_agreement(deployment),
            **deployment_days(deployment),
        }
        return render(request, self.template_name, context)


# --- making a claim ------------------------------------------------------------------------------


class ClaimCreateView(SubmitOnceMixin, DeploymentClaimsMixin, View):
    """Step one (GET): the period, and what the time logged in it comes to. Step two (POST, on the
    same page): the costs with their evidence, a note and the confirmation; then the claim."""

    template_name = "funding/claims/claim_form.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.require_claimant()
        has_period = any(key.startswith("period_") for key in request.GET)
        period = ClaimPeriodForm(request.GET if has_period else None)
        draft, form = None, None
        if has_period and period.is_valid():
            draft = self.draft_or_error(period)
            if draft is not None:
                form = self.claim_form(initial=period.cleaned_data)
        return self.render_page(period, draft, form)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.require_claimant()
        form = self.claim_form(data=request.POST, files=request.FILES)
        period = ClaimPeriodForm(request.POST)
        period.is_valid()
        draft = self.draft_or_error(period) if not period.errors else None
        if form.is_valid() and draft is not None:
            try:
                claim = services.submit_claim(
                    self.deployment,
                    actor=request.user,
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                    costs=form.costs(),
                    note=form.cleaned_data["note"],
                )
            except FundingError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, f"Claim {claim.reference} is submitted: the commissioner has been told."
                )
                return redirect("claims:claim-detail", pk=claim.pk)
        return self.render_page(period, draft, form if draft is not None else None)

    def require_claimant(self) -> None:
        if not self.request.user.has_perm("funding.claim", self.deployment):
            raise PermissionDenied

    def claim_form(self, **kwargs) -> ClaimForm:
        agreement = current_agreement(self.deployment)
        cost_lines = list(agreement.cost_lines.all()) if agreement else []
        return ClaimForm(cost_lines=cost_lines, **kwargs)

    def draft_or_error(self, period: ClaimPeriodForm) -> services.ClaimDraft | None:
        """What the period comes to from the time logged; a refusal goes on the period's field."""
        try:
            return services.draft_claim(self.deployment, **period.cleaned_data)
        except FundingError as error:
            add_service_error(period, error)
            return None

    def render_page(self, period, draft, form) -> HttpResponse:
        context = {
            **NAV,
            "deployment": self.deployment,
            "period": period,
            "draft": draft,
            "form": form or period,
            "claim_form": form,
            "second_approval_above": services.second_approval_above(),
            **deployment_days(self.deployment),
        }
        return render(self.request, self.template_name, context)


# --- one claim -----------------------------------------------------------------------------------


def visible_claim(user, pk: int) -> Claim:
    """The claim, for those who may see it (404 for everyone else)."""
    claim = get_object_or_404(
        services.claims_visible_to(user).select_related(
            "agreement",
            "submitted_by",
            "deployment__leader",
            "deployment__leader_school",
            "deployment__supported_school",
            "deployment__designation__designation_type",
        ),
        pk=pk,
    )
    if not user.has_perm("funding.view_claim", claim):
        raise Http404("No such claim.")
    return claim


def action_links_for(user, claim: Claim) -> list[dict]:
    """The actions this user may take on this claim now (see ``views_claim_actions.ACTIONS``)."""
    from .views_claim_actions import ACTIONS, action_available

    return [
        {"label": action["title"], "url": reverse("claims:claim-action", args=[claim.pk, slug])}
        for slug, action in ACTIONS.items()
        if user.has_perm(action["permission"], claim) and action_available(action, claim)
    ]


class ClaimDetailView(LoginRequiredMixin, View):
    template_name = "funding/claims/claim_detail.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        claim = visible_claim(user, kwargs["pk"])
        lines = list(claim.lines.select_related("cost_line"))
        refusal = ""
        if claim.state in UNDECIDED_CLAIM_STATES | {ClaimState.APPROVED}:
            refusal = decide_refusal(user, claim) if _is_funder(user, claim) else ""
        context = {
            **NAV,
            "claim": claim,
            "deployment": claim.deployment,
            "lines": lines,
            "events": list(claim.events.select_related("actor", "api_organisation")),
            "approvals": list(claim.approvals.select_related("approver", "api_organisation")),
            "payment": Payment.objects.filter(claim=claim).select_related("recorded_by").first(),
            "sees_evidence": user.has_perm("funding.view_evidence", claim),
            "action_links": action_links_for(user, claim),
            "decide_refusal": refusal,
            "needs_two": claim.total > services.second_approval_above(),
            "second_approval_above": services.second_approval_above(),
            "is_paid": claim.state == ClaimState.PAID,
        }
        return render(request, self.template_name, context)


def _is_funder(user, claim: Claim) -> bool:
    """Acts for the commissioner (or nationally): the people to tell why they may not decide."""
    from brokerage.rules import COMMISSIONER_ROLES, is_member

    return is_member(user, claim.commissioner_id, COMMISSIONER_ROLES) or user.is_national_administrator


class EvidenceView(LoginRequiredMixin, View):
    """A line's evidence file, for the claiming school, the commissioner and national
    administrators (404 for anyone else), always as a download."""

    def get(self, request: HttpRequest, *args, **kwargs) -> FileResponse:
        claim = visible_claim(request.user, kwargs["pk"])
        if not (request.user.has_perm("funding.view_evidence", claim) and sees_evidence(request.user, claim)):
            raise Http404("No such file.")
        line = get_object_or_404(ClaimLine, pk=kwargs["line_pk"], claim=claim)
        if not line.evidence:
            raise Http404("No evidence was uploaded.")
        try:
            handle = line.evidence.open("rb")
        except FileNotFoundError as error:
            raise Http404("The file is no longer stored.") from error
        return FileResponse(
            handle,
            as_attachment=True,
            filename=line.evidence_name or "evidence",
            content_type=line.evidence_content_type or "application/octet-stream",
        )
