"""Pages for the designations directory, types and their criteria, rounds and holders."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView
from rules.contrib.views import PermissionRequiredMixin as ObjectPermissionRequiredMixin

from accounts.choices import Role
from accounts.models import Organisation
from apiformat.timestamps import touch
from govuk.lists import FilteredListMixin
from govuk.pagination import GovukPaginationMixin

from .choices import DesignationStatus
from .filters import DesignationFilterSet
from .forms import (
    ApplicationRoundForm,
    CloseRoundForm,
    CriterionForm,
    DesignationTypeForm,
    OwnDesignationForm,
    TrainingRequirementForm,
    prepare_directory_filter_form,
)
from .models import ApplicationRound, Criterion, Designation, DesignationType, TrainingRequirement
from .queries import designation_types, designations_visible_to, open_on, rounds_visible_to, training_status
from .views_lifecycle import manage_links_for


def sees_every_status(user) -> bool:
    return user.is_national_administrator or any(
        organisation.designations_made.exists() for organisation in user.scope_organisations
    )


class DesignationListView(LoginRequiredMixin, FilteredListMixin, GovukPaginationMixin, ListView):
    template_name = "designations/designation_list.html"
    context_object_name = "designations"
    paginate_by = 25
    extra_context = {"active_nav": "designations"}
    filterset_class = DesignationFilterSet

    def visible_queryset(self) -> QuerySet[Designation]:
        return designations_visible_to(self.request.user).order_by(
            "designation_type__code", "holder__full_name", "pk"
        )

    def prepare_filter_form(self, form, visible: QuerySet[Designation]) -> None:
        prepare_directory_filter_form(form, show_status=sees_every_status(self.request.user))


class DesignationDetailView(LoginRequiredMixin, DetailView):
    template_name = "designations/designation_detail.html"
    context_object_name = "designation"
    extra_context = {"active_nav": "designations"}

    def get_queryset(self) -> QuerySet[Designation]:
        return designations_visible_to(self.request.user).prefetch_related(
            "training_records__requirement", "designation_type__training_requirements"
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        designation = self.object
        context["training"] = training_status(designation)
        context["reviews"] = designation.reviews.select_related("recorded_by").order_by("-due_on")
        context["status_changes"] = designation.status_changes.select_related("actor").order_by("-at", "-pk")
        # The rule itself, not user.has_perm: a superuser passes every permission, but the page to
        # update is the holder's own and answers 404 to anyone else.
        context["can_change_own"] = rules.has_perm(
            "designations.change_own_designation", self.request.user, designation
        )
        context["manage_links"] = manage_links_for(self.request.user, designation)
        context["sees_contact"] = designation.holder_id is not None and self.request.user.has_perm(
            "designations.view_holder_contact", designation
        )
        return context


# Designation types, their criteria and training.


class DesignationTypeListView(LoginRequiredMixin, ListView):
    template_name = "designations/type_list.html"
    context_object_name = "designation_types"
    extra_context = {"active_nav": "designations"}

    def get_queryset(self) -> QuerySet[DesignationType]:
        return designation_types()


class DesignationTypeDetailView(LoginRequiredMixin, DetailView):
    template_name = "designations/type_detail.html"
    context_object_name = "designation_type"
    slug_field = "code"
    slug_url_kwarg = "code"
    extra_context = {"active_nav": "designations"}

    def get_queryset(self) -> QuerySet[DesignationType]:
        return DesignationType.objects.prefetch_related("training_requirements", "criteria__ofsted_rule")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        criteria = list(self.object.criteria.all())
        context["active_criteria"] = [c for c in criteria if c.is_active]
        context["retired_criteria"] = [c for c in criteria if not c.is_active]
        context["can_manage"] = self.request.user.has_perm("designations.manage_types")
        return context


class ManageTypesMixin(PermissionRequiredMixin):
    permission_required = "designations.manage_types"
    extra_context = {"active_nav": "designations"}


class DesignationTypeCreateView(ManageTypesMixin, CreateView):
    template_name = "designations/type_form.html"
    form_class = DesignationTypeForm
    model = DesignationType

    def form_valid(self, form: DesignationTypeForm) -> HttpResponse:
        designation_type = form.save()
        messages.success(self.request, f"{designation_type.name} has been added. Now add its criteria.")
        return redirect("designations:type-detail", code=designation_type.code)


class DesignationTypeUpdateView(ManageTypesMixin, UpdateView):
    template_name = "designations/type_form.html"
    form_class = DesignationTypeForm
    model = DesignationType
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "designation_type"

    def form_valid(self, form: DesignationTypeForm) -> HttpResponse:
        designation_type = form.save()
        messages.success(self.request, f"{designation_type.name} has been updated.")
        return redirect("designations:type-detail", code=designation_type.code)


class TypePartMixin(ManageTypesMixin):
    """Pages that add or edit one part (a criterion, a training) of the type named in the URL."""

    template_name = "designations/type_part_form.html"
    part_name = ""

    def dispatch(self, request, *args, **kwargs):
        self.designation_type = get_object_or_404(DesignationType, code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["designation_type"] = self.designation_type
        context["part_name"] = self.part_name
        return context

    def form_valid(self, form) -> HttpResponse:
        part = form.save(commit=False)
        part.designation_type = self.designation_type
        part.save()
        form.save_m2m()
        touch(DesignationType.objects.filter(pk=self.designation_type.pk))  # the API shows its parts
        verb = "updated" if self.object else "added"
        messages.success(self.request, f"The {self.part_name} “{part}” has been {verb}.")
        return redirect("designations:type-detail", code=self.designation_type.code)


class CriterionMixin(TypePartMixin):
    form_class = CriterionForm
    part_name = "criterion"

    def get_queryset(self) -> QuerySet[Criterion]:
        return self.designation_type.criteria.all()


class CriterionCreateView(CriterionMixin, CreateView):
    pass


class CriterionUpdateView(CriterionMixin, UpdateView):
    pass


class TrainingRequirementMixin(TypePartMixin):
    form_class = TrainingRequirementForm
    part_name = "training"

    def get_queryset(self) -> QuerySet[TrainingRequirement]:
        return self.designation_type.training_requirements.all()

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "designation_type": self.designation_type}


class TrainingRequirementCreateView(TrainingRequirementMixin, CreateView):
    pass


class TrainingRequirementUpdateView(TrainingRequirementMixin, UpdateView):
    pass


# Application rounds.


class ApplicationRoundListView(LoginRequiredMixin, GovukPaginationMixin, ListView):
    template_name = "designations/round_list.html"
    context_object_name = "rounds"
    paginate_by = 25
    extra_context = {"active_nav": "designations"}

    def get_queryset(self) -> QuerySet[ApplicationRound]:
        today = timezone.localdate()
        open_first = Case(When(open_on(today), then=Value(0)), default=Value(1), output_field=IntegerField())
        return rounds_visible_to(self.request.user).annotate(open_first=open_first).order_by(
            "open_first", "-opens_on", "name"
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["can_manage"] = self.request.user.has_perm("designations.manage_rounds")
        return context


class ManageRoundsMixin(PermissionRequiredMixin):
    permission_required = "designations.manage_rounds"
    extra_context = {"active_nav": "designations"}
    model = ApplicationRound
    context_object_name = "application_round"


class RoundFormKwargsMixin:
    """National administrators choose any teaching school; a lead only the ones they lead."""

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        user = self.request.user
        if not user.is_national_administrator:
            led = user.organisations_with_role(Role.TEACHING_SCHOOL_LEAD)
            kwargs["led_teaching_schools"] = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in led]
            ).order_by("name")
        return kwargs


class ChangeRoundMixin(ObjectPermissionRequiredMixin):
    permission_required = "designations.change_round"
    extra_context = {"active_nav": "designations"}
    model = ApplicationRound
    context_object_name = "application_round"


class ApplicationRoundCreateView(RoundFormKwargsMixin, ManageRoundsMixin, CreateView):
    template_name = "designations/round_form.html"
    form_class = ApplicationRoundForm

    def form_valid(self, form: ApplicationRoundForm) -> HttpResponse:
        application_round = form.save(commit=False)
        application_round.created_by = self.request.user
        application_round.save()
        messages.success(self.request, f"The round “{application_round.name}” has been created.")
        return redirect("designations:round-list")


class ApplicationRoundUpdateView(RoundFormKwargsMixin, ChangeRoundMixin, UpdateView):
    template_name = "designations/round_form.html"
    form_class = ApplicationRoundForm

    def form_valid(self, form: ApplicationRoundForm) -> HttpResponse:
        application_round = form.save()
        messages.success(self.request, f"The round “{application_round.name}” has been updated.")
        return redirect("designations:round-list")


class ApplicationRoundCloseView(ChangeRoundMixin, FormView):
    template_name = "designations/round_close.html"
    form_class = CloseRoundForm

    def dispatch(self, request, *args, **kwargs):
        self.application_round = get_object_or_404(ApplicationRound.objects, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self) -> ApplicationRound:
        return self.application_round

    def get_form_kwargs(self) -> dict:
        return {
            **super().get_form_kwargs(),
            "application_round": self.application_round,
            "today": timezone.localdate(),
        }

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(application_round=self.application_round, **kwargs)

    def form_valid(self, form: CloseRoundForm) -> HttpResponse:
        self.application_round.closed_early_on = form.today
        self.application_round.save(update_fields=["closed_early_on"])
        messages.success(self.request, f"The round “{self.application_round.name}” has closed today.")
        return redirect("designations:round-list")


# A holder's own designations.


class MyDesignationListView(LoginRequiredMixin, ListView):
    template_name = "designations/my_designations.html"
    context_object_name = "designations"
    extra_context = {"active_nav": "my-designations"}

    def get_queryset(self) -> QuerySet[Designation]:
        return (
            designations_visible_to(self.request.user)
            .filter(holder=self.request.user)
            .order_by("designation_type__code", "-designated_on")
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["current_statuses"] = [DesignationStatus.ACTIVE, DesignationStatus.SUSPENDED]
        return context


class MyDesignationUpdateView(LoginRequiredMixin, ObjectPermissionRequiredMixin, UpdateView):
    template_name = "designations/my_designation_form.html"
    form_class = OwnDesignationForm
    permission_required = "designations.change_own_designation"
    context_object_name = "designation"
    extra_context = {"active_nav": "my-designations"}

    def get_queryset(self) -> QuerySet[Designation]:
        return designations_visible_to(self.request.user).filter(holder=self.request.user)

    def form_valid(self, form: OwnDesignationForm) -> HttpResponse:
        designation = form.save()
        messages.success(
            self.request,
            f"Your {designation.designation_type.code} specialisms and availability have been saved.",
        )
        return redirect("designations:mine")
