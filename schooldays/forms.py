"""The form for a term period: its name and dates, checked by the model's own validation."""

from __future__ import annotations

from django import forms

from govuk.forms import GovukFormMixin, model_date_field

from .models import SchoolYear, TermPeriod


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


class SchoolYearForm(GovukFormMixin, forms.ModelForm):
    """A new school year, by the calendar year it starts in: it runs from 1 September to 31 August,
    so two years never overlap as long as no two start in the same year."""

    class Meta:
        model = SchoolYear
        fields = ["starts_in"]
        labels = {"starts_in": "Year it starts in"}
        help_texts = {
            "starts_in": "The school year runs from 1 September of this year to 31 August of the next, "
            "for example 2027"
        }
        error_messages = {
            "starts_in": {
                "required": "Enter the year the school year starts in",
                "invalid": "The year must be a whole number, like 2027",
            }
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_in"].widget = forms.NumberInput(attrs={"inputmode": "numeric"})

    def validate_unique(self) -> None:
        """The service says so, with the year's name, under the lock (see ``services.add_school_year``)."""
