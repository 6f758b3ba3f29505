"""Forms for the deployment pages: the list's filters, the agreement with its objectives and staff,
time, variations, reviews, the final evaluation, state changes and leaders' unavailability.

The forms check what a person typed; the services decide whether the action is allowed, and the
views add their refusals to the form (on the field the service names, else above the form)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation
from govuk.forms import GovukFormMixin, apply_govuk_classes, date_field, mark_govuk_errors, text_area

from .choices import (
    AgreementMethod,
    CostKind,
    ObjectiveOutcome,
    Party,
    Rag,
    RateBasis,
    StateReason,
    TimeBasis,
)
from .filters import DeploymentFilterSet
from .models import (
    Agreement,
    AgreementCostLine,
    AgreementStaff,
    FinalEvaluation,
    Objective,
    ProgressReview,
    TimeEntry,
    Unavailability,
    Variation,
)


def model_days_field(
    model, name: str, label: str, *, required: bool = True, help_text: str = "", step: str = "0.5"
) -> forms.DecimalField:
    """A number box for a model's bounded decimal field: its range and message are the model's."""
    return model._meta.get_field(name).formfield(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": step, "inputmode": "decimal"}),
        error_messages={
            "required": f"Enter the {label.lower().removesuffix(' (optional)')}",
            "invalid": f"{label.removesuffix(' (optional)')} must be a number, like 1.5",
        },
    )


def model_validators(model, name: str) -> list:
    return list(model._meta.get_field(name).validators)


# --- the list ------------------------------------------------------------------------------------


class DeploymentListFilterSet(DeploymentFilterSet):
    """The API's filters, plus a free-text school search and "only mine" for the list page."""

    q = django_filters.CharFilter(method="search", label="School")
    mine = django_filters.BooleanFilter(method="only_mine", label="Only deployments I work on")

    class Meta(DeploymentFilterSet.Meta):
        fields = [*DeploymentFilterSet.Meta.fields, "q", "mine"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        match = Q(supported_school__name__icontains=value) | Q(leader_school__name__icontains=value)
        if value.isascii() and value.isdigit():
            match |= Q(supported_school__urn=value) | Q(leader_school__urn=value)
        return queryset.filter(match)

    def only_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        from .models import Deployment

        user = self.request.user
        mine = Deployment.objects.filter(Q(leader=user) | Q(agreements__staff__user=user)).values("pk")
        return queryset.filter(pk__in=mine)


def prepare_list_filter_form(form: forms.Form) -> forms.Form:
    form.fields["state"].widget = forms.CheckboxSelectMultiple(choices=form.fields["state"].choices)
    form.fields["q"].help_text = "Name or URN of the supported school or the leader's school"
    form.fields["mine"].widget = forms.HiddenInput()
    apply_govuk_classes(form)
    if form.is_bound:
        form.is_valid()
        mark_govuk_errors(form)
    return form


# --- the agreement -------------------------------------------------------------------------------


class AgreementTermsForm(GovukFormMixin, forms.Form):
    expected_impact = text_area("Expected impact", help_text="What will be different when support ends.")
    support_approach = text_area("Support approach", help_text="How the leader will work with the school.")
    school_participants = text_area(
        "Leaders of the supported school who take part",
        help_text="For example, Headteacher; maths lead",
        rows=2,
    )
    time_basis = forms.ChoiceField(
        label="How is the time agreed?",
        choices=TimeBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the time is agreed"},
    )
    days_per_week = model_days_field(
        Agreement, "days_per_week", "Days a week", required=False, step="0.25",
        help_text="If the time is agreed in days a week: from 0.25 to 5, in quarter days",
    )
    total_days = model_days_field(
        Agreement, "total_days", "Total days", required=False, help_text="If the time is agreed as total days"
    )
    starts_on = date_field(
        "Start date", required_message="Enter the start date",
        validators=model_validators(Agreement, "starts_on"),
    )
    ends_on = date_field(
        "End date", required_message="Enter the end date", validators=model_validators(Agreement, "ends_on")
    )
    rate_basis = forms.ChoiceField(
        label="How is the support paid for?",
        choices=RateBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the support is paid for"},
    )
    day_rate = Agreement._meta.get_field("day_rate").formfield(
        label="Day rate (£)",
        required=False,
        help_text="If paid at a day rate",
        error_messages={"invalid": "Day rate must be an amount, like 450"},
    )
    total_amount = Agreement._meta.get_field("total_amount").formfield(
        label="Total amount (£)",
        required=False,
        help_text="If paid as a total",
        error_messages={"invalid": "Total amount must be an amount, like 5000"},
    )
    payer = forms.ModelChoiceField(
        label="Who pays",
        queryset=Organisation.objects.none(),
        empty_label="Choose who pays",
        error_messages={"required": "Select who pays"},
    )
    payee_school = forms.ModelChoiceField(
        label="Paid to",
        queryset=None,
        empty_label="Choose the school",
        help_text="Money is always paid to a school, never to a person.",
        error_messages={
            "required": "Select the school that is paid",
            "invalid_choice": "Select a listed school",
        },
    )
    backfill_note = text_area(
        "Backfill (optional)",
        required=False,
        help_text="Backfill or supply cover reimbursed, if any.",
        rows=2,
    )

    def __init__(self, *args, payers: QuerySet, payees: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = payers
        from schools.models import School

        self.fields["payee_school"].queryset = School.objects.filter(pk__in=[s.pk for s in payees])

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("time_basis") == TimeBasis.DAYS_PER_WEEK:
            cleaned["total_days"] = None
            if cleaned.get("days_per_week") is None and "days_per_week" not in self.errors:
                self.add_error("days_per_week", "Enter the days a week")
        elif cleaned.get("time_basis") == TimeBasis.TOTAL_DAYS:
            cleaned["days_per_week"] = None
            if cleaned.get("total_days") is None and "total_days" not in self.errors:
                self.add_error("total_days", "Enter the total days")
        if cleaned.get("rate_basis") == RateBasis.DAY_RATE:
            cleaned["total_amount"] = None
            if cleaned.get("day_rate") is None and "day_rate" not in self.errors:
                self.add_error("day_rate", "Enter the day rate")
        elif cleaned.get("rate_basis") == RateBasis.TOTAL:
            cleaned["day_rate"] = None
            if cleaned.get("total_amount") is None and "total_amount" not in self.errors:
                self.add_error("total_amount", "Enter the total amount")
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return cleaned

    @staticmethod
    def initial_from(agreement: Agreement) -> dict:
        return {
            name: getattr(agreement, name)
            for name in (
                "expected_impact",
                "support_approach",
                "school_participants",
                "time_basis",
                "days_per_week",
                "total_days",
                "starts_on",
                "ends_on",
                "rate_basis",
                "day_rate",
                "total_amount",
                "backfill_note",
            )
        } | {"payer": agreement.payer_id, "payee_school": agreement.payee_school_id}


class ObjectiveForm(GovukFormMixin, forms.Form):
    description = text_area("Objective", rows=2)
    success_measure = text_area(
        "Success measure", help_text="How everyone will know it has been met.", rows=2
    )
    target_on = date_field(
        "Target date", required_message="Enter the target date",
        validators=model_validators(Objective, "target_on"),
    )
    carried_from = forms.IntegerField(required=False, widget=forms.HiddenInput)


class StaffForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter their name"})
    role = forms.CharField(label="Role", max_length=200, error_messages={"required": "Enter their role"})
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        help_text="Their account's email address, if they log their own time",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    days = model_days_field(AgreementStaff, "days", "Days (optional)", required=False)

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email", "").strip().lower()
        if email:
            self.user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
            if self.user is None:
                raise forms.ValidationError("No one has an account with this email address")
        return email

    def user_id(self) -> int | None:
        user = getattr(self, "user", None)
        return user.pk if user is not None and self.cleaned_data.get("email") else None


class CostLineForm(GovukFormMixin, forms.Form):
    """Backfill, supply cover or another cost reimbursed to the leader's school, at its own rate."""

    kind = forms.ChoiceField(
        label="What is it for?",
        # A blank first choice, so an added row left empty is ignored rather than refused.
        choices=[("", "Choose what the cost is for"), *CostKind.choices],
        error_messages={"required": "Select what the cost is for", "invalid_choice": "Select a listed cost"},
    )
    description = forms.CharField(
        label="Description (optional)",
        max_length=200,
        required=False,
        help_text="For example, cover for the leader's maths classes",
        error_messages={"max_length": "The description must be 200 characters or fewer"},
    )
    days = model_days_field(AgreementCostLine, "days", "Days", help_text="In half days, for example 10")
    day_rate = AgreementCostLine._meta.get_field("day_rate").formfield(
        label="Day rate (£)",
        help_text="Its own rate, for example 220",
        error_messages={"required": "Enter the day rate", "invalid": "Day rate must be an amount, like 220"},
    )


class BaseObjectiveFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": "Add at least one objective.",
    }


ObjectiveFormSet = forms.formset_factory(
    ObjectiveForm, formset=BaseObjectiveFormSet, extra=0, min_num=1, validate_min=True, can_delete=True
)
StaffFormSet = forms.formset_factory(StaffForm, extra=0, can_delete=True)
CostLineFormSet = forms.formset_factory(CostLineForm, extra=0, can_delete=True)


def cost_line_initial(agreement: Agreement) -> list[dict]:
    return [
        {"kind": c.kind, "description": c.description, "days": c.days, "day_rate": c.day_rate}
        for c in agreement.cost_lines.all()
    ]


def with_extra_row(data, prefix: str):
    """The posted data with one more (blank) row in the formset: "Add another"."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    data[key] = str(int(data.get(key) or 0) + 1)
    return data


def objective_initial(objectives: list[Objective]) -> list[dict]:
    return [
        {
            "description": o.description,
            "success_measure": o.success_measure,
            "target_on": o.target_on,
            "carried_from": o.carried_from_id,
        }
        for o in objectives
    ]


class RequestChangesForm(GovukFormMixin, forms.Form):
    reason = text_area(
        "What needs to change?",
        help_text="The broker and the other parties will see this.",
        rows=5,
        required_message="Say what needs to change",
    )


class RecordOutsideAgreementForm(GovukFormMixin, forms.Form):
    """Step one of recording an agreement a party gave outside the service."""

    party = forms.ChoiceField(
        label="Which party agreed?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the party that agreed"},
    )
    agreed_by_name = forms.CharField(
        label="Who agreed?",
        max_length=200,
        help_text="Their full name",
        error_messages={
            "required": "Enter the name of the person who agreed",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    agreed_by_role = forms.CharField(
        label="Their role",
        max_length=200,
        help_text="For example, headteacher or chair of governors",
        error_messages={
            "required": "Enter their role",
            "max_length": "The role must be 200 characters or fewer",
        },
    )
    agreed_on = date_field("When did they agree?", required_message="Enter the date they agreed")
    method = forms.ChoiceField(
        label="How did they agree?",
        choices=AgreementMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they agreed"},
    )
    copy = forms.FileField(
        label="Upload a copy (optional)",
        required=False,
        error_messages={
            "empty": "The selected file is empty.",
            "invalid": "The selected file could not be read: upload it again.",
        },
        help_text="The email, the signed letter or the meeting notes: "
        "a PDF, DOCX, XLSX, PNG, JPG or TXT file.",
    )

    accept_overrun = forms.BooleanField(required=False)

    def __init__(self, *args, parties: list[str], costs=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(p, Party(p).label) for p in parties]
        # Over the budget, the commissioner's agreement counts only if they accepted the overrun.
        self.costs = costs
        if costs is not None and costs.overrun and Party.COMMISSIONER in parties:
            field = self.fields["accept_overrun"]
            field.label = f"For the commissioner: they accepted the overrun of {costs.overrun_text}"
            field.help_text = (
                "Tick only if what they agreed says so: without it, their agreement cannot count."
            )

            self["accept_overrun"].label = field.label
        else:
            del self.fields["accept_overrun"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            "accept_overrun" in self.fields
            and cleaned.get("party") == Party.COMMISSIONER
            and not cleaned.get("accept_overrun")
        ):
            self.add_error("accept_overrun", self.costs.acceptance_refusal)
        return cleaned

    def clean_agreed_on(self) -> datetime.date:
        agreed_on = self.cleaned_data["agreed_on"]
        if agreed_on > timezone.localdate():
            raise forms.ValidationError("The date they agreed must be today or in the past")
        return agreed_on


# --- time, variations, reviews, evaluation -------------------------------------------------------


class TimeEntryForm(GovukFormMixin, forms.Form):
    worked_on = date_field(
        "Date worked", required_message="Enter the date you worked",
        validators=model_validators(TimeEntry, "worked_on"),
    )
    days = model_days_field(
        TimeEntry, "days", "Days", step="0.25",
        help_text="In quarter days, at most 1 a day: for example, 0.5 for a morning",
    )
    note = text_area("What you did (optional)", required=False, rows=3)


class VariationForm(GovukFormMixin, forms.Form):
    extra_days = model_days_field(
        Variation, "extra_days", "Extra days", help_text="Beyond the days agreed, for example 2"
    )
    reason = text_area("Why are more days needed?", rows=4, required_message="Say why more days are needed")


def rag_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Progress",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a rating for this objective"},
    )


class ReviewForm(GovukFormMixin, forms.Form):
    """A progress review: a RAG rating and evidence for each objective of the agreed version."""

    reviewed_on = date_field(
        "Date of the review", required_message="Enter the date of the review",
        validators=model_validators(ProgressReview, "reviewed_on"),
    )
    summary = text_area("Summary (optional)", required=False, rows=4)
    next_review_on = date_field(
        "Next review (optional)", required=False, required_message="", help_text="Leave blank if none is due",
        validators=model_validators(ProgressReview, "next_review_on"),
    )

    def __init__(self, *args, objectives: list[Objective], **kwargs) -> None:
        self.objectives = objectives
        super().__init__(*args, **kwargs)
        for objective in objectives:
            self.fields[f"rag_{objective.pk}"] = rag_field()
            self.fields[f"evidence_{objective.pk}"] = forms.CharField(
                label="Evidence",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Enter the evidence for this rating"},
            )
        apply_govuk_classes(self)

    def clean_reviewed_on(self) -> datetime.date | None:
        from django.utils import timezone

        reviewed_on = self.cleaned_data.get("reviewed_on")
        if reviewed_on and reviewed_on > timezone.localdate():
            raise forms.ValidationError("The date of the review cannot be in the future")
        return reviewed_on

    def rows(self) -> list[dict]:
        return [
            {"objective": o, "rag": self[f"rag_{o.pk}"], "evidence": self[f"evidence_{o.pk}"]}
            for o in self.objectives
        ]

    def ratings(self) -> list:
        from . import services

        return [
            services.Rating(o.pk, self.cleaned_data[f"rag_{o.pk}"], self.cleaned_data[f"evidence_{o.pk}"])
            for o in self.objectives
        ]


class EvaluationForm(GovukFormMixin, forms.Form):
    impact = text_area("Impact", help_text="The impact of the support, with evidence.", rows=6)
    capacity_built = text_area(
        "Capacity built (optional)", required=False, help_text="How the school's own leadership grew.", rows=4
    )
    evaluated_on = date_field(
        "Date of the evaluation", required_message="Enter the date of the evaluation",
        validators=model_validators(FinalEvaluation, "evaluated_on"),
    )

    def __init__(self, *args, objectives: list[Objective], **kwargs) -> None:
        self.objectives = objectives
        super().__init__(*args, **kwargs)
        for objective in objectives:
            self.fields[f"outcome_{objective.pk}"] = forms.ChoiceField(
                label=objective.description,
                choices=ObjectiveOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select whether this objective was met"},
            )
        apply_govuk_classes(self)

    def outcome_fields(self) -> list:
        return [self[f"outcome_{o.pk}"] for o in self.objectives]

    def outcomes(self) -> dict[int, str]:
        return {o.pk: self.cleaned_data[f"outcome_{o.pk}"] for o in self.objectives}


# --- state changes -------------------------------------------------------------------------------


class StateChangeForm(GovukFormMixin, forms.Form):
    """The reason and note for a state change; which are asked for depends on the change."""

    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose a reason"), *StateReason.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a reason from the list"},
    )
    note = text_area("Note (optional)", required=False, rows=4)

    confirm = forms.BooleanField(required=False, label="")

    def __init__(
        self,
        *args,
        needs_reason: bool,
        needs_note: bool,
        note_label: str,
        note_message: str = "",
        confirm_label: str = "",
        confirm_message: str = "",
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if confirm_label:
            # A final step (finishing the support) asks "are you sure?": a box to tick.
            self.fields["confirm"].required = True
            self.fields["confirm"].label = confirm_label
            self.fields["confirm"].error_messages["required"] = confirm_message
            self["confirm"].label = confirm_label
        else:
            del self.fields["confirm"]
        self.needs_reason, self.needs_note = needs_reason, needs_note
        self.note_message = note_message or "Enter a note"
        if not needs_reason:
            del self.fields["reason"]
        self.fields["note"].label = note_label
        self["note"].label = note_label

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["note"] = cleaned.get("note", "").strip()
        if self.needs_reason and not cleaned.get("reason") and "reason" not in self.errors:
            self.add_error("reason", "Choose the reason")
        if self.needs_note and not cleaned["note"]:
            self.add_error("note", self.note_message)
        return cleaned


# --- unavailability ------------------------------------------------------------------------------


class UnavailabilityForm(GovukFormMixin, forms.ModelForm):
    starts_on = date_field("From", required_message="Enter the first day you are unavailable")
    ends_on = date_field("To", required_message="Enter the last day you are unavailable")
    days_per_week_available = Unavailability._meta.get_field("days_per_week_available").formfield(
        label="Days a week you can still give",
        initial=0,
        help_text="0 if you cannot give any time in this period, in half days",
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        error_messages={
            "required": "Enter the days a week you can still give (0 for none)",
            "invalid": "Days a week must be a number, like 0.5",
        },
    )

    class Meta:
        model = Unavailability
        fields = ["starts_on", "ends_on", "days_per_week_available", "reason"]
        labels = {"reason": "Reason (optional)"}
        help_texts = {"reason": "For example, parental leave. Brokers see this."}

    # The dates' order and range are Unavailability's own (its validators and clean()).
