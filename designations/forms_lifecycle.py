"""Forms for a designation's lifecycle: training, status changes, reviews and de-designation cases.

The forms check what a person typed; the lifecycle services decide whether the action is allowed,
and their refusals are added to the form as errors by the views."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from govuk.forms import GovukDateField, GovukFormMixin

from .choices import ReviewOutcome
from .models import Review, TrainingRecord, TrainingRequirement

DATE_HELP = "For example, 27 3 2026"


def _date_field(label: str, *, required_message: str, model=None, name: str = "") -> GovukDateField:
    """A GOV.UK date input, checked by the model field's own range when one is named."""
    validators = list(model._meta.get_field(name).validators) if model else []
    return GovukDateField(
        label, help_text=DATE_HELP, required_message=required_message, validators=validators
    )


def _refuse_future(day: datetime.date | None, message: str) -> datetime.date | None:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(message)
    return day


class TrainingRecordForm(GovukFormMixin, forms.Form):
    """One outstanding training requirement's completion date; one form per requirement."""

    requirement = forms.ModelChoiceField(
        queryset=TrainingRequirement.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "This training is already recorded or not required"},
    )
    completed_on = _date_field(
        "Date completed", required_message="Enter the date the training was completed",
        model=TrainingRecord, name="completed_on",
    )

    def __init__(self, *args, outstanding: list[TrainingRequirement], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = TrainingRequirement.objects.filter(
            pk__in=[requirement.pk for requirement in outstanding]
        )

    def clean_completed_on(self) -> datetime.date | None:
        return _refuse_future(
            self.cleaned_data.get("completed_on"), "The completion date cannot be in the future"
        )


class StatusChangeForm(GovukFormMixin, forms.Form):
    """The reason for a suspension, reinstatement, de-designation or lapse."""

    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="The holder and the designating body will see this reason.",
    )

    confirm = forms.BooleanField(
        required=False, label="", error_messages={"required": "Confirm the change"},
    )

    def __init__(
        self, *args, reason_required: bool, action_label: str, confirm_label: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.reason_required = reason_required
        if confirm_label:
            # Reinstating asks "are you sure?" as a GOV.UK confirmation: a box to tick.
            self.fields["confirm"].required = True
            self.fields["confirm"].label = confirm_label
            self.fields["confirm"].error_messages["required"] = (
                f"Confirm that the designation should be {action_label}"
            )
            self["confirm"].label = confirm_label
        else:
            del self.fields["confirm"]
        label = f"Why is the designation being {action_label}?"
        if not reason_required:
            label += " (optional)"
        self.fields["reason"].label = label
        # GovukFormMixin has already bound the field, and a bound field copies its label.
        self["reason"].label = label

    def clean_reason(self) -> str:
        reason = self.cleaned_data.get("reason", "").strip()
        if self.reason_required and not reason:
            raise forms.ValidationError("Enter a reason")
        return reason


class ScheduleReviewForm(GovukFormMixin, forms.Form):
    due_on = _date_field(
        "Review due on", required_message="Enter the date the review is due", model=Review, name="due_on"
    )

    def clean_due_on(self) -> datetime.date | None:
        due_on = self.cleaned_data.get("due_on")
        if due_on is not None and due_on < timezone.localdate():
            raise forms.ValidationError("The review date must be today or in the future")
        return due_on


class RecordReviewForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome of the review",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the review"},
    )
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Required when the review found concerns: they open a de-designation case.",
    )
    completed_on = _date_field(
        "Date of the review", required_message="Enter the date of the review",
        model=Review, name="completed_on",
    )

    def clean_completed_on(self) -> datetime.date | None:
        return _refuse_future(
            self.cleaned_data.get("completed_on"), "The date of the review cannot be in the future"
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["notes"] = cleaned.get("notes", "").strip()
        if cleaned.get("outcome") == ReviewOutcome.CONCERNS and not cleaned["notes"]:
            self.add_error("notes", "Describe the concerns the review found")
        return cleaned


class CaseDecisionForm(GovukFormMixin, forms.Form):
    KEEP = "keep"
    DE_DESIGNATE = "de_designate"

    decision = forms.ChoiceField(
        label="Decision",
        choices=[(KEEP, "Keep the designation"), (DE_DESIGNATE, "De-designate")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to keep the designation or de-designate"},
    )
    notes = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The holder and the designating body will see these reasons.",
        error_messages={"required": "Enter the reasons for the decision"},
    )

    @property
    def de_designates(self) -> bool:
        return self.cleaned_data["decision"] == self.DE_DESIGNATE
