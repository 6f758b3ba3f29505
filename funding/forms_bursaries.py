"""Forms for the bursary and grant pages: the rates, the list's filters, cancelling and paying.

The forms check what a person typed (with the model's validators); the services decide whether the
action is allowed, and the views add their refusals to the form."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from designations.models import DesignationType
from govuk.forms import GovukFormMixin, apply_govuk_classes, date_field, mark_govuk_errors, text_area

from .choices import BursaryState, FundingKind
from .models import Bursary, FundingRate, Payment
from .services.bursaries import financial_year_of, year_label
from .validators import FUNDING_YEAR, PAYMENT_REFERENCE_MAX


def year_choices() -> list[tuple[int, str]]:
    """This financial year, the next one and the five before, newest first."""
    this = financial_year_of(timezone.localdate())
    return [(year, year_label(year)) for year in range(this + 1, this - 6, -1)]


class FundingRateForm(GovukFormMixin, forms.ModelForm):
    """A year's amount for a kind of funding and the designation type it is paid for."""

    year = forms.IntegerField(
        label="Financial year",
        help_text="By the year it starts on 1 April: 2026 is April 2026 to March 2027",
        validators=[FUNDING_YEAR],
        error_messages={
            "required": "Enter the financial year",
            "invalid": "The year must be a number, like 2026",
        },
    )

    class Meta:
        model = FundingRate
        fields = ["kind", "designation_type", "year", "annual_amount"]
        labels = {"kind": "Kind of funding", "annual_amount": "Amount a year, in pounds"}
        help_texts = {"annual_amount": "For a whole year: part years are paid pro rata, for example 10000"}
        error_messages = {
            "kind": {"required": "Select the kind of funding"},
            "designation_type": {"required": "Select the designation type"},
            "annual_amount": {
                "required": "Enter the amount a year",
                "invalid": "The amount a year must be a number, like 10000",
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget = forms.RadioSelect(choices=FundingKind.choices)
        self.fields["designation_type"].queryset = DesignationType.objects.order_by("code")
        self.fields["designation_type"].empty_label = "Choose a designation type"
        self.fields["year"].widget = forms.NumberInput(attrs={"inputmode": "numeric"})
        if not self.instance.pk:
            self.initial.setdefault("year", financial_year_of(timezone.localdate()))
        apply_govuk_classes(self)

    def clean(self) -> dict:
        data = super().clean()
        kind, designation_type, year = data.get("kind"), data.get("designation_type"), data.get("year")
        if not (kind and designation_type):
            return data
        if kind == FundingKind.NSS_BURSARY and not designation_type.makes_national_support_school:
            self.add_error(
                "designation_type",
                f"{designation_type.code} holders' schools are not national support schools: choose NLE",
            )
        if kind == FundingKind.NLG_GRANT and designation_type.makes_national_support_school:
            self.add_error(
                "designation_type", f"{designation_type.code} schools get the NSS bursary, not the NLG grant"
            )
        if not year:
            return data
        same = FundingRate.objects.filter(designation_type=designation_type, year=year).exclude(
            pk=self.instance.pk
        )
        if same.exists():
            self.add_error(
                "year",
                f"There is already a rate for {designation_type.code} in {year_label(year)}: change that one",
            )
        return data

    def validate_unique(self) -> None:
        """The clean() above says it in words a person reads."""

    def _post_clean(self) -> None:
        # The model's unique constraint would say it again, in a database's words: clean() has.
        super()._post_clean()
        if self.has_error("year") and NON_FIELD_ERRORS in self._errors:
            del self._errors[NON_FIELD_ERRORS]


class BursaryFilterSet(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(choices=year_choices, label="Financial year", empty_label="Any year")
    state = django_filters.MultipleChoiceFilter(choices=BursaryState.choices, label="State", distinct=False)
    kind = django_filters.ChoiceFilter(choices=FundingKind.choices, label="Kind", empty_label="Any kind")

    class Meta:
        model = Bursary
        fields = ["year", "kind", "state"]


def prepare_bursary_filter_form(form: forms.Form) -> forms.Form:
    form.fields["state"].widget = forms.CheckboxSelectMultiple(choices=BursaryState.choices)
    apply_govuk_classes(form)
    if form.is_bound:
        form.is_valid()
        mark_govuk_errors(form)
    return form


class ScheduleForm(GovukFormMixin, forms.Form):
    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=year_choices,
        error_messages={"invalid_choice": "Choose a financial year from the list"},
    )


class ConfirmForm(GovukFormMixin, forms.Form):
    """Nothing to type: the button confirms."""


class CancelBursaryForm(GovukFormMixin, forms.Form):
    reason = text_area("Why is it cancelled?", required_message="Say why the bursary is cancelled")


class PayBursaryForm(GovukFormMixin, forms.Form):
    paid_on = date_field(
        "Date paid",
        required_message="Enter the date it was paid",
        validators=Payment._meta.get_field("paid_on").validators,
    )
    reference = forms.CharField(
        label="Payment reference",
        max_length=PAYMENT_REFERENCE_MAX,
        help_text="The finance system's reference for the payment",
        error_messages={
            "required": "Enter the payment reference",
            "max_length": f"The payment reference must be {PAYMENT_REFERENCE_MAX} characters or fewer",
        },
    )
