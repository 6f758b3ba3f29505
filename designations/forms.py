"""Forms for the directory filters, type and round management, and a holder's own details."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import QuerySet

from accounts.choices import OrganisationKind
from accounts.models import Organisation
from govuk.forms import GovukFormMixin, apply_govuk_classes, mark_govuk_errors, model_date_field
from schools.choices import Region
from schools.models import LocalAuthority

from .choices import CriterionCheck, DesignatingBody, LeadershipRole
from .models import ApplicationRound, Criterion, Designation, DesignationType, Specialism, TrainingRequirement

# Filters shown as checkboxes on the directory (the FilterSet's default is a multi-select).
CHECKBOX_FILTERS = ("specialism", "phase", "status")
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]
YEARS_CHECKS = {
    CriterionCheck.YEARS_IN_HEADSHIP,
    CriterionCheck.YEARS_IN_LEADERSHIP,
    CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5,
}


def prepare_directory_filter_form(form: forms.Form, *, show_status: bool) -> forms.Form:
    """Render DesignationFilterSet's form with GOV.UK components.

    ``show_status`` is False for people who only ever see active designations.
    """
    for name in CHECKBOX_FILTERS:
        field = form.fields[name]
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
    if not show_status:
        del form.fields["status"]
    form.fields["q"].label = "Search"
    form.fields["q"].help_text = "Leader's name, school name or URN"
    apply_govuk_classes(form)
    if form.is_bound:
        form.is_valid()
        mark_govuk_errors(form)
    return form


def drop_blank_radio_choices(form: forms.BaseForm, *names: str) -> None:
    """Radios need no "---------" option: a required question simply has none selected yet."""
    for name in names:
        field = form.fields[name]
        field.choices = [(value, label) for value, label in field.choices if value != ""]


class DesignationTypeForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = DesignationType
        fields = [
            "code", "name", "description", "holder_kind", "designating_body", "brokering_rule",
            "term_months", "review_interval_months", "makes_national_support_school", "is_active",
        ]
        widgets = {
            "code": forms.TextInput(attrs={"class": "govuk-input--width-5"}),
            "holder_kind": forms.RadioSelect,
            "designating_body": forms.RadioSelect,
            "brokering_rule": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "holder_kind": "Who holds it",
            "makes_national_support_school": "Makes the holder's school a national support school",
            "is_active": "Active (takes new rounds)",
        }
        error_messages = {
            "code": {
                "required": "Enter a short code, like DLE", "unique": "A type with this code already exists",
            },
            "name": {"required": "Enter the type's name", "unique": "A type with this name already exists"},
            "designating_body": {"required": "Select who designates"},
            "brokering_rule": {"required": "Select how holders are brokered"},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        drop_blank_radio_choices(self, "holder_kind", "designating_body", "brokering_rule")

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_review_interval_months(self) -> int:
        months = self.cleaned_data["review_interval_months"]
        if not months:
            raise forms.ValidationError("Enter how many months between reviews, 1 or more")
        return months


class CriterionForm(GovukFormMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=LeadershipRole.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label="Qualifying roles", help_text="For role checks: the roles that meet the criterion",
    )

    class Meta:
        model = Criterion
        fields = [
            "label", "kind", "order", "min_years", "roles", "ofsted_rule", "guidance",
            "local_authority_referee", "is_active",
        ]
        widgets = {"kind": forms.RadioSelect, "guidance": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "kind": "How it is judged",
            "min_years": "Minimum years",
            "ofsted_rule": "Ofsted rule",
            "local_authority_referee": "For referee checks: the referee must work for a local authority",
            "is_active": "Active (untick to retire it: past applications keep how they were judged)",
        }
        error_messages = {
            "label": {"required": "Enter the criterion as an applicant reads it"},
            "kind": {"required": "Select how the criterion is judged"},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        drop_blank_radio_choices(self, "kind")
        self.fields["ofsted_rule"].empty_label = "None"

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in YEARS_CHECKS and not cleaned.get("min_years"):
            self.add_error("min_years", "Enter the minimum number of years for this check")
        if kind == CriterionCheck.HOLDS_ROLE and not cleaned.get("roles"):
            self.add_error("roles", "Select at least one qualifying role")
        if kind == CriterionCheck.SCHOOL_OFSTED and not cleaned.get("ofsted_rule"):
            self.add_error("ofsted_rule", "Select the Ofsted rule the school must meet")
        if kind == CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5 and (cleaned.get("min_years") or 0) > 5:
            self.add_error("min_years", "Enter 5 years or fewer: this check looks at the last 5 years")
        return cleaned


class TrainingRequirementForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = TrainingRequirement
        fields = ["name", "order"]
        labels = {"name": "Training", "order": "Position in the list"}
        error_messages = {"name": {"required": "Enter the name of the training"}}

    def __init__(self, *args, designation_type: DesignationType, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.designation_type = designation_type

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        same = TrainingRequirement.objects.filter(
            designation_type=self.instance.designation_type, name__iexact=name
        ).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError("This type already has training with this name")
        return name


def teaching_schools() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.TEACHING_SCHOOL, is_active=True)


class ApplicationRoundForm(GovukFormMixin, forms.ModelForm):
    opens_on = model_date_field(
        ApplicationRound, "opens_on", "Opens on", help_text="For example, 1 9 2026",
        required_message="Enter the date the round opens",
    )
    closes_on = model_date_field(
        ApplicationRound, "closes_on", "Closes on",
        help_text="The last day applications are taken, for example 31 10 2026",
        required_message="Enter the date the round closes",
    )

    class Meta:
        model = ApplicationRound
        fields = [
            "designation_type", "name", "opens_on", "closes_on", "local_authority", "region",
            "teaching_school",
        ]
        labels = {
            "designation_type": "Designation type",
            "local_authority": "Only schools in this local authority",
            "region": "Only schools in this region",
            "teaching_school": "Teaching school",
        }
        help_texts = {
            "local_authority": "Leave empty for a round open to schools anywhere",
            "region": "Leave empty for any region",
            "teaching_school": "Required when a teaching school designates the type: the pool it recruits to",
        }
        error_messages = {
            "designation_type": {"required": "Select the designation type"},
            "name": {"required": "Enter a name for the round"},
        }

    def __init__(self, *args, led_teaching_schools: QuerySet[Organisation] | None = None, **kwargs) -> None:
        """led_teaching_schools limits a teaching-school lead to recruiting into their own pools."""
        super().__init__(*args, **kwargs)
        types = DesignationType.objects.filter(is_active=True)
        if self.instance.pk:
            types = DesignationType.objects.filter(pk=self.instance.designation_type_id) | types
        self.fields["local_authority"].queryset = LocalAuthority.objects.order_by("name")
        self.fields["local_authority"].empty_label = "Anywhere"
        self.fields["teaching_school"].queryset = teaching_schools()
        self.fields["teaching_school"].empty_label = "None"
        if led_teaching_schools is not None:
            types = types.filter(designating_body=DesignatingBody.TEACHING_SCHOOL)
            self.fields["teaching_school"].queryset = led_teaching_schools
        self.fields["designation_type"].queryset = types
        self.fields["designation_type"].empty_label = "Select a type"
        self.fields["region"].choices = [("", "Any region"), *Region.choices]

    def clean(self) -> dict:
        cleaned = super().clean()
        # The dates, the area and overlapping rounds are checked by ApplicationRound.clean().
        designation_type = cleaned.get("designation_type")
        if designation_type is not None:
            self._check_teaching_school(designation_type, cleaned.get("teaching_school"))
        return cleaned

    def _check_teaching_school(self, designation_type: DesignationType, teaching_school) -> None:
        designated_by_teaching_school = designation_type.designating_body == DesignatingBody.TEACHING_SCHOOL
        if designated_by_teaching_school and teaching_school is None:
            self.add_error(
                "teaching_school",
                f"Select the teaching school: {designation_type.code} holders join a teaching school's pool",
            )
        elif not designated_by_teaching_school and teaching_school is not None:
            self.add_error(
                "teaching_school",
                f"Leave the teaching school empty: the national body designates {designation_type.code}s",
            )


class CloseRoundForm(GovukFormMixin, forms.Form):
    """Closing early stops applications from today; the dates the round was set up with stay."""

    confirm = forms.BooleanField(
        label="Yes, stop taking applications today",
        error_messages={"required": "Confirm that the round should close today"},
    )

    def __init__(self, *args, application_round: ApplicationRound, today: datetime.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.application_round, self.today = application_round, today

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.application_round.is_open_on(self.today):
            raise forms.ValidationError("This round is not open, so it cannot be closed early")
        return cleaned


class OwnDesignationForm(GovukFormMixin, forms.ModelForm):
    specialisms = forms.ModelMultipleChoiceField(
        queryset=Specialism.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Specialisms", help_text="Select all the areas you can support other schools with",
    )
    availability_days_per_week = Designation._meta.get_field("availability_days_per_week").formfield(
        label="Days a week you can give to support",
        help_text="From 0 to 5, in half days, for example 1.5",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "decimal"}),
        error_messages={
            "required": "Enter the days a week you can give, or 0",
            "invalid": "Days a week must be a number, like 1.5",
        },
    )

    class Meta:
        model = Designation
        fields = ["specialisms", "availability_days_per_week", "availability_notes"]
        labels = {"availability_notes": "Notes on your availability (optional)"}
        help_texts = {"availability_notes": "For example, not available in the summer term"}
        widgets = {"availability_notes": forms.Textarea(attrs={"rows": 3})}
