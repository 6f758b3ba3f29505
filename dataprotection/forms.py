from django import forms

from accounts.forms import EMAIL_ERRORS
from accounts.validators import PHONE_MAX_LENGTH, validate_uk_phone
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


class CorrectDetailsForm(GovukFormMixin, forms.Form):
    """A person's details corrected on their request; the email address is how they sign in."""

    full_name = forms.CharField(
        label="Full name", max_length=200,
        error_messages={"required": "Enter their full name",
                        "max_length": "Full name must be 200 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address", max_length=254, help_text="They sign in with this address from now on.",
        error_messages=EMAIL_ERRORS,
    )
    phone = forms.CharField(
        label="Phone number (optional)", max_length=PHONE_MAX_LENGTH, required=False,
        validators=[validate_uk_phone],
        error_messages={"max_length": f"Phone number must be {PHONE_MAX_LENGTH} characters or fewer"},
    )
