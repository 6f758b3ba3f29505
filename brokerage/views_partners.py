"""Professional partner pages: a new head searches and requests an LLE, the LLE answers, either logs
coaching and completes it; an LLE opts in or out of offering partnership."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from accounts.rules import remembered
from designations.models import Specialism
from govuk.forms import GovukFormMixin, add_service_error, date_field, text_area
from govuk.pagination import pagination_context
from schools.choices import Phase
from submissions.views import SubmitOnceMixin

from . import partnerships
from .choices import PartnershipStatus
from .errors import BrokerageError
from .models import CoachingSession, ProfessionalPartnership

NAV = {"active_nav": "partners"}
PER_PAGE = 20
DISTANCES = [("", "Any distance"), ("10", "Within 10 km"), ("25", "Within 25 km"), ("50", "Within 50 km")]
ACTIONS = {"accept": True, "decline": False}


def hours_field(label: str, *, help_text: str, min_value: Decimal, max_value: Decimal) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=4,
        decimal_places=2,
        min_value=min_value,
        max_value=max_value,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a number, like 1.5",
            "min_value": f"{label} must be at least {min_value:f}",
            "max_value": f"{label} must be {max_value:f} or fewer",
        },
    )


class SearchForm(GovukFormMixin, forms.Form):
    phase = forms.ChoiceField(label="Phase of their school", required=False, choices=[("", "Any phase")])
    specialism = forms.ModelChoiceField(
        label="Specialism", required=False, queryset=Specialism.objects.order_by("name"), empty_label="Any"
    )
    within_km = forms.TypedChoiceField(
        label="Distance from your school", required=False, choices=DISTANCES, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", "Any phase"), *Phase.choices]

    def filters(self) -> partnerships.SearchFilters:
        if not self.is_valid():
            return partnerships.SearchFilters()
        data = self.cleaned_data
        return partnerships.SearchFilters(
            phase=data["phase"],
            specialism_id=data["specialism"].pk if data["specialism"] else None,
            within_km=data["within_km"],
        )


class RequestForm(GovukFormMixin, forms.Form):
    hours = hours_field(
        "Hours of coaching",
        help_text="Between 20 and 30 hours.",
        min_value=partnerships.HOURS_MIN,
        max_value=partnerships.HOURS_MAX,
    )
    message = text_area(
        "What you would like help with",
        help_text="Your partner reads this before they accept.",
        required_message="Say what you would like help with",
    )


class SessionForm(GovukFormMixin, forms.Form):
    held_on = date_field(
        "Date of the session", required_message="Enter the date of the session",
        validators=CoachingSession._meta.get_field("held_on").validators,
    )
    hours = CoachingSession._meta.get_field("hours").formfield(
        label="Hours",
        help_text="In quarter hours, for example 1.5.",
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        error_messages={"required": "Enter the hours", "invalid": "Hours must be a number, like 1.5"},
    )
    notes = text_area("Notes", required=False, help_text="What you covered (optional).")


class OfferForm(GovukFormMixin, forms.Form):
    offers = forms.TypedChoiceField(
        label="Do you offer professional partnership to new heads?",
        choices=[("yes", "Yes, list me as a professional partner"), ("no", "No")],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        error_messages={"required": "Choose yes or no"},
    )


def explain(request: HttpRequest, title: str, body: list[str]) -> HttpResponse:
    """A refusal that says why, instead of a bare 403."""
    return render(
        request, "brokerage/partners/explanation.html", {"title": title, "body": body, **NAV}, status=403
    )


def not_new_head(request: HttpRequest) -> HttpResponse:
    return explain(
        request,
        "Professional partners are for new headteachers",
        [
            "Only a headteacher in their first two years of their first headship can search for and "
            "request a professional partner.",
            "We work this out from the leadership posts on your record. If your current headship is "
            "missing or its start date is wrong, ask your local authority or the national body to "
            "correct it.",
        ],
    )


class NewHeadMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            self.post_held = partnerships.is_new_head(request.user, timezone.localdate())
            # The page's navigation asks the same question: give it this answer.
            remembered(request.user, "is_new_head", lambda: self.post_held is not None)
            if self.post_held is None:
                return not_new_head(request)
        return super().dispatch(request, *args, **kwargs)


class SearchView(NewHeadMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = SearchForm(request.GET or None)
        school = self.post_held.school
        page = Paginator(partnerships.search(school, form.filters()), PER_PAGE).get_page(
            request.GET.get("page")
        )
        for designation in page.object_list:
            designation.distance_km = partnerships.distance_km(designation)
        live = ProfessionalPartnership.objects.filter(
            new_head=request.user, status__in=partnerships.LIVE_STATUSES
        ).first()
        return render(
            request,
            "brokerage/partners/search.html",
            {
                "form": form,
                "page_obj": page,
                "partners": page.object_list,
                "pagination": pagination_context(request, page),
                "school": school,
                "live_partnership": live,
                **NAV,
            },
        )


class RequestPartnershipView(SubmitOnceMixin, NewHeadMixin, View):
    template_name = "brokerage/partners/request_form.html"

    def page(self, form: RequestForm, designation) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, "designation": designation, **NAV})

    def get(self, request: HttpRequest, designation_pk: int) -> HttpResponse:
        designation = get_object_or_404(partnerships.offering_partners(), pk=designation_pk)
        return self.page(RequestForm(initial={"hours": 20}), designation)

    def post(self, request: HttpRequest, designation_pk: int) -> HttpResponse:
        designation = get_object_or_404(partnerships.offering_partners(), pk=designation_pk)
        form = RequestForm(request.POST)
        if form.is_valid():
            try:
                partnership = partnerships.request_partnership(
                    new_head=request.user,
                    designation=designation,
                    hours=form.cleaned_data["hours"],
                    message=form.cleaned_data["message"],
                    today=timezone.localdate(),
                )
            except BrokerageError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"We have asked {designation.holder} to be your partner.")
                return redirect("partners:detail", pk=partnership.pk)
        return self.page(form, designation)


class MyPartnershipsView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        mine = partnerships.partnerships_visible_to(user).filter(Q(new_head=user) | Q(partner__holder=user))
        page = Paginator(mine.order_by("-requested_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request,
            "brokerage/partners/mine.html",
            {
                "partnerships": page.object_list,
                "page_obj": page,
                "pagination": pagination_context(request, page),
                "is_new_head": partnerships.is_new_head(user, timezone.localdate()) is not None,
                "is_lle": partnerships.own_lle_designations(user).exists(),
                **NAV,
            },
        )


class PartnershipMixin(LoginRequiredMixin):
    """The partnership, 404 outside the user's visibility; ``party_only`` pages 403 for others."""

    party_only = True

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            self.partnership = get_object_or_404(
                partnerships.partnerships_visible_to(request.user), pk=kwargs["pk"]
            )
            if self.party_only and not partnerships.is_party(request.user, self.partnership):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PartnershipDetailView(PartnershipMixin, View):
    party_only = False

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        partnership = self.partnership
        is_party = partnerships.is_party(request.user, partnership)
        active = partnership.status == PartnershipStatus.ACTIVE
        return render(
            request,
            "brokerage/partners/detail.html",
            {
                "partnership": partnership,
                "sessions": partnership.sessions.select_related("logged_by").order_by("held_on", "pk"),
                "hours_left": partnership.hours_agreed - partnership.hours_used,
                "can_respond": partnership.status == PartnershipStatus.REQUESTED
                and partnerships.is_partner(request.user, partnership),
                "can_log": active and is_party and partnership.hours_used < partnership.hours_agreed,
                "can_complete": active and is_party,
                **NAV,
            },
        )


