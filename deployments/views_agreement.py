"""The three-party agreement: the broker drafts it and sends it, each party agrees it or asks for
changes, and once agreed the broker may start a new version to be agreed again."""

from __future__ import annotations

from django.contrib import messages
from django.forms import BaseForm
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import FormView
from django.views.generic.base import ContextMixin

from accounts.models import Organisation
from govuk.forms import add_service_error
from refusals import Refusal
from submissions.views import SubmitOnceMixin

from . import services
from .choices import FINISHED_STATES, AgreementStatus, DeploymentState, Party, TimeBasis
from .errors import DeploymentError
from .forms import (
    AgreementTermsForm,
    CostLineFormSet,
    ObjectiveFormSet,
    RequestChangesForm,
    StaffFormSet,
    cost_line_initial,
    objective_initial,
    with_extra_row,
)
from .models import Agreement, Objective
from .queries import party_people
from .rules import parties_of, recordable_parties, sees_money
from .views import DeploymentMixin


def _without_errors(*forms_or_formsets) -> None:
    """Show posted values again without validating them (after "Add another")."""
    for item in forms_or_formsets:
        if isinstance(item, BaseForm):
            item._errors = ErrorDict()
            continue
        item._errors, item._non_form_errors = [], ErrorList()
        for form in item.forms:
            form._errors = ErrorDict()


