"""The form for a term period: its name and dates, checked by the model's own validation."""

from __future__ import annotations

from django import forms

from govuk.forms import GovukFormMixin, model_date_field

from .models import TermPeriod


class TermPeriodForm(GovukFormMixin, forms.ModelForm):
    """The instance carries its school year and calendar, so the model's clean() can say on the
    field when the dates fall outside the year or overlap another period."""

    starts_on = model_date_field(
        TermPeriod, "starts_on", "First day", help_text="The first day of teaching, for example 1 9 2026",
        required_message="Enter the first day of the period",
    )
    ends_on = model_date_field(
        TermPeriod, "ends_on", "Last day", help_text="The last day of teaching, for example 23 10 2026",
        required_message="Enter the last day of the period",
    )

    class Meta:
        model = TermPeriod
        fields = ["name", "starts_on", "ends_on"]
        labels = {"name": "Name of the period"}
        help_texts = {"name": "For example, Autumn 1"}
        error_messages = {"name": {"required": "Enter the name of the period"}}


class ConfirmForm(forms.Form):
    """A confirmation page's form: nothing to fill in, the button is the answer."""
