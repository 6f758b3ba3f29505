"""The broker's work on a request's shortlist: adding a candidate, marking them contacted or
declined, and keeping notes on them. Every page needs ``brokerage.broker_request`` on the request
(RequestMixin) and refuses changes once the request is no longer waiting to be brokered."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from designations.models import Designation
from govuk.forms import add_service_error
from submissions.views import SubmitOnceMixin

from . import services
from .choices import WAITING_REQUEST_STATUSES
from .errors import BrokerageError
from .forms import DeclineForm, ShortlistNoteForm
from .models import ShortlistEntry
from .views_requests import NAV, RequestMixin


class BrokerActionView(SubmitOnceMixin, RequestMixin, View):
    """POST-only: add a candidate to the shortlist."""

    permission = "brokerage.broker_request"

    def post(self, request: HttpRequest, pk: int, designation_pk: int) -> HttpResponse:
        designation = get_object_or_404(
            Designation.objects.select_related("holder", "designation_type"), pk=designation_pk
        )
        try:
            services.shortlist(self.support_request, designation, actor=request.user)
        except BrokerageError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{designation.holder} added to the shortlist.")
        return self.back()


class ShortlistEntryMixin(RequestMixin):
    permission = "brokerage.broker_request"

    def get_entry(self) -> ShortlistEntry:
        return get_object_or_404(
            ShortlistEntry.objects.select_related("designation__holder", "designation__school", "request"),
            pk=self.kwargs["entry_pk"],
            request=self.support_request,
        )

    def refuse_if_closed(self) -> HttpResponse | None:
        if self.support_request.status not in WAITING_REQUEST_STATUSES:
            messages.error(
                self.request, f"This request is {self.support_request.get_status_display().lower()}."
            )
            return self.back()
        return None


class ShortlistEntryView(SubmitOnceMixin, ShortlistEntryMixin, View):
    """POST: mark a shortlisted leader as contacted."""

    def post(self, request: HttpRequest, pk: int, entry_pk: int, action: str) -> HttpResponse:
        entry = self.get_entry()
        if action != "contacted":
            raise Http404
        refused = self.refuse_if_closed()
        if refused:
            return refused
        services.mark_contacted(entry, actor=request.user, notes=request.POST.get("notes", "").strip())
        messages.success(request, f"{entry.designation.holder} marked as contacted.")
        return self.back()


class ShortlistEntryFormView(SubmitOnceMixin, ShortlistEntryMixin, View):
    """The broker's notes on an entry, or why the leader declined: a question page each."""

    kind = "notes"
    KINDS = {
        "notes": {
            "form": ShortlistNoteForm,
            "template": "brokerage/requests/shortlist_notes.html",
        },
        "declined": {
            "form": DeclineForm,
            "template": "brokerage/requests/shortlist_decline.html",
        },
    }

    def get(self, request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
        entry = self.get_entry()
        refused = self.refuse_if_closed()
        if refused:
            return refused
        initial = {"notes": entry.notes} if self.kind == "notes" else {"reason": entry.decline_reason}
        return self.render_page(entry, self.KINDS[self.kind]["form"](initial=initial))

    def post(self, request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
        entry = self.get_entry()
        refused = self.refuse_if_closed()
        if refused:
            return refused
        form = self.KINDS[self.kind]["form"](request.POST)
        if form.is_valid():
            try:
                if self.kind == "notes":
                    notes = form.cleaned_data["notes"]
                    services.update_shortlist_notes(entry, actor=request.user, notes=notes)
                    message = f"Notes on {entry.designation.holder} saved."
                else:
                    services.mark_declined(entry, actor=request.user, reason=form.cleaned_data["reason"])
                    message = f"{entry.designation.holder} marked as declined or unavailable."
            except BrokerageError as error:
                add_service_error(form, error)
            else:
                messages.success(request, message)
                return redirect(f"{reverse('brokerage:request-detail', args=[pk])}#shortlist")
        return self.render_page(entry, form)

    def render_page(self, entry: ShortlistEntry, form) -> HttpResponse:
        return render(
            self.request,
            self.KINDS[self.kind]["template"],
            {"support_request": self.support_request, "entry": entry, "form": form, **NAV},
        )
