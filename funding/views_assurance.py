"""Pages for the assurance of paid claims. National administrators draw samples, see each draw and
sample, record outcomes and approve (a second administrator) and complete clawbacks; the claiming
school's head or business manager gives the evidence for its sampled claim on its own page.

Administrators' pages refuse everyone else (403). The school's page is a 404 for anyone who
cannot see the claiming school, a 403 for those who see it but do not claim for it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView

from govuk.forms import add_service_error
from govuk.pagination import GovukPaginationMixin
from submissions.views import SubmitOnceMixin

from .choices import ClawbackState, SampleState
from .errors import FundingError
from .forms_assurance import CompleteClawbackForm, DrawForm, EvidenceForm, OutcomeForm, new_seed
from .forms_bursaries import ConfirmForm
from .models import Clawback, Sample, SampleDraw
from .rules import claims_for_school, sees_school
from .services import assurance as services

NAV = {"active_nav": "assurance"}


class AssuresClaimsMixin(LoginRequiredMixin):
    """National administrators only (``funding.assure_claims``): 403 for anyone else."""

    extra_context = NAV

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("funding.assure_claims"):
            raise PermissionDenied
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Load the object in the URL (404 when there is none)."""


class ServiceFormMixin:
    """A form whose service refusals become form errors, then a message and a redirect."""

    success_message = ""

    def form_valid(self, form) -> HttpResponse:
        try:
            self.perform(form)
        except FundingError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.success_url_for())


def samples_with_relations() -> QuerySet[Sample]:
    return Sample.objects.select_related(
        "draw", "claim__claiming_school", "claim__commissioner", "claim__payment", "clawback", "decided_by"
    )


# --- draws ---------------------------------------------------------------------------------------


class DrawListView(AssuresClaimsMixin, GovukPaginationMixin, ListView):
    template_name = "funding/assurance/draw_list.html"
    context_object_name = "draws"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[SampleDraw]:
        return (
            SampleDraw.objects.select_related("drawn_by")
            .annotate(
                sampled=Count("samples"),
                failed=Count("samples", filter=Q(samples__state=SampleState.FAILED)),
                open=Count(
                    "samples",
                    filter=Q(
                        samples__state__in=[SampleState.EVIDENCE_REQUESTED, SampleState.EVIDENCE_RECEIVED]
                    ),
                ),
            )
            .order_by("-drawn_at", "-pk")
        )

    def get_context_data(self, **kwargs) -> dict:
        waiting = Clawback.objects.filter(state=ClawbackState.AWAITING_APPROVAL).count()
        return super().get_context_data(clawbacks_waiting=waiting, **kwargs)


class DrawCreateView(SubmitOnceMixin, ServiceFormMixin, AssuresClaimsMixin, FormView):
    template_name = "funding/assurance/draw_form.html"
    form_class = DrawForm
    success_message = "The sample is drawn: each sampled claim's school has been asked for its evidence."

    def get_initial(self) -> dict:
        today = timezone.localdate()
        return {"rate": 10, "seed": new_seed(), "paid_from": today.replace(day=1), "paid_to": today}

    def perform(self, form: DrawForm) -> None:
        self.draw = services.draw_sample(actor=self.request.user, **form.cleaned_data)

    def success_url_for(self) -> str:
        return reverse("assurance:draw-detail", args=[self.draw.pk])


class DrawDetailView(AssuresClaimsMixin, ListView):
    template_name = "funding/assurance/draw_detail.html"
    context_object_name = "samples"

    def load(self, **kwargs) -> None:
        self.draw = get_object_or_404(SampleDraw.objects.select_related("drawn_by"), pk=kwargs["pk"])

    def get_queryset(self) -> QuerySet[Sample]:
        return samples_with_relations().filter(draw=self.draw).order_by("claim_id")

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(draw=self.draw, **kwargs)


# --- one sample ----------------------------------------------------------------------------------


class SampleDetailView(SubmitOnceMixin, ServiceFormMixin, AssuresClaimsMixin, FormView):
    """The sample, its evidence and clawback, and the outcome form while it is undecided."""

    template_name = "funding/assurance/sample_detail.html"
    form_class = OutcomeForm

    def load(self, **kwargs) -> None:
        self.sample = get_object_or_404(samples_with_relations(), pk=kwargs["pk"])

    def get_context_data(self, **kwargs) -> dict:
        sample = self.sample
        clawback = getattr(sample, "clawback", None)
        user = self.request.user
        return super().get_context_data(
            sample=sample,
            claim=sample.claim,
            clawback=clawback,
            decidable=sample.state in {SampleState.EVIDENCE_REQUESTED, SampleState.EVIDENCE_RECEIVED},
            own_refusal=services.own_sample_refusal(user, sample),
            approve_refusal=services.second_approval_refusal(user, clawback) if clawback else "",
            **kwargs,
        )

    def perform(self, form: OutcomeForm) -> None:
        passed = form.cleaned_data["outcome"] == "passed"
        services.record_sample_outcome(
            self.sample,
            actor=self.request.user,
            passed=passed,
            note=form.cleaned_data["note"],
            clawback_amount=None if passed else form.cleaned_data["clawback_amount"],
        )
        self.success_message = (
            "The sample passed."
            if passed
            else "The sample failed: a clawback is open, for a second administrator to approve."
        )

    def success_url_for(self) -> str:
        return reverse("assurance:sample-detail", args=[self.sample.pk])