class ConfirmView(SubmitOnceMixin, PartnershipMixin, View):
    """A confirmation page (GET), then the change (POST)."""

    heading = ""
    button = ""

    def confirm_page(self, error: str = "") -> HttpResponse:
        return render(
            self.request,
            "brokerage/partners/confirm.html",
            {
                "partnership": self.partnership,
                "heading": self.heading,
                "button": self.button,
                "error": error,
                **NAV,
            },
        )

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        return self.confirm_page()

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        try:
            message = self.perform()
        except BrokerageError as error:
            return self.confirm_page(error.message)
        messages.success(request, message)
        return redirect("partners:detail", pk=self.partnership.pk)


class RespondView(ConfirmView):
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if kwargs["action"] not in ACTIONS:
            raise Http404("No such answer")
        self.accept = ACTIONS[kwargs["action"]]
        name = "Accept" if self.accept else "Decline"
        self.heading, self.button = f"{name} this request for coaching?", name
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        if not partnerships.is_partner(request.user, self.partnership):
            raise PermissionDenied
        return super().get(request, **kwargs)

    def perform(self) -> str:
        if not partnerships.is_partner(self.request.user, self.partnership):
            raise PermissionDenied
        partnerships.respond(self.partnership, actor=self.request.user, accept=self.accept)
        return (
            "You have accepted: the coaching can begin." if self.accept else "You have declined the request."
        )


class CompleteView(ConfirmView):
    heading = "Mark the coaching as complete?"
    button = "Mark as complete"

    def perform(self) -> str:
        partnerships.complete(self.partnership, actor=self.request.user, today=timezone.localdate())
        return "The professional partnership is complete."


class LogSessionView(SubmitOnceMixin, PartnershipMixin, View):
    def page(self, form: SessionForm) -> HttpResponse:
        partnership = self.partnership
        return render(
            self.request,
            "brokerage/partners/session_form.html",
            {
                "form": form,
                "partnership": partnership,
                "hours_left": partnership.hours_agreed - partnership.hours_used,
                **NAV,
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(SessionForm(initial={"held_on": timezone.localdate()}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                partnerships.log_session(self.partnership, actor=request.user, **form.cleaned_data)
            except BrokerageError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Session logged.")
                return redirect("partners:detail", pk=pk)
        return self.page(form)


class OfferView(SubmitOnceMixin, LoginRequiredMixin, View):
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            self.designation = (
                partnerships.own_lle_designations(request.user).order_by("-designated_on").first()
            )
            if self.designation is None:
                return explain(
                    request,
                    "Only LLEs offer professional partnership",
                    [
                        "You need a current local leader of education (LLE) designation to offer "
                        "coaching to new heads."
                    ],
                )
        return super().dispatch(request, *args, **kwargs)

    def page(self, form: OfferForm) -> HttpResponse:
        return render(
            self.request,
            "brokerage/partners/offer.html",
            {"form": form, "designation": self.designation, **NAV},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        offers = "yes" if self.designation.offers_professional_partnership else "no"
        return self.page(OfferForm(initial={"offers": offers}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                partnerships.set_offer(
                    self.designation, actor=request.user, offers=form.cleaned_data["offers"]
                )
            except BrokerageError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    "New heads can now find you and ask you to be their partner."
                    if form.cleaned_data["offers"]
                    else "You are no longer listed as a professional partner.",
                )
                return redirect("partners:offer")
        return self.page(form)