class AgreementEditView(SubmitOnceMixin, DeploymentMixin, ContextMixin, View):
    """The broker drafts the agreement (or the next version of it) and sends it for agreement."""

    permission = "deployments.manage_deployment"
    template_name = "deployments/agreement_form.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        deployment = self.deployment
        draft = services.open_agreement(deployment)
        if draft is not None and draft.status == AgreementStatus.AWAITING_AGREEMENT:
            messages.info(request, "This version is with the parties: ask for changes before editing it.")
            return redirect("deployments:agreement-version", pk=deployment.pk, version=draft.version)
        if draft is None and services.current_agreement(deployment) is not None:
            return redirect("deployments:agreement-new-version", pk=deployment.pk)
        if draft is not None:
            terms = AgreementTermsForm.initial_from(draft)
            objectives = objective_initial(list(draft.objectives.all()))
            staff = [
                {"name": s.name, "role": s.role, "email": s.user.email if s.user else "", "days": s.days}
                for s in draft.staff.select_related("user")
            ]
            costs = cost_line_initial(draft)
        else:
            request_ = deployment.support_request
            terms = {
                "time_basis": TimeBasis.DAYS_PER_WEEK,
                "rate_basis": "day_rate",
                "payer": deployment.commissioner_id,
                "payee_school": deployment.leader_school_id,
                "starts_on": request_.preferred_start_on,
            }
            objectives, staff, costs = [], [], []
        return self.render_page(
            AgreementTermsForm(initial=terms, **self.terms_kwargs()),
            ObjectiveFormSet(initial=objectives, prefix="objectives"),
            StaffFormSet(initial=staff, prefix="staff"),
            CostLineFormSet(initial=costs, prefix="cost_lines"),
            draft=draft,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        data = request.POST
        if "add_objective" in data:
            data = with_extra_row(data, "objectives")
        if "add_staff" in data:
            data = with_extra_row(data, "staff")
        if "add_cost" in data:
            data = with_extra_row(data, "cost_lines")
        terms_form = AgreementTermsForm(data, **self.terms_kwargs())
        objective_formset = ObjectiveFormSet(data, prefix="objectives")
        staff_formset = StaffFormSet(data, prefix="staff")
        cost_formset = CostLineFormSet(data, prefix="cost_lines")
        formsets = (objective_formset, staff_formset, cost_formset)
        draft = services.open_agreement(self.deployment)
        if "add_objective" in data or "add_staff" in data or "add_cost" in data:
            _without_errors(terms_form, *formsets)
            return self.render_page(terms_form, *formsets, draft=draft)
        valid = [terms_form.is_valid(), *(formset.is_valid() for formset in formsets)]
        if not all(valid):
            return self.render_page(terms_form, *formsets, draft=draft)
        try:
            agreement = services.save_draft(
                self.deployment,
                actor=request.user,
                terms=dict(terms_form.cleaned_data),
                objectives=self.objectives(objective_formset),
                staff=self.staff(staff_formset),
                cost_lines=self.cost_lines(cost_formset),
            )
        except DeploymentError as error:
            add_service_error(terms_form, error)
            return self.render_page(terms_form, *formsets, draft=draft)
        if "send" not in data:
            messages.success(request, f"Draft version {agreement.version} saved.")
            return redirect("deployments:agreement-version", pk=self.deployment.pk, version=agreement.version)
        try:
            services.send_for_agreement(agreement, actor=request.user)
        except DeploymentError as error:
            if error.field == "days_per_week" and agreement.time_basis == TimeBasis.TOTAL_DAYS:
                error.field = "total_days"
            add_service_error(terms_form, error)
            return self.render_page(terms_form, *formsets, draft=agreement, saved_not_sent=True)
        messages.success(request, f"Version {agreement.version} has been sent to the three parties to agree.")
        return redirect("deployments:agreement-version", pk=self.deployment.pk, version=agreement.version)

    def terms_kwargs(self) -> dict:
        return {
            "payers": Organisation.objects.filter(is_active=True).order_by("name"),
            "payees": services.payee_schools(self.deployment),
        }

    def objectives(self, formset) -> list[services.ObjectiveData]:
        known = set(
            Objective.objects.filter(agreement__deployment=self.deployment).values_list("pk", flat=True)
        )
        return [
            services.ObjectiveData(
                description=f.cleaned_data["description"],
                success_measure=f.cleaned_data["success_measure"],
                target_on=f.cleaned_data["target_on"],
                carried_from_id=f.cleaned_data.get("carried_from")
                if f.cleaned_data.get("carried_from") in known
                else None,
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    @staticmethod
    def staff(formset) -> list[services.StaffData]:
        return [
            services.StaffData(
                name=f.cleaned_data["name"],
                role=f.cleaned_data["role"],
                user_id=f.user_id(),
                days=f.cleaned_data.get("days"),
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    @staticmethod
    def cost_lines(formset) -> list[services.CostLineData]:
        return [
            services.CostLineData(
                kind=f.cleaned_data["kind"],
                description=f.cleaned_data.get("description", ""),
                days=f.cleaned_data["days"],
                day_rate=f.cleaned_data["day_rate"],
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def render_page(
        self, terms_form, objective_formset, staff_formset, cost_formset, *, draft, saved_not_sent=False
    ):
        formsets = (objective_formset, staff_formset, cost_formset)
        context = self.get_context_data(
            form=terms_form,
            objective_formset=objective_formset,
            staff_formset=staff_formset,
            cost_formset=cost_formset,
            draft=draft,
            saved_not_sent=saved_not_sent,
            has_errors=bool(
                terms_form.errors
                or any(any(f.errors) or f.non_form_errors() for f in formsets)
            ),
        )
        return render(self.request, self.template_name, context)


class AgreementMixin(DeploymentMixin):
    """A version of the deployment's agreement: the one in the URL, else the one being agreed,
    else the agreed one, else the latest."""

    def get_agreement(self) -> Agreement | None:
        agreements = self.deployment.agreements.select_related(
            "payer", "payee_school", "drafted_by"
        ).prefetch_related("staff", "cost_lines")
        version = self.kwargs.get("version")
        if version is not None:
            return get_object_or_404(agreements, version=version)
        chosen = (
            services.open_agreement(self.deployment)
            or services.current_agreement(self.deployment)
            or self.deployment.agreements.order_by("-version").first()
        )
        return None if chosen is None else agreements.get(pk=chosen.pk)


class AgreementDetailView(AgreementMixin, ContextMixin, View):
    """One version, who has agreed it, and for each party the user acts for, "Agree as ..."."""

    template_name = "deployments/agreement_detail.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render_page(self.get_agreement())

    def render_page(
        self, agreement: Agreement | None, *, error: str = "", overrun_error: str = ""
    ) -> HttpResponse:
        user, deployment = self.request.user, self.deployment
        is_broker = user.has_perm("deployments.manage_deployment", deployment)
        parties = parties_of(user, deployment)
        context = {
            "agreement": agreement, "is_broker": is_broker, "error": error, "overrun_error": overrun_error
        }
        if agreement is not None:
            signoffs = {
                s.party: s for s in agreement.signoffs.select_related("agreed_by", "recorded__recorded_by")
            }
            waiting = agreement.status == AgreementStatus.AWAITING_AGREEMENT
            open_version = agreement.status in {AgreementStatus.DRAFT, AgreementStatus.AWAITING_AGREEMENT}
            recordable = set(recordable_parties(user, deployment)) if waiting else set()
            context |= {
                "party_rows": party_people(deployment) if open_version else [],
                "show_contacts": user.has_perm("deployments.view_contacts", deployment),
                "may_record_for": [p for p in Party.values if p in recordable and p not in signoffs],
                "sees_copies": user.has_perm("deployments.view_recorded_copy", deployment),
                "objectives": list(agreement.objectives.all()),
                "staff": list(agreement.staff.all()),
                "signoffs": [{"party": Party(p), "signoff": signoffs.get(p)} for p in Party.values],
                "agree_as": [
                    Party(p) for p in Party.values if waiting and p in parties and p not in signoffs
                ],
                "may_ask_for_changes": waiting and (bool(parties) or is_broker),
                "may_edit": is_broker and agreement.status == AgreementStatus.DRAFT,
                "may_send": is_broker and agreement.status == AgreementStatus.DRAFT,
                "may_change": is_broker
                and agreement.status == AgreementStatus.AGREED
                and services.open_agreement(deployment) is None
                and deployment.state not in FINISHED_STATES | {DeploymentState.AWAITING_FINAL_EVALUATION},
                "sees_money": sees_money(user, deployment) or bool(parties),
                # The parties see what they agree to pay; the budget and any overrun are for the
                # broker, the commissioner and national administrators.
                "show_overrun": sees_money(user, deployment),
                "costs": agreement.cost_summary(budget=deployment.support_request.budget),
                "versions": list(deployment.agreements.order_by("-version")),
            }
        return render(self.request, self.template_name, self.get_context_data(**context))


class AgreementPrintView(AgreementDetailView):
    """The version on one page to print or save as a PDF: the parties, the terms, the costs (for
    those who see money) and who agreed it."""

    template_name = "deployments/agreement_print.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        agreement = self.get_agreement()
        if agreement is None:
            raise Http404("Nothing has been drafted yet.")
        return self.render_page(agreement)


class AgreementAgreeView(SubmitOnceMixin, AgreementDetailView):
    """POST: the user agrees the version for one of the parties they act for."""

    http_method_names = ["post"]
    permission = "deployments.agree"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        agreement = self.get_agreement()
        if agreement is None:
            raise Http404("Nothing has been drafted to agree yet.")
        party = request.POST.get("party", "")
        accept_overrun = request.POST.get("accept_overrun") == "yes"
        try:
            agreement = services.agree(
                agreement, actor=request.user, party=party, accept_overrun=accept_overrun
            )
        except Refusal as error:  # the last party's agreement moves the request on: brokerage may refuse
            on_field = getattr(error, "field", None) == "accept_overrun"
            return self.render_page(
                self.get_agreement(), error=error.message, overrun_error=error.message if on_field else ""
            )
        self.deployment.refresh_from_db()
        message = f"You agreed version {agreement.version} for {Party(party).label.lower()}."
        if agreement.status == AgreementStatus.AGREED:
            state = self.deployment.get_state_display().lower()
            message += f" All three parties have agreed: the deployment is {state}."
        messages.success(request, message)
        return redirect("deployments:agreement-version", pk=self.deployment.pk, version=agreement.version)


class AgreementRequestChangesView(SubmitOnceMixin, AgreementMixin, FormView):
    template_name = "deployments/agreement_changes.html"
    form_class = RequestChangesForm

    def has_permission(self) -> bool:
        user = self.request.user
        return bool(parties_of(user, self.deployment)) or user.has_perm(
            "deployments.manage_deployment", self.deployment
        )

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(agreement=self.get_agreement(), **kwargs)

    def form_valid(self, form: RequestChangesForm) -> HttpResponse:
        agreement = self.get_agreement()
        try:
            services.request_changes(agreement, actor=self.request.user, reason=form.cleaned_data["reason"])
        except DeploymentError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Version {agreement.version} is back with the broker to change.")
        return redirect("deployments:agreement-version", pk=self.deployment.pk, version=agreement.version)


class AgreementSendView(SubmitOnceMixin, AgreementMixin, ContextMixin, View):
    """Confirms sending the draft to the three parties (refused if the leader lacks the time)."""

    permission = "deployments.manage_deployment"
    template_name = "deployments/agreement_send.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return render(request, self.template_name, self.get_context_data(agreement=self.get_agreement()))

    def get_context_data(self, **kwargs) -> dict:
        rows = party_people(self.deployment)
        agreement = kwargs.get("agreement")
        # The broker sees what it costs, and any overrun of the budget, before sending it.
        if agreement is not None:
            kwargs["costs"] = agreement.cost_summary(budget=self.deployment.support_request.budget)
        return super().get_context_data(
            party_rows=rows,
            nobody_can_agree=any(row.nobody_can_agree for row in rows),
            show_contacts=self.request.user.has_perm("deployments.view_contacts", self.deployment),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        agreement = self.get_agreement()
        try:
            services.send_for_agreement(agreement, actor=request.user)
        except DeploymentError as error:
            context = self.get_context_data(agreement=agreement, error=error.message)
            return render(request, self.template_name, context)
        messages.success(request, f"Version {agreement.version} has been sent to the three parties to agree.")
        return redirect("deployments:agreement-version", pk=self.deployment.pk, version=agreement.version)


class AgreementNewVersionView(SubmitOnceMixin, DeploymentMixin, ContextMixin, View):
    """Confirms starting a new version of the agreed agreement, to be agreed again by all three."""

    permission = "deployments.manage_deployment"
    template_name = "deployments/agreement_new_version.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render_page()

    def render_page(self, error: str = "") -> HttpResponse:
        context = self.get_context_data(agreement=services.current_agreement(self.deployment), error=error)
        return render(self.request, self.template_name, context)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            agreement = services.start_new_version(self.deployment, actor=request.user)
        except DeploymentError as error:
            return self.render_page(error.message)
        messages.success(
            request, f"Version {agreement.version} is a draft: change it, then send it to agree."
        )
        return redirect("deployments:agreement-edit", pk=self.deployment.pk)
