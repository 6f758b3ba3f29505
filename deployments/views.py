"""Pages for deployments: the list, one deployment, and what the pages for one deployment share.

Every page loads the deployment from what the user may see (404 otherwise) and checks the same
permission the service checks (403 otherwise); a refusal the service still makes (the state has
changed, the leader lacks the time, the days agreed are used up) is shown as a form error. The
agreement's pages are in ``views_agreement`` and ``views_recorded``, time, variations, reviews,
the evaluation and leaders' unavailability in ``views_work``, state changes in ``views_state``."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView
from django.views.generic.base import ContextMixin

from govuk.lists import FilteredListMixin
from govuk.pagination import GovukPaginationMixin

from . import services
from .api.views import latest_ratings
from .choices import FINISHED_STATES, AgreementStatus, DeploymentState, Party, RecordedSignoffStatus
from .forms import DeploymentListFilterSet, prepare_list_filter_form
from .models import (
    Agreement,
    AgreementStaff,
    Deployment,
    FinalEvaluation,
    ObjectiveOutcomeRecord,
    ObjectiveProgress,
    ProgressReview,
    RecordedSignoff,
)
from .queries import deployments_visible_to, party_people, with_days
from .rules import is_of_leader_school, is_of_supported_school, parties_of, sees_money
from .services.work import REVIEWABLE_STATES

State = DeploymentState
NAV = {"active_nav": "deployments"}
OPEN_AGREEMENT_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.AWAITING_AGREEMENT)

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


def ratings_oldest_first(reviews: list[ProgressReview]) -> list[ObjectiveProgress]:
    """The ratings of reviews already read with their progress, oldest review first."""
    ordered = sorted(reviews, key=lambda review: (review.reviewed_on, review.pk))
    return [rating for review in ordered for rating in review.progress.all()]


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


# --- the list ------------------------------------------------------------------------------------


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
        self.deployment = get_object_or_404(self.deployment_queryset(), pk=kwargs["pk"])
        if not self.has_permission():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def deployment_queryset(self) -> QuerySet[Deployment]:
        return deployments_visible_to(self.request.user)

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

    def deployment_queryset(self) -> QuerySet[Deployment]:
        # The final evaluation (or its absence) with the deployment itself.
        return super().deployment_queryset().select_related("final_evaluation__evaluated_by")

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        deployment, user = self.deployment, request.user
        money = sees_money(user, deployment)
        agreement, open_agreement = self.agreements_in_play(with_costs=money)
        costs = None
        if agreement is not None and money:
            costs = agreement.cost_summary(budget=deployment.support_request.budget)
        objectives = list(agreement.objectives.all()) if agreement else []
        reviews = self.reviews()
        ratings = latest_ratings(deployment, objectives, ratings_oldest_first(reviews)) if objectives else {}
        variations = list(deployment.variations.select_related("recorded_by"))
        time_entries = list(deployment.time_entries.select_related("person"))
        days_used = sum((e.days for e in time_entries), Decimal(0))
        extra = sum((v.extra_days for v in variations), Decimal(0))
        context = self.get_context_data(
            agreement=agreement,
            open_agreement=open_agreement,
            objectives=[{"objective": o, "rating": ratings.get(o.pk)} for o in objectives],
            variations=variations,
            time_entries=time_entries,
            days_used=days_used,
            days_extra=extra,
            days_allowed=deployment.days_agreed + extra,
            reviews=reviews,
            evaluation=self.evaluation(),
            history=self.history(),
            action_links=action_links_for(user, deployment),
            sees_money=money,
            # Who sees its claims (the claims page checks for itself): who sees money, and the schools.
            links_to_claims=money
            or is_of_leader_school(user, deployment)
            or is_of_supported_school(user, deployment),
            costs=costs,
            parties=sorted(Party(p).label for p in parties_of(user, deployment)),
            today=timezone.localdate(),
            **self.contacts(agreement or open_agreement),
        )
        return render(request, self.template_name, context)

    def agreements_in_play(self, *, with_costs: bool) -> tuple[Agreement | None, Agreement | None]:
        """The latest agreed version and the version being drafted or agreed (the rows
        ``services.current_agreement`` and ``open_agreement`` find) in one query, with their named
        staff (for the contacts and the costs) and, for who sees money, who pays whom and the cost
        lines."""
        statuses = [AgreementStatus.AGREED, *OPEN_AGREEMENT_STATUSES]
        rows = self.deployment.agreements.filter(status__in=statuses).prefetch_related(
            Prefetch("staff", queryset=AgreementStaff.objects.select_related("user"))
        )
        if with_costs:
            rows = rows.select_related("payer", "payee_school").prefetch_related("cost_lines")
        rows = list(rows.order_by("-version"))
        agreed = next((a for a in rows if a.status == AgreementStatus.AGREED), None)
        drafted = next((a for a in reversed(rows) if a.status in OPEN_AGREEMENT_STATUSES), None)
        return agreed, drafted

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

    def contacts(self, staff_of: Agreement | None) -> dict:
        """Who to contact at each party, and the named staff (of the agreed version, else of the one
        being drafted): for those who may see contacts."""
        if not self.request.user.has_perm("deployments.view_contacts", self.deployment):
            return {"show_contacts": False}
        return {
            "show_contacts": True,
            "party_rows": party_people(self.deployment),
            "named_staff": list(staff_of.staff.all()) if staff_of else [],
        }

    def reviews(self) -> list[ProgressReview]:
        progress = ObjectiveProgress.objects.select_related("objective").order_by("objective__order", "pk")
        return list(
            self.deployment.reviews.select_related("reviewed_by").prefetch_related(
                Prefetch("progress", queryset=progress)
            )
        )

    def evaluation(self) -> FinalEvaluation | None:
        evaluation = getattr(self.deployment, "final_evaluation", None)
        if evaluation is not None:
            outcomes = ObjectiveOutcomeRecord.objects.select_related("objective").order_by("objective__order")
            prefetch_related_objects([evaluation], Prefetch("outcomes", queryset=outcomes))
        return evaluation