class SampleEvidenceFileView(LoginRequiredMixin, View):
    """The evidence file, for national administrators and the claiming school's head or business
    manager; a 404 for everyone else."""

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        sample = get_object_or_404(Sample.objects.select_related("claim"), pk=kwargs["pk"])
        may = request.user.has_perm("funding.assure_claims") or claims_for_school(
            request.user, sample.claim.claiming_school_id
        )
        if not may or not sample.evidence:
            raise Http404("No such evidence.")
        return FileResponse(
            sample.evidence.open("rb"),
            as_attachment=True,
            filename=sample.evidence_name or "evidence",
            content_type=sample.evidence_content_type or "application/octet-stream",
        )


# --- clawbacks -----------------------------------------------------------------------------------


class ClawbackListView(AssuresClaimsMixin, GovukPaginationMixin, ListView):
    template_name = "funding/assurance/clawback_list.html"
    context_object_name = "clawbacks"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Clawback]:
        clawbacks = Clawback.objects.select_related(
            "sample__claim__claiming_school", "opened_by", "approved_by"
        ).order_by("-opened_at", "-pk")
        state = self.request.GET.get("state", "")
        self.state = state if state in ClawbackState.values else ""
        return clawbacks.filter(state=self.state) if self.state else clawbacks

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(states=ClawbackState.choices, state=self.state, **kwargs)


class ClawbackActionView(SubmitOnceMixin, ServiceFormMixin, AssuresClaimsMixin, FormView):
    def load(self, **kwargs) -> None:
        self.clawback = get_object_or_404(
            Clawback.objects.select_related("sample__claim__claiming_school", "opened_by"), pk=kwargs["pk"]
        )

    def get_context_data(self, **kwargs) -> dict:
        clawback = self.clawback
        return super().get_context_data(
            clawback=clawback,
            claim=clawback.sample.claim,
            approve_refusal=services.second_approval_refusal(self.request.user, clawback),
            **kwargs,
        )

    def success_url_for(self) -> str:
        return reverse("assurance:sample-detail", args=[self.clawback.sample_id])


class ClawbackApproveView(ClawbackActionView):
    template_name = "funding/assurance/clawback_approve.html"
    form_class = ConfirmForm
    success_message = "The clawback is approved: the school has been asked to repay."

    def perform(self, form) -> None:
        services.approve_clawback(self.clawback, actor=self.request.user)


class ClawbackCompleteView(ClawbackActionView):
    template_name = "funding/assurance/clawback_complete.html"
    form_class = CompleteClawbackForm
    success_message = "The repayment is recorded: the clawback is complete."

    def perform(self, form) -> None:
        services.complete_clawback(
            self.clawback,
            actor=self.request.user,
            repayment_reference=form.cleaned_data["repayment_reference"],
        )


# --- the claiming school's evidence --------------------------------------------------------------


class SampleEvidenceView(SubmitOnceMixin, ServiceFormMixin, LoginRequiredMixin, FormView):
    """The claiming school's head or business manager gives the evidence for its sampled claim."""

    template_name = "funding/assurance/sample_evidence.html"
    form_class = EvidenceForm
    success_message = "Thank you: your evidence has been sent to the national administrators."

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.sample = get_object_or_404(samples_with_relations(), pk=kwargs["pk"])
        school_id = self.sample.claim.claiming_school_id
        if not claims_for_school(request.user, school_id):
            if sees_school(request.user, school_id) or request.user.has_perm("funding.assure_claims"):
                raise PermissionDenied
            raise Http404("No such sample.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        sample = self.sample
        return super().get_context_data(
            sample=sample,
            claim=sample.claim,
            clawback=getattr(sample, "clawback", None),
            may_give=sample.state in {SampleState.EVIDENCE_REQUESTED, SampleState.EVIDENCE_RECEIVED},
            **kwargs,
        )

    def perform(self, form: EvidenceForm) -> None:
        services.give_sample_evidence(
            self.sample,
            actor=self.request.user,
            file=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )

    def success_url_for(self) -> str:
        return reverse("assurance:sample-evidence", args=[self.sample.pk])
