"""Forms for the claims pages: the list's filters, the claim (its period, then its costs, evidence
and note), and the commissioner's and the school's actions on a claim.

The forms check what a person typed; the services decide whether the claim may be made or changed,
and the views add their refusals to the form (on the field the service names, else above it)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from bounds import number_text
from govuk.forms import GovukFormMixin, apply_govuk_classes, mark_govuk_errors, model_date_field, text_area

from .choices import EVIDENCED_LINE_KINDS, ClaimState
from .models import Claim, ClaimLine, Payment
from .services import CostClaim
from .validators import CLAIMED_COST_DAYS, PAYMENT_REFERENCE_MAX

EVIDENCE_HELP = "An invoice or a timesheet: a PDF, DOCX, XLSX, PNG, JPG or TXT file."
FILE_ERRORS = {
    "empty": "The selected file is empty.",
    "invalid": "The selected file could not be read: upload it again.",
}


# --- the list ------------------------------------------------------------------------------------


class ClaimFilterSet(django_filters.FilterSet):
    """The claims list's filters: a free-text search and the state."""

    q = django_filters.CharFilter(method="search", label="Reference or school")
    state = django_filters.MultipleChoiceFilter(choices=ClaimState.choices, label="State", distinct=False)

    class Meta:
        model = Claim
        fields = ["q", "state"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__iexact=value)
            | Q(claiming_school__name__icontains=value)
            | Q(deployment__supported_school__name__icontains=value)
        )


def prepare_claim_filter_form(form: forms.Form) -> forms.Form:
    form.fields["state"].widget = forms.CheckboxSelectMultiple(choices=form.fields["state"].choices)
    form.fields["q"].help_text = "A claim's reference, or the name of a school"
    apply_govuk_classes(form)
    if form.is_bound:
        form.is_valid()
        mark_govuk_errors(form)
    return form


# --- the claim -----------------------------------------------------------------------------------


class ClaimPeriodForm(GovukFormMixin, forms.Form):
    """Step one: the period claimed, whose logged time the service prices."""

    period_start = model_date_field(
        Claim, "period_start", "Start of the period", required_message="Enter the start of the period"
    )
    period_end = model_date_field(
        Claim, "period_end", "End of the period", required_message="Enter the end of the period"
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        return cleaned


def cost_days_field(line) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"Days of {(line.description or line.get_kind_display()).lower()} (optional)",
        required=False,
        max_digits=6,
        decimal_places=1,
        validators=[CLAIMED_COST_DAYS],
        help_text=f"The agreement reimburses {number_text(line.days)} days at £{line.day_rate:,.2f} a day",
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        error_messages={"invalid": "Days must be a number, like 1.5"},
    )


class ClaimForm(ClaimPeriodForm):
    """Step two: the period (carried from step one), the days of each cost the agreement
    reimburses with its evidence, a note and the claimant's confirmation."""

    note = text_area("Anything the commissioner should know (optional)", required=False, rows=3)
    confirm = forms.BooleanField(
        label="I confirm the time and costs claimed were delivered and borne by the school",
        error_messages={"required": "Confirm the time and costs claimed were delivered"},
    )

    def __init__(self, *args, cost_lines=(), **kwargs) -> None:
        self.cost_lines = list(cost_lines)
        super().__init__(*args, **kwargs)
        for line in self.cost_lines:
            self.fields[f"cost_{line.pk}"] = cost_days_field(line)
            self.fields[f"cost_{line.pk}_evidence"] = forms.FileField(
                label="Evidence", required=False, help_text=EVIDENCE_HELP, error_messages=FILE_ERRORS
            )
        apply_govuk_classes(self)

    def cost_rows(self) -> list[dict]:
        return [
            {"line": line, "days": self[f"cost_{line.pk}"], "evidence": self[f"cost_{line.pk}_evidence"]}
            for line in self.cost_lines
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        for line in self.cost_lines:
            days, evidence = cleaned.get(f"cost_{line.pk}"), cleaned.get(f"cost_{line.pk}_evidence")
            if days and not evidence and f"cost_{line.pk}_evidence" not in self.errors:
                label = line.description or line.get_kind_display()
                self.add_error(
                    f"cost_{line.pk}_evidence", f"{label}: upload the invoice or timesheet for this cost."
                )
        return cleaned

    def costs(self) -> list[CostClaim]:
        return [
            CostClaim(
                line.pk, self.cleaned_data[f"cost_{line.pk}"], self.cleaned_data[f"cost_{line.pk}_evidence"]
            )
            for line in self.cost_lines
            if self.cleaned_data.get(f"cost_{line.pk}")
        ]


# --- actions on a claim --------------------------------------------------------------------------


class ConfirmForm(GovukFormMixin, forms.Form):
    """A confirmation with an optional note, for approving and withdrawing."""

    note = text_area("Note (optional)", required=False, rows=3)

    def __init__(self, *args, with_note: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_note:
            del self.fields["note"]


class RequestInformationForm(GovukFormMixin, forms.Form):
    note = text_area(
        "What information do you need?",
        help_text="The claiming school will see this and answer it.",
        required_message="Say what information you need",
    )


class RejectForm(GovukFormMixin, forms.Form):
    reason = text_area(
        "Why are you rejecting the claim?",
        help_text="Both schools will see this. The time claimed can then be claimed again.",
        required_message="Give the reason for rejecting the claim",
    )


class PaymentForm(GovukFormMixin, forms.Form):
    paid_on = model_date_field(Payment, "paid_on", "Date paid", required_message="Enter the date paid")
    reference = forms.CharField(
        label="Payment reference",
        max_length=PAYMENT_REFERENCE_MAX,
        help_text="The finance system's reference, for example a BACS reference",
        error_messages={
            "required": "Enter the payment reference",
            "max_length": f"The payment reference must be {PAYMENT_REFERENCE_MAX} characters or fewer",
        },
    )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            raise forms.ValidationError("Enter the payment reference")
        return reference


class GiveInformationForm(GovukFormMixin, forms.Form):
    """The claiming school's answer, with a replacement file for any evidenced line."""

    note = text_area(
        "Your answer",
        help_text="The commissioner will see this with the claim.",
        required_message="Give the information the commissioner asked for",
    )

    def __init__(self, *args, lines: list[ClaimLine] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.kind in EVIDENCED_LINE_KINDS]
        for line in self.lines:
            self.fields[f"line_{line.pk}_evidence"] = forms.FileField(
                label=f"Replace the evidence for {line.description or line.get_kind_display()} (optional)",
                required=False,
                help_text=EVIDENCE_HELP,
                error_messages=FILE_ERRORS,
            )
        apply_govuk_classes(self)

    def evidence_fields(self) -> list:
        return [self[f"line_{line.pk}_evidence"] for line in self.lines]

    def evidence(self) -> dict:
        files = {line.pk: self.cleaned_data.get(f"line_{line.pk}_evidence") for line in self.lines}
        return {pk: file for pk, file in files.items() if file}
