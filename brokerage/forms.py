"""Forms for raising and handling support requests and for risk assessments."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from designations.choices import BrokeringRule, HolderKind
from designations.models import DesignationType, Specialism
from govuk.forms import (  # noqa: F401 (date_parts: the request page)
    GovukFormMixin,
    add_service_error,
    apply_govuk_classes,
    date_parts,
    model_date_field,
    text_area,
)

from .choices import Funder, PriorityReason
from .errors import BrokerageError
from .filters import SupportRequestFilterSet
from .models import SHORTLIST_TEXT_MAX, SupportRequest
from .rules import BROKER_KINDS_BY_RULE

YES_NO = [("yes", "Yes"), ("no", "No")]


def brokered_types() -> QuerySet[DesignationType]:
    return DesignationType.objects.filter(is_active=True, holder_kind=HolderKind.PERSON).exclude(
        brokering_rule=BrokeringRule.NOT_BROKERED
    )


def possible_brokers() -> QuerySet:
    """Organisations that may broker at least one brokered type. The types are chosen on the same
    form, so the service checks the pairing and refuses a wrong one on the broker field."""
    from accounts.models import Organisation

    rules_in_use = set(brokered_types().values_list("brokering_rule", flat=True))
    kinds = sorted(set().union(*(BROKER_KINDS_BY_RULE.get(rule, set()) for rule in rules_in_use)))
    return Organisation.objects.filter(is_active=True, kind__in=kinds).order_by("kind", "name")


# --- the list's filters ------------------------------------------------------------------------------


class SupportRequestListFilterSet(SupportRequestFilterSet):
    """The API's filters, plus a free-text search on the school's name or URN, for the list page."""

    q = django_filters.CharFilter(method="search", label="School")

    class Meta(SupportRequestFilterSet.Meta):
        fields = [*SupportRequestFilterSet.Meta.fields, "q"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        match = Q(school__name__icontains=value)
        if value.isascii() and value.isdigit():
            match |= Q(school__urn=int(value))
        return queryset.filter(match)


def prepare_list_filter_form(form: forms.Form) -> None:
    """Only the filters the page offers, as GOV.UK components."""
    for name in ("school", "created_after", "created_before"):
        form.fields.pop(name, None)
    form.fields["q"].help_text = "Name or URN"
    form.fields["designation_type"].queryset = DesignationType.objects.exclude(
        brokering_rule=BrokeringRule.NOT_BROKERED
    )
    form.fields["priority_reason"].choices = [("", "Any reason"), *PriorityReason.choices]
    form.fields["status"].widget = forms.CheckboxSelectMultiple(choices=form.fields["status"].choices)
    apply_govuk_classes(form)


class SchoolSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="School name or URN",
        help_text="Schools you can commission support for.",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


class SupportRequestForm(GovukFormMixin, forms.Form):
    commissioner = OrganisationChoiceField(
        queryset=None,
        label="Commissioning organisation",
        empty_label=None,
        help_text="Who is asking for the support and usually funds it.",
        error_messages={"required": "Choose the commissioning organisation"},
    )
    title = SupportRequest._meta.get_field("title").formfield(
        label="Title",
        help_text="A short summary, for example ‘Maths leadership in key stage 2’.",
        error_messages={"required": "Enter a title"},
    )
    needs = forms.ModelMultipleChoiceField(
        queryset=Specialism.objects.order_by("name"),
        label="Areas of support",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    needs_description = text_area(
        "What the school needs",
        help_text="What has been found, and what the support should achieve.",
        required_message="Describe what the school needs",
    )
    designation_types = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Kinds of system leader wanted",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of system leader"},
    )
    priority_reasons = forms.MultipleChoiceField(
        choices=PriorityReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Why the school is a priority for support",
        help_text="Ticked from the school's data where it shows one; change them if you know better.",
    )
    preferred_start_on = model_date_field(
        SupportRequest,
        "preferred_start_on",
        "Preferred start date",
        help_text="For example, 27 3 2026. Leave it blank for as soon as possible.",
    )
    budget = SupportRequest._meta.get_field("budget").formfield(
        label="Budget (£)",
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": "Budget must be an amount in pounds, like 4500"},
    )
    funded_by = forms.ChoiceField(
        choices=Funder.choices,
        initial=Funder.COMMISSIONER,
        widget=forms.RadioSelect,
        label="Who funds it",
        error_messages={"required": "Choose who funds it"},
    )
    funder_name = forms.CharField(
        label="Name of the funder",
        required=False,
        max_length=200,
        help_text="Only when someone else funds it.",
    )
    broker = OrganisationChoiceField(
        queryset=None,
        label="Broker",
        empty_label="Choose a broker",
        help_text="SLEs are brokered by the teaching school whose pool they belong to; LLEs and NLEs by a "
        "local authority, teaching school or approved agency; NLGs by the national body's associates.",
        error_messages={"required": "Choose the broker"},
    )

    def __init__(self, *args, commissioners: list, suggestions: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = self._organisations(commissioners)
        self.fields["designation_types"].queryset = brokered_types()
        self.fields["broker"].queryset = possible_brokers()
        self.suggestions = suggestions
        if not self.is_bound:
            self.initial.setdefault("priority_reasons", list(suggestions))
            if len(commissioners) == 1:
                self.initial.setdefault("commissioner", commissioners[0].pk)

    @staticmethod
    def _organisations(organisations: list):
        from accounts.models import Organisation

        return Organisation.objects.filter(pk__in=[o.pk for o in organisations])

    # The school is fixed by the page: a school the commissioner may not support is theirs to change.
    SERVICE_FIELDS = {"school": "commissioner"}

    def add_refusal(self, error: BrokerageError) -> None:
        """A refusal from raise_request, on the field the person can change."""
        field = self.SERVICE_FIELDS.get(error.field, error.field)
        add_service_error(self, BrokerageError(error.message, field=field))

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("funded_by") == Funder.OTHER and not cleaned.get("funder_name"):
            self.add_error("funder_name", "Enter the name of the funder")
        return cleaned


class ReasonForm(GovukFormMixin, forms.Form):
    reason = text_area("Reason", required_message="Enter the reason")


class ShortlistNoteForm(GovukFormMixin, forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=SHORTLIST_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only brokers see these notes: not the leader, the school or the commissioner.",
        error_messages={"max_length": f"Notes must be {SHORTLIST_TEXT_MAX:,} characters or fewer"},
    )


class DeclineForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why did they decline, or why are they unavailable?",
        max_length=SHORTLIST_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, ‘No time until the summer term’. Only brokers see this.",
        error_messages={
            "required": "Enter why they declined or are unavailable",
            "max_length": f"The reason must be {SHORTLIST_TEXT_MAX:,} characters or fewer",
        },
    )


def yes_no(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=YES_NO, widget=forms.RadioSelect, error_messages={"required": "Answer yes or no"}
    )


class RiskAssessmentForm(GovukFormMixin, forms.Form):
    likely_good_outcomes = yes_no("Is the school likely to have good outcomes?")
    effective_leadership = yes_no("Does it have effective leadership and governance?")
    good_next_inspection = yes_no("Is it likely to be judged good or better at its next inspection?")
    notes = text_area("Evidence and notes", required=False)

    def answers(self) -> dict:
        return {
            name: self.cleaned_data[name] == "yes"
            for name in ("likely_good_outcomes", "effective_leadership", "good_next_inspection")
        }
