"""Pages for deployments: the list, one deployment, its three-party agreement, time, variations,
progress reviews, the final evaluation, state changes and leaders' unavailability.

Every page loads the deployment from what the user may see (404 otherwise) and checks the same
permission the service checks (403 otherwise); a refusal the service still makes (the state has
changed, the leader lacks the time, the days agreed are used up) is shown as a form error."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.forms import BaseForm
from django.forms.utils import ErrorDict, ErrorList
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView
from django.views.generic.base import ContextMixin

from accounts.models import Organisation
from brokerage.errors import BrokerageError
from govuk.forms import add_service_error
from govuk.lists import FilteredListMixin
from govuk.pagination import GovukPaginationMixin
from submissions.views import SubmitOnceMixin

from . import services
from .api.views import latest_ratings, sees_money
from .choices import (
    FINISHED_STATES,
    AgreementStatus,
    DeploymentState,
    Party,
    RecordedSignoffStatus,
    StateReason,
    TimeBasis,
)
from .forms import (
    AgreementTermsForm,
    DeploymentListFilterSet,
    EvaluationForm,
    ObjectiveFormSet,
    RecordOutsideAgreementForm,
    RequestChangesForm,
    ReviewForm,
    StaffFormSet,
    StateChangeForm,
    TimeEntryForm,
    UnavailabilityForm,
    VariationForm,
    objective_initial,
    prepare_list_filter_form,
    with_extra_row,
)
from .models import (
    Agreement,
    Deployment,
    FinalEvaluation,
    Objective,
    ObjectiveOutcomeRecord,
    ObjectiveProgress,
    ProgressReview,
    RecordedSignoff,
    TimeEntry,
    Unavailability,
    Variation,
)
from .queries import deployments_visible_to, named_staff, party_people
from .rules import parties_of, recordable_parties
from .services.work import REVIEWABLE_STATES

State = DeploymentState
NAV = {"active_nav": "deployments"}
DAYS = DecimalField(max_digits=8, decimal_places=2)

# The state-change pages, by the action in their URL. ``to`` None: escalation (no state change).
STATE_ACTIONS: dict[str, dict] = {
    "pause": {
        "to": State.PAUSED,
        "title": "Pause this deployment",
        "button": "Pause the deployment",
        "needs_reason": True,
        "needs_note": False,
        "note_label": "Note (optional)",
        "done": "The deployment is paused.",
        "warning": False,
    },
    "resume": {
        "to": State.ACTIVE,
        "from": {State.PAUSED},
        "title": "Resume this deployment",
        "button": "Resume the deployment",
        "needs_reason": False,
        "needs_note": False,
        "note_label": "Note (optional)",
        "done": "The deployment is active again.",
        "warning": False,
    },
    "finish": {
        "to": State.AWAITING_FINAL_EVALUATION,
        "title": "Support has finished",
        "button": "Mark support as finished",
        "needs_reason": False,
        "needs_note": False,
        "note_label": "Note (optional)",
        "done": "Support has finished: the final evaluation is due.",
        "warning": False,
        "confirm": "Yes, support has finished: no more time can be logged",
        "confirm_message": "Confirm that support has finished",
    },
    "end-early": {
        "to": State.ENDED_EARLY,
        "title": "End this deployment early",
        "button": "End the deployment early",
        "needs_reason": True,
        "needs_note": False,
        "note_label": "Note (optional)",
        "done": "The deployment has ended early.",
        "warning": True,
    },
    "escalate": {
        "to": None,
        "title": "Escalate to the commissioner",
        "button": "Escalate",
        "needs_reason": False,
        "needs_note": True,
        "note_label": "What does the commissioner need to know?",
        "note_message": "Say what the commissioner needs to know",
        "done": "The commissioner has been told.",
        "warning": False,
    },
}


def state_action_available(action: dict, deployment: Deployment) -> bool:
    if action["to"] is None:
        return services.may_escalate(deployment)
    if "from" in action and deployment.state not in action["from"]:
        return False
    return action["to"] in services.ALLOWED_TRANSITIONS[deployment.state]


def action_links_for(user, deployment: Deployment) -> list[dict]:
    """The pages this user may open for this deployment now."""
    links = []

    def link(label: str, name: str, *args) -> None:
        links.append({"label": label, "url": reverse(f"deployments:{name}", args=[deployment.pk, *args])})

    is_broker = user.has_perm("deployments.manage_deployment", deployment)
    if is_broker and deployment.state not in FINISHED_STATES | {State.AWAITING_FINAL_EVALUATION}:
        link("Draft or change the agreement", "agreement-edit")
    link("See the agreement", "agreement-detail")
    if deployment.state == State.ACTIVE and user.has_perm("deployments.log_time", deployment):
        link("Log time", "time-log")
    if deployment.state in {State.AGREED, State.ACTIVE, State.PAUSED} and user.has_perm(
        "deployments.record_variation", deployment
    ):
        link("Record a variation", "variation-new")
    if user.has_perm("deployments.review", deployment):
        if deployment.state in REVIEWABLE_STATES:
            link("Record a progress review", "review-new")
        if deployment.state == State.AWAITING_FINAL_EVALUATION:
            link("Record the final evaluation", "evaluation-new")
    if is_broker:
        for slug, action in STATE_ACTIONS.items():
            if state_action_available(action, deployment):
                link(action["title"], "state-change", slug)
    return links


def _without_errors(*forms_or_formsets) -> None:
    """Show posted values again without validating them (after "Add another")."""
    for item in forms_or_formsets:
        if isinstance(item, BaseForm):
            item._errors = ErrorDict()
            continue
        item._errors, item._non_form_errors = [], ErrorList()
        for form in item.forms:
            form._errors = ErrorDict()


# --- the list ------------------------------------------------------------------------------------


def with_days(deployments: QuerySet[Deployment]) -> QuerySet[Deployment]:
    """Days used and variations, as subqueries (joins would multiply each other's sums)."""
    used = (
        TimeEntry.objects.filter(deployment=OuterRef("pk"))
        .order_by()
        .values("deployment")
        .annotate(total=Sum("days"))
        .values("total")
    )
    extra = (
        Variation.objects.filter(deployment=OuterRef("pk"))
        .order_by()
        .values("deployment")
        .annotate(total=Sum("extra_days"))
        .values("total")
    )
    return deployments.annotate(
        days_used=Coalesce(Subquery(used, output_field=DAYS), Value(Decimal(0)), output_field=DAYS),
        days_extra=Coalesce(Subquery(extra, output_field=DAYS), Value(Decimal(0)), output_field=DAYS),
    )


class DeploymentListView(LoginRequiredMixin, FilteredListMixin, GovukPaginationMixin, ListView):
    template_name = "deployments/deployment_list.html"
    context_object_name = "deployments"
    paginate_by = 25
    filterset_class = DeploymentListFilterSet
    extra_context = NAV
    mine = False

    def visible_queryset(self) -> QuerySet[Deployment]:
        return with_days(deployments_visible_to(self.request.user))

    def get_queryset(self) -> QuerySet[Deployment]:
        if self.mine:
            query = self.request.GET.copy()
            query["mine"] = "true"
            self.request.GET = query
        return super().get_queryset()

    def prepare_filter_form(self, form, visible: QuerySet[Deployment]) -> None:
        prepare_list_filter_form(form)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if self.mine:
            context["active_nav"] = "my-deployments"
            context["is_filtered"] = any(
                any(v) for name, v in self.request.GET.lists() if name not in {"page", "mine"}
            )
        context["mine"] = self.mine
        context["clear_url"] = reverse("deployments:mine" if self.mine else "deployments:deployment-list")
        return context


# --- one deployment ------------------------------------------------------------------------------


class DeploymentMixin(LoginRequiredMixin):
    """Loads the deployment in the URL from those the user may see (404), and refuses (403) anyone
    without ``permission`` on it."""

    permission = "deployments.view_deployment"
    extra_context = NAV

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.deployment = get_object_or_404(deployments_visible_to(request.user), pk=kwargs["pk"])
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def has_permission(self) -> bool:
        return self.request.user.has_perm(self.permission, self.deployment)

    def get_context_data(self, **kwargs) -> dict:
        deployment = self.deployment
        may_invite = deployment.state not in FINISHED_STATES and self.request.user.has_perm(
            "deployments.invite_party", deployment
        )
        return super().get_context_data(deployment=deployment, may_invite=may_invite, **kwargs)

    def back_to_deployment(self) -> HttpResponse:
        return redirect("deployments:deployment-detail", pk=self.deployment.pk)


class DeploymentDetailView(DeploymentMixin, ContextMixin, View):
    template_name = "deployments/deployment_detail.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        deployment, user = self.deployment, request.user
        agreement = services.current_agreement(deployment)
        objectives = list(agreement.objectives.all()) if agreement else []
        ratings = latest_ratings(deployment, objectives) if objectives else {}
        variations = list(deployment.variations.select_related("recorded_by"))
        time_entries = list(deployment.time_entries.select_related("person"))
        days_used = sum((e.days for e in time_entries), Decimal(0))
        extra = sum((v.extra_days for v in variations), Decimal(0))
        context = self.get_context_data(
            agreement=agreement,
            open_agreement=services.open_agreement(deployment),
            objectives=[{"objective": o, "rating": ratings.get(o.pk)} for o in objectives],
            variations=variations,
            time_entries=time_entries,
            days_used=days_used,
            days_extra=extra,
            days_allowed=deployment.days_agreed + extra,
            reviews=self.reviews(),
            evaluation=self.evaluation(),
            history=self.history(),
            action_links=action_links_for(user, deployment),
            sees_money=sees_money(user, deployment),
            parties=sorted(Party(p).label for p in parties_of(user, deployment)),
            today=timezone.localdate(),
            **self.contacts(agreement),
        )
        return render(request, self.template_name, context)

    def history(self) -> list[dict]:
        """State changes and agreements recorded on a party's behalf, oldest first."""
        rows = [
            {
                "at": change.at,
                "change": f"{change.get_from_state_display()} to {change.get_to_state_display()}",
                "who": change.actor,
                "why": ": ".join(filter(None, [change.get_reason_display(), change.note])),
            }
            for change in self.deployment.transitions.select_related("actor")
        ]
        recorded = RecordedSignoff.objects.filter(
            agreement__deployment=self.deployment, status=RecordedSignoffStatus.CONFIRMED
        ).select_related("agreement", "recorded_by")
        rows += [
            {
                "at": record.confirmed_at,
                "change": f"Version {record.agreement.version} agreed for "
                f"{record.get_party_display().lower()}, recorded on its behalf",
                "who": record.recorded_by,
                "why": f"{record.agreed_by_name} ({record.agreed_by_role}) agreed "
                f"{record.get_method_display().lower()} on {record.agreed_on:%-d %B %Y}",
            }
            for record in recorded
        ]
        return sorted(rows, key=lambda row: row["at"])

    def contacts(self, agreement: Agreement | None) -> dict:
        """Who to contact at each party, and the named staff: for those who may see contacts."""
        if not self.request.user.has_perm("deployments.view_contacts", self.deployment):
            return {"show_contacts": False}
        staff_of = agreement or services.open_agreement(self.deployment)
        return {
            "show_contacts": True,
            "party_rows": party_people(self.deployment),
            "named_staff": named_staff(staff_of),
        }

    def reviews(self) -> list[ProgressReview]:
        progress = ObjectiveProgress.objects.select_related("objective").order_by("objective__order", "pk")
        return list(
            self.deployment.reviews.select_related("reviewed_by").prefetch_related(
                Prefetch("progress", queryset=progress)
            )
        )

    def evaluation(self) -> FinalEvaluation | None:
        outcomes = ObjectiveOutcomeRecord.objects.select_related("objective").order_by("objective__order")
        return (
            FinalEvaluation.objects.filter(deployment=self.deployment)
            .select_related("evaluated_by")
            .prefetch_related(Prefetch("outcomes", queryset=outcomes))
            .first()
        )


# --- the agreement -------------------------------------------------------------------------------


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
        else:
            request_ = deployment.support_request
            terms = {
                "time_basis": TimeBasis.DAYS_PER_WEEK,
                "rate_basis": "day_rate",
                "payer": deployment.commissioner_id,
                "payee_school": deployment.leader_school_id,
                "starts_on": request_.preferred_start_on,
            }
            objectives, staff = [], []
        return self.render_page(
            AgreementTermsForm(initial=terms, **self.terms_kwargs()),
            ObjectiveFormSet(initial=objectives, prefix="objectives"),
            StaffFormSet(initial=staff, prefix="staff"),
            draft=draft,
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        data = request.POST
        if "add_objective" in data:
            data = with_extra_row(data, "objectives")
        if "add_staff" in data:
            data = with_extra_row(data, "staff")
        terms_form = AgreementTermsForm(data, **self.terms_kwargs())
        objective_formset = ObjectiveFormSet(data, prefix="objectives")
        staff_formset = StaffFormSet(data, prefix="staff")
        draft = services.open_agreement(self.deployment)
        if "add_objective" in data or "add_staff" in data:
            _without_errors(terms_form, objective_formset, staff_formset)
            return self.render_page(terms_form, objective_formset, staff_formset, draft=draft)
        valid = [terms_form.is_valid(), objective_formset.is_valid(), staff_formset.is_valid()]
        if not all(valid):
            return self.render_page(terms_form, objective_formset, staff_formset, draft=draft)
        try:
            agreement = services.save_draft(
                self.deployment,
                actor=request.user,
                terms=dict(terms_form.cleaned_data),
                objectives=self.objectives(objective_formset),
                staff=self.staff(staff_formset),
            )
        except BrokerageError as error:
            add_service_error(terms_form, error)
            return self.render_page(terms_form, objective_formset, staff_formset, draft=draft)
        if "send" not in data:
            messages.success(request, f"Draft version {agreement.version} saved.")
            return redirect("deployments:agreement-version", pk=self.deployment.pk, version=agreement.version)
        try:
            services.send_for_agreement(agreement, actor=request.user)
        except BrokerageError as error:
            if error.field == "days_per_week" and agreement.time_basis == TimeBasis.TOTAL_DAYS:
                error.field = "total_days"
            add_service_error(terms_form, error)
            return self.render_page(
                terms_form, objective_formset, staff_formset, draft=agreement, saved_not_sent=True
            )
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

    def render_page(self, terms_form, objective_formset, staff_formset, *, draft, saved_not_sent=False):
        context = self.get_context_data(
            form=terms_form,
            objective_formset=objective_formset,
            staff_formset=staff_formset,
            draft=draft,
            saved_not_sent=saved_not_sent,
            has_errors=bool(
                terms_form.errors
                or any(objective_formset.errors)
                or objective_formset.non_form_errors()
                or any(staff_formset.errors)
                or staff_formset.non_form_errors()
            ),
        )
        return render(self.request, self.template_name, context)


class AgreementMixin(DeploymentMixin):
    """A version of the deployment's agreement: the one in the URL, else the one being agreed,
    else the agreed one, else the latest."""

    def get_agreement(self) -> Agreement | None:
        agreements = self.deployment.agreements.select_related("payer", "payee_school", "drafted_by")
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

    def render_page(self, agreement: Agreement | None, *, error: str = "") -> HttpResponse:
        user, deployment = self.request.user, self.deployment
        is_broker = user.has_perm("deployments.manage_deployment", deployment)
        parties = parties_of(user, deployment)
        context = {"agreement": agreement, "is_broker": is_broker, "error": error}
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
                and deployment.state not in FINISHED_STATES | {State.AWAITING_FINAL_EVALUATION},
                "sees_money": sees_money(user, deployment) or bool(parties),
                "versions": list(deployment.agreements.order_by("-version")),
            }
        return render(self.request, self.template_name, self.get_context_data(**context))


class AgreementAgreeView(SubmitOnceMixin, AgreementDetailView):
    """POST: the user agrees the version for one of the parties they act for."""

    http_method_names = ["post"]
    permission = "deployments.agree"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        agreement = self.get_agreement()
        if agreement is None:
            raise Http404("Nothing has been drafted to agree yet.")
        party = request.POST.get("party", "")
        try:
            agreement = services.agree(agreement, actor=request.user, party=party)
        except BrokerageError as error:
            return self.render_page(self.get_agreement(), error=error.message)
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
        except BrokerageError as error:
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
        except BrokerageError as error:
            context = self.get_context_data(agreement=agreement, error=error.message)
            return render(request, self.template_name, context)
        messages.success(request, f"Version {agreement.version} has been sent to the three parties to agree.")
        return redirect("deployments:agreement-version", pk=self.deployment.pk, version=agreement.version)


class AgreementRecordView(SubmitOnceMixin, AgreementMixin, ContextMixin, View):
    """Step one of recording an agreement a party gave outside the service (the broker or a
    national administrator): who, their role, when, how, and a copy if there is one."""

    template_name = "deployments/agreement_record.html"

    def has_permission(self) -> bool:
        return self.request.user.has_perm("deployments.record_outside_agreement", self.deployment)

    def parties(self, agreement: Agreement) -> list[str]:
        agreed = set(agreement.signoffs.values_list("party", flat=True))
        return [p for p in recordable_parties(self.request.user, self.deployment) if p not in agreed]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        agreement = self.get_agreement()
        refused = self.refuse_unless_waiting(agreement)
        if refused:
            return refused
        party = request.GET.get("party", "")
        form = RecordOutsideAgreementForm(
            initial={"party": party} if party else {}, parties=self.parties(agreement)
        )
        return self.render_page(agreement, form)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        agreement = self.get_agreement()
        refused = self.refuse_unless_waiting(agreement)
        if refused:
            return refused
        form = RecordOutsideAgreementForm(request.POST, request.FILES, parties=self.parties(agreement))
        if form.is_valid():
            try:
                record = services.record_outside_agreement(
                    agreement, actor=request.user, **form.cleaned_data
                )
            except BrokerageError as error:
                add_service_error(form, error)
            else:
                return redirect(
                    "deployments:recorded-signoff-confirm",
                    pk=self.deployment.pk,
                    version=agreement.version,
                    record_pk=record.pk,
                )
        return self.render_page(agreement, form)

    def refuse_unless_waiting(self, agreement: Agreement) -> HttpResponse | None:
        if agreement.status == AgreementStatus.AWAITING_AGREEMENT:
            return None
        messages.error(self.request, "This version is not waiting for agreement.")
        return redirect("deployments:agreement-version", pk=self.deployment.pk, version=agreement.version)

    def render_page(self, agreement: Agreement, form: RecordOutsideAgreementForm) -> HttpResponse:
        context = self.get_context_data(agreement=agreement, form=form)
        return render(self.request, self.template_name, context)


class RecordedSignoffMixin(AgreementMixin):
    """A pending record the user made themselves (404 for anyone else's)."""

    def has_permission(self) -> bool:
        return self.request.user.has_perm("deployments.record_outside_agreement", self.deployment)

    def get_record(self) -> RecordedSignoff:
        return get_object_or_404(
            RecordedSignoff.objects.select_related("agreement__deployment", "recorded_by"),
            pk=self.kwargs["record_pk"],
            agreement__deployment=self.deployment,
            agreement__version=self.kwargs["version"],
            recorded_by=self.request.user,
        )

    def back_to_agreement(self, record: RecordedSignoff) -> HttpResponse:
        return redirect(
            "deployments:agreement-version", pk=self.deployment.pk, version=record.agreement.version
        )


class RecordedSignoffConfirmView(SubmitOnceMixin, RecordedSignoffMixin, ContextMixin, View):
    """Step two: check the answers, then confirm (it counts as the party's agreement) or cancel."""

    template_name = "deployments/recorded_signoff_confirm.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        record = self.get_record()
        if record.status != RecordedSignoffStatus.PENDING:
            return self.back_to_agreement(record)
        return self.render_page(record)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        record = self.get_record()
        try:
            agreement = services.confirm_recorded_signoff(record, actor=request.user)
        except BrokerageError as error:
            return self.render_page(record, error=error.message)
        message = (
            f"{record.agreed_by_name}'s agreement is recorded for {record.get_party_display().lower()}."
        )
        if agreement.status == AgreementStatus.AGREED:
            self.deployment.refresh_from_db()
            state = self.deployment.get_state_display().lower()
            message += f" All three parties have agreed: the deployment is {state}."
        messages.success(request, message)
        return self.back_to_agreement(record)

    def render_page(self, record: RecordedSignoff, *, error: str = "") -> HttpResponse:
        context = self.get_context_data(record=record, agreement=record.agreement, error=error)
        return render(self.request, self.template_name, context)


class RecordedSignoffCancelView(SubmitOnceMixin, RecordedSignoffMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        record = self.get_record()
        try:
            services.cancel_recorded_signoff(record, actor=request.user)
        except BrokerageError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The record was cancelled: nothing has been agreed for that party.")
        return self.back_to_agreement(record)


class RecordedCopyView(DeploymentMixin, View):
    """The copy of an agreement given outside the service, for the broker, administrators and the
    parties (404 for anyone else, as for evidence files)."""

    def has_permission(self) -> bool:
        if not self.request.user.has_perm("deployments.view_recorded_copy", self.deployment):
            raise Http404("No such file.")
        return True

    def get(self, request: HttpRequest, *args, **kwargs) -> FileResponse:
        record = get_object_or_404(
            RecordedSignoff, pk=kwargs["record_pk"], agreement__deployment=self.deployment
        )
        if not record.copy:
            raise Http404("No copy was uploaded.")
        try:
            handle = record.copy.open("rb")
        except FileNotFoundError as error:
            raise Http404("The file is no longer stored.") from error
        return FileResponse(
            handle, as_attachment=True, filename=record.copy_name, content_type=record.copy_content_type
        )


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
        except BrokerageError as error:
            return self.render_page(error.message)
        messages.success(
            request, f"Version {agreement.version} is a draft: change it, then send it to agree."
        )
        return redirect("deployments:agreement-edit", pk=self.deployment.pk)


# --- time, variations, reviews, evaluation -------------------------------------------------------


class DeploymentFormView(SubmitOnceMixin, DeploymentMixin, FormView):
    """A form on one deployment whose service refusals become form errors."""

    success_message = ""

    def form_valid(self, form) -> HttpResponse:
        try:
            self.perform(form)  # each view says what its form does
        except BrokerageError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return self.after_success()

    def after_success(self) -> HttpResponse:
        return self.back_to_deployment()


class TimeLogView(DeploymentFormView):
    permission = "deployments.log_time"
    template_name = "deployments/time_log.html"
    form_class = TimeEntryForm
    success_message = "Your time has been logged."

    def get_initial(self) -> dict:
        return {"worked_on": timezone.localdate()}

    def get_context_data(self, **kwargs) -> dict:
        entries = list(self.deployment.time_entries.select_related("person"))
        used = sum((e.days for e in entries), Decimal(0))
        return super().get_context_data(
            entries=entries, days_used=used, days_allowed=services.days_allowed(self.deployment), **kwargs
        )

    def perform(self, form: TimeEntryForm) -> None:
        services.log_time(self.deployment, actor=self.request.user, **form.cleaned_data)

    def after_success(self) -> HttpResponse:
        return redirect("deployments:time-log", pk=self.deployment.pk)


class VariationCreateView(DeploymentFormView):
    permission = "deployments.record_variation"
    template_name = "deployments/variation_form.html"
    form_class = VariationForm
    success_message = "The variation is recorded: more time can be logged."

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            days_used=services.days_used(self.deployment),
            days_allowed=services.days_allowed(self.deployment),
            **kwargs,
        )

    def perform(self, form: VariationForm) -> None:
        services.record_variation(self.deployment, actor=self.request.user, **form.cleaned_data)


class ReviewCreateView(DeploymentFormView):
    permission = "deployments.review"
    template_name = "deployments/review_form.html"
    form_class = ReviewForm
    success_message = "The progress review is recorded."

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "objectives": services.current_objectives(self.deployment)}

    def get_initial(self) -> dict:
        return {"reviewed_on": timezone.localdate()}

    def perform(self, form: ReviewForm) -> None:
        services.record_review(
            self.deployment,
            actor=self.request.user,
            reviewed_on=form.cleaned_data["reviewed_on"],
            ratings=form.ratings(),
            summary=form.cleaned_data["summary"],
            next_review_on=form.cleaned_data["next_review_on"],
        )


