from django import forms

from govuk.forms import GovukFormMixin

REASON_MAX_LENGTH = 2000


class RequestReferenceForm(GovukFormMixin, forms.Form):
    """The request a national administrator acts on: a letter, an email, a phone call."""

    reason = forms.CharField(
        label="Reference of the person's request", max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How and when they asked, for example 'Email to the DPO, 1 December 2026'.",
        error_messages={
            "required": "Enter the reference of the person's request",
            "max_length": f"The reference must be {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )


class PersonSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Name or email address", max_length=200, required=False,
        error_messages={"max_length": "Name or email address must be 200 characters or fewer"},
    )
