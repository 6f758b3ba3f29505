"""Pages for schools and for importing the files that describe them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView, FormView, ListView, View
from django.views.generic.detail import SingleObjectMixin

from govuk.lists import FilteredListMixin
from govuk.pagination import GovukPaginationMixin

from . import services
from .choices import Framework, JudgementArea
from .filters import SchoolFilterSet
from .forms import ImportUploadForm, prepare_school_filter_form
from .models import EstablishmentLink, ImportRun, Inspection, Judgement, LocalAuthority, School
from .queries import schools_visible_to

JUDGEMENT_ORDER = {area.value: position for position, area in enumerate(JudgementArea)}
HISTORY_SHOWN = 50


def local_authorities_to_offer(visible_schools: QuerySet[School]) -> QuerySet[LocalAuthority] | None:
    """The authorities a user can filter by, or None when they only see one."""
    # For each authority, whether a visible school is there: an index probe per authority, where
    # the distinct authorities of the visible schools would read every school (50,000 in England).
    offered = LocalAuthority.objects.filter(
        Exists(visible_schools.order_by().filter(local_authority=OuterRef("pk")))
    )
    if offered[:2].count() < 2:
        return None
    return offered


class SchoolListView(LoginRequiredMixin, FilteredListMixin, GovukPaginationMixin, ListView):
    template_name = "schools/school_list.html"
    context_object_name = "schools"
    paginate_by = 25
    extra_context = {"active_nav": "schools"}
    filterset_class = SchoolFilterSet

    def visible_queryset(self) -> QuerySet[School]:
        return schools_visible_to(self.request.user)

    def prepare_filter_form(self, form, visible: QuerySet[School]) -> None:
        prepare_school_filter_form(form, local_authorities=local_authorities_to_offer(visible))


def inspections_for(school: School) -> list[Inspection]:
    inspections = list(
        school.inspections.order_by("-start_date").prefetch_related(
            Prefetch("judgements", queryset=Judgement.objects.order_by())
        )
    )
    for inspection in inspections:
        inspection.ordered_judgements = sorted(
            inspection.judgements.all(), key=lambda j: JUDGEMENT_ORDER.get(j.area, len(JUDGEMENT_ORDER))
        )
    return inspections


def establishment_links_for(school: School, user) -> list[EstablishmentLink]:
    links = list(EstablishmentLink.objects.filter(urn=school.urn).order_by("established_date", "linked_urn"))
    linked_urns = [link.linked_urn for link in links]
    visible = set(schools_visible_to(user).filter(urn__in=linked_urns).values_list("urn", flat=True))
    for link in links:
        link.is_visible = link.linked_urn in visible
    return links


def history_for(school: School) -> list[dict]:
    """The latest changes to a school: who, when, and which fields changed from what to what."""
    # One record more than shown, so that the oldest shown change can be diffed too.
    records = list(
        school.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_SHOWN + 1
        ]
    )
    entries = []
    for newer, older in zip(records[:HISTORY_SHOWN], [*records[1:], None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            changes = [
                {
                    "field": School._meta.get_field(change.field).verbose_name,
                    "old": change.old,
                    "new": change.new,
                }
                for change in delta.changes
            ]
        entries.append({"record": newer, "changes": changes})
    return entries


class SchoolDetailView(LoginRequiredMixin, DetailView):
    template_name = "schools/school_detail.html"
    context_object_name = "school"
    slug_field = "urn"
    slug_url_kwarg = "urn"
    extra_context = {"active_nav": "schools"}

    def get_queryset(self) -> QuerySet[School]:
        return schools_visible_to(self.request.user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        school = self.object
        user = self.request.user
        context["inspections"] = inspections_for(school)
        context["links"] = establishment_links_for(school, user)
        context["report_card"] = Framework.REPORT_CARD
        if user.has_perm("schools.view_school_history"):
            context["history"] = history_for(school)
        return context


class ImportPermissionMixin(PermissionRequiredMixin):
    permission_required = "schools.import_data"
    extra_context = {"active_nav": "imports"}


class ImportRunListView(ImportPermissionMixin, GovukPaginationMixin, ListView):
    template_name = "schools/import_list.html"
    context_object_name = "runs"
    paginate_by = 25
    queryset = ImportRun.objects.select_related("started_by")


class ImportUploadView(ImportPermissionMixin, FormView):
    template_name = "schools/import_form.html"
    form_class = ImportUploadForm

    def form_valid(self, form: ImportUploadForm) -> HttpResponse:
        try:
            run = services.start_import(
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                user=self.request.user,
            )
        except services.ImportRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(self.request, f"{run.original_filename or 'The file'} has been uploaded.")
        return redirect("schools:import-detail", pk=run.pk)


def progress_payload(run: ImportRun) -> dict:
    return {
        "status": run.shown_status,
        "status_label": run.get_shown_status_display(),
        "is_finished": run.is_finished,
        "is_interrupted": run.is_interrupted,
        "rows_read": run.rows_read if run.is_finished else services.import_progress(run),
    }


class ImportRunDetailView(ImportPermissionMixin, DetailView):
    template_name = "schools/import_detail.html"
    context_object_name = "run"
    queryset = ImportRun.objects.select_related("started_by")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["progress"] = progress_payload(self.object)
        context["progress_url"] = reverse("schools:import-progress", kwargs={"pk": self.object.pk})
        return context


class ImportRunAgainView(ImportPermissionMixin, SingleObjectMixin, View):
    """Queues an interrupted import again (POST only)."""

    http_method_names = ["post"]
    queryset = ImportRun.objects.all()

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        run = self.get_object()
        try:
            services.run_import_again(run)
        except services.ImportRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "The import will run again from its first row.")
        return redirect("schools:import-detail", pk=run.pk)


class ImportRunProgressView(ImportPermissionMixin, DetailView):
    queryset = ImportRun.objects.all()

    def render_to_response(self, context, **response_kwargs) -> JsonResponse:
        return JsonResponse(progress_payload(self.object))