class EvaluationCreateView(DeploymentFormView):
    permission = "deployments.review"
    template_name = "deployments/evaluation_form.html"
    form_class = EvaluationForm
    success_message = "The final evaluation is recorded: the deployment is completed."

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "objectives": services.current_objectives(self.deployment)}

    def get_initial(self) -> dict:
        return {"evaluated_on": timezone.localdate()}

    def get_context_data(self, **kwargs) -> dict:
        is_due = self.deployment.state == State.AWAITING_FINAL_EVALUATION
        return super().get_context_data(is_due=is_due, **kwargs)

    def perform(self, form: EvaluationForm) -> None:
        services.record_final_evaluation(
            self.deployment,
            actor=self.request.user,
            impact=form.cleaned_data["impact"],
            capacity_built=form.cleaned_data["capacity_built"],
            evaluated_on=form.cleaned_data["evaluated_on"],
            outcomes=form.outcomes(),
        )


class StateChangeView(DeploymentFormView):
    """Confirms pausing, resuming, finishing, ending early or escalating, with the reason and note."""

    permission = "deployments.manage_deployment"
    template_name = "deployments/state_change.html"
    form_class = StateChangeForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.action = STATE_ACTIONS.get(kwargs["action"])
        if self.action is None:
            raise Http404("No such change.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {
            **super().get_form_kwargs(),
            "needs_reason": self.action["needs_reason"],
            "needs_note": self.action["needs_note"],
            "note_label": self.action["note_label"],
            "note_message": self.action.get("note_message", ""),
            "confirm_label": self.action.get("confirm", ""),
            "confirm_message": self.action.get("confirm_message", ""),
        }

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            action=self.action,
            available=state_action_available(self.action, self.deployment),
            reasons=StateReason,
            **kwargs,
        )

    def perform(self, form: StateChangeForm) -> None:
        self.success_message = self.action["done"]
        user, note = self.request.user, form.cleaned_data["note"]
        if self.action["to"] is None:
            services.escalate(self.deployment, actor=user, note=note)
        elif self.action["to"] == State.ACTIVE:
            services.resume(self.deployment, actor=user, note=note)
        else:
            services.transition(
                self.deployment,
                self.action["to"],
                actor=user,
                reason=form.cleaned_data.get("reason", ""),
                note=note,
            )


