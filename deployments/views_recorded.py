"""Recording an agreement a party gave outside the service (the broker or a national
administrator): who agreed, when and how, then a check-answers step to confirm or cancel; and the
copy of that agreement, for those who may see it."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic.base import ContextMixin

from govuk.forms import add_service_error
from refusals import Refusal
from submissions.views import SubmitOnceMixin

from . import services
from .choices import AgreementStatus, RecordedSignoffStatus
from .errors import DeploymentError
from .forms import RecordOutsideAgreementForm
from .models import Agreement, RecordedSignoff
from .rules import recordable_parties
from .views import DeploymentMixin
from .views_agreement import AgreementMixin


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
            initial={"party": party} if party else {}, parties=self.parties(agreement),
            costs=self.costs(agreement),
        )
        return self.render_page(agreement, form)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        agreement = self.get_agreement()
        refused = self.refuse_unless_waiting(agreement)
        if refused:
            return refused
        form = RecordOutsideAgreementForm(
            request.POST, request.FILES, parties=self.parties(agreement), costs=self.costs(agreement)
        )
        if form.is_valid():
            try:
                record = services.record_outside_agreement(agreement, actor=request.user, **form.cleaned_data)
            except DeploymentError as error:
                add_service_error(form, error)
            else:
                return redirect(
                    "deployments:recorded-signoff-confirm",
                    pk=self.deployment.pk,
                    version=agreement.version,
                    record_pk=record.pk,
                )
        return self.render_page(agreement, form)

    def costs(self, agreement: Agreement):
        return agreement.cost_summary(budget=self.deployment.support_request.budget)

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
        except Refusal as error:  # the last party's agreement moves the request on: brokerage may refuse
            return self.render_page(record, error=error.message)
        message = f"{record.agreed_by_name}'s agreement is recorded for {record.get_party_display().lower()}."
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
        except DeploymentError as error:
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
