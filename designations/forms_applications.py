"""Forms for the application journey: the applicant's sections, the referee's response and the
assessor's judgements and decisions."""

from __future__ import annotations

from django import forms

from govuk.forms import GovukFormMixin, model_date_field
from schools.models import LocalAuthority, School

from .choices import ApplicationState, CriterionOutcome, RefereeRecommendation
from .models import DesignationType, Specialism, TrainingRecord, TrainingRequirement
from .services.applications import ASSESSOR_NOTE_MAX_LENGTH

QUEUE_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.AWAITING_REFEREE,
    ApplicationState.UNDER_ASSESSMENT,
    ApplicationState.APPROVED_PENDING_TRAINING,
)
DECISIONS = {
    ApplicationState.UNDER_ASSESSMENT: "Start assessment",
    ApplicationState.APPROVED_PENDING_TRAINING: "Approve",
    ApplicationState.DESIGNATED: "Designate",
    ApplicationState.REJECTED: "Reject",
}


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, school: School) -> str:
        return f"{school.name} (URN {school.urn})"


class ChooseSchoolForm(GovukFormMixin, forms.Form):
    school = SchoolChoiceField(
        queryset=School.objects.none(),
        widget=forms.RadioSelect,
        label="Which school are you applying from?",
        empty_label=None,
        error_messages={"required": "Select the school you are applying from"},
    )

    def __init__(self, *args, schools: list[School], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(pk__in=[school.pk for school in schools])


class SpecialismsForm(GovukFormMixin, forms.Form):
    specialisms = forms.ModelMultipleChoiceField(
        queryset=Specialism.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label="Which areas can you support other schools with?",
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one specialism"},
    )


class StatementForm(GovukFormMixin, forms.Form):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        label="Your statement",
        help_text="Your track record of improving schools, and how you have coached other leaders.",
        max_length=10000,
        error_messages={
            "required": "Enter your statement",
            "max_length": "Your statement must be 10,000 characters or fewer",
        },
    )


class RefereeForm(GovukFormMixin, forms.Form):
    referee_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter your referee's full name"}
    )
    referee_email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your referee's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    referee_role = forms.CharField(
        label="Job title",
        max_length=200,
        help_text="For example, school improvement adviser.",
        error_messages={"required": "Enter your referee's job title"},
    )
    referee_organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        help_text="Your referee must be someone outside your school.",
        error_messages={"required": "Enter your referee's organisation"},
    )
    referee_local_authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.order_by("name"),
        label="Which local authority does your referee work for?",
        empty_label="Choose a local authority",
        required=False,
        error_messages={
            "required": "Select the local authority your referee works for",
            "invalid_choice": "Select the local authority your referee works for",
        },
    )

    def __init__(
        self, *args, expectations: list[str] | None = None, needs_local_authority: bool = False, **kwargs
    ) -> None:
        """``expectations``: what the type's referee criteria ask; ``needs_local_authority``: one of
        them asks for a local authority referee, who names their authority (the organisation is then
        the authority, or a team within it)."""
        super().__init__(*args, **kwargs)
        self.expectations = expectations or []
        if needs_local_authority:
            self.fields["referee_local_authority"].required = True
            organisation = self.fields["referee_organisation"]
            organisation.required = False
            organisation.label = "Team or service (optional)"
            organisation.help_text = "For example, school improvement service."
        else:
            del self.fields["referee_local_authority"]

    def clean_referee_email(self) -> str:
        return self.cleaned_data["referee_email"].strip()


class EvidenceForm(GovukFormMixin, forms.Form):
    response = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Describe your evidence",
        required=False,
        max_length=10000,
        error_messages={"max_length": "Your description must be 10,000 characters or fewer"},
    )
    file = forms.FileField(
        label="Upload a file (optional)",
        required=False,
        help_text="A PDF, DOCX, XLSX, PNG, JPG or TXT file.",
    )

    def __init__(self, *args, has_files: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.has_files = has_files

    def clean(self) -> dict:
        cleaned = super().clean()
        answered = cleaned.get("response", "").strip() or cleaned.get("file") or self.has_files
        if not self.errors and not answered:
            self.add_error("response", "Describe your evidence or upload a file")
        return cleaned


class DeclarationForm(GovukFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label="I confirm this is true",
        error_messages={"required": "Confirm the declaration to continue"},
    )


class WithdrawForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Why are you withdrawing? (optional)",
        required=False,
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )


class RefereeResponseForm(GovukFormMixin, forms.Form):
    recommendation = forms.ChoiceField(
        choices=RefereeRecommendation.choices,
        widget=forms.RadioSelect,
        label="Do you support this application?",
        error_messages={"required": "Select whether you support this application"},
    )
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Your evidence of the applicant's impact",
        help_text="For example schools they have supported and what changed.",
        max_length=10000,
        error_messages={
            "required": "Enter your evidence of the applicant's impact",
            "max_length": "Your evidence must be 10,000 characters or fewer",
        },
    )


class AssessmentForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        choices=[(CriterionOutcome.MET, "Met"), (CriterionOutcome.NOT_MET, "Not met")],
        widget=forms.RadioSelect,
        label="Your judgement",
        error_messages={"required": "Select whether the criterion is met"},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Your note",
        help_text="Why the criterion is met or not met: the evidence you relied on.",
        max_length=ASSESSOR_NOTE_MAX_LENGTH,
        error_messages={
            "required": "Enter a note saying why the criterion is met or not met",
            "max_length": f"The note must be {ASSESSOR_NOTE_MAX_LENGTH:,} characters or fewer",
        },
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError("Enter a note saying why the criterion is met or not met")
        return note


# Final decisions asked to be confirmed on their own page before they are made, with what follows.
CONFIRMED_DECISIONS = {
    ApplicationState.APPROVED_PENDING_TRAINING: (
        "The applicant is told their application is approved. They are designated once the required "
        "training is recorded and you designate them."
    ),
    ApplicationState.DESIGNATED: (
        "The designation is made and the leader is told: they join the directory and can be deployed "
        "once trained."
    ),
}


class DecisionForm(GovukFormMixin, forms.Form):
    to_state = forms.ChoiceField(
        choices=list(DECISIONS.items()), error_messages={"required": "Choose a decision"}
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reason",
        help_text="Required when you reject an application; the applicant reads it.",
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("to_state") == ApplicationState.REJECTED and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter the reason for rejecting the application")
        return cleaned


class TrainingForm(GovukFormMixin, forms.Form):
    requirement = forms.ModelChoiceField(
        queryset=TrainingRequirement.objects.none(),
        widget=forms.RadioSelect,
        label="Which training was completed?",
        empty_label=None,
        error_messages={"required": "Select the training that was completed"},
    )
    completed_on = model_date_field(
        TrainingRecord, "completed_on", "Date completed", required=True,
        required_message="Enter the date the training was completed",
    )

    def __init__(self, *args, designation_type: DesignationType, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = designation_type.training_requirements.all()


class QueueFilterForm(GovukFormMixin, forms.Form):
    state = forms.ChoiceField(
        choices=[("", "Any state"), *((state.value, state.label) for state in QUEUE_STATES)],
        required=False,
        label="State",
    )
    designation_type = forms.ModelChoiceField(
        queryset=DesignationType.objects.all(), required=False, label="Type", empty_label="Any type"
    )