# --- leaders' unavailability ---------------------------------------------------------------------


class LeaderMixin(LoginRequiredMixin):
    """Pages for people who hold (or held) a designation: their own periods of unavailability."""

    extra_context = {"active_nav": "my-deployments"}

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.has_perm("deployments.record_unavailability"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UnavailabilityView(SubmitOnceMixin, LeaderMixin, FormView):
    template_name = "deployments/unavailability.html"
    form_class = UnavailabilityForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "instance": Unavailability(leader=self.request.user)}

    def get_context_data(self, **kwargs) -> dict:
        periods = Unavailability.objects.filter(leader=self.request.user).order_by("-starts_on")
        return super().get_context_data(periods=periods, today=timezone.localdate(), **kwargs)

    def form_valid(self, form: UnavailabilityForm) -> HttpResponse:
        period = form.save()
        messages.success(
            self.request,
            f"You are recorded as unavailable from {period.starts_on:%-d %B %Y} "
            f"to {period.ends_on:%-d %B %Y}.",
        )
        return redirect("deployments:unavailability")


class UnavailabilityDeleteView(SubmitOnceMixin, LeaderMixin, ContextMixin, View):
    template_name = "deployments/unavailability_delete.html"

    def get_period(self) -> Unavailability:
        return get_object_or_404(Unavailability, pk=self.kwargs["period_pk"], leader=self.request.user)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return render(request, self.template_name, self.get_context_data(period=self.get_period()))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.get_period().delete()
        messages.success(request, "The period of unavailability has been removed.")
        return redirect("deployments:unavailability")
