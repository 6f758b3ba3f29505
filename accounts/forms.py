"""Sign-in and password forms, rendered with GOV.UK Design System classes."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

# The GOV.UK class each widget type needs, keyed by Django's BoundField.widget_type.
WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input govuk-input--width-10",
    "search": "govuk-input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
}
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


def apply_govuk_classes(form: forms.BaseForm) -> None:
    """Give every widget its GOV.UK class, and link hints to their inputs for screen readers."""
    for name, field in form.fields.items():
        bound = form[name]
        css_class = WIDGET_CLASSES.get(bound.widget_type)
        if css_class:
            existing = field.widget.attrs.get("class", "")
            classes = [*existing.split(), *css_class.split()]
            field.widget.attrs["class"] = " ".join(dict.fromkeys(classes))
        if field.help_text:
            field.widget.attrs["aria-describedby"] = f"{bound.auto_id}-hint"


def mark_govuk_errors(form: forms.BaseForm) -> None:
    """After validation: error styling and aria-describedby on fields that have errors."""
    for name in form.errors:
        if name not in form.fields:
            continue
        widget = form.fields[name].widget
        bound = form[name]
        classes = widget.attrs.get("class", "").split()
        classes += [ERROR_CLASSES[c] for c in classes if c in ERROR_CLASSES]
        widget.attrs["class"] = " ".join(dict.fromkeys(classes))
        described_by = widget.attrs.get("aria-describedby", "").split()
        widget.attrs["aria-describedby"] = " ".join([*described_by, f"{bound.auto_id}-error"])


class GovukFormMixin:
    """Mix into a Django form so it renders with GOV.UK classes and error states."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        apply_govuk_classes(self)

    def full_clean(self) -> None:
        super().full_clean()
        mark_govuk_errors(self)


class SignInForm(GovukFormMixin, AuthenticationForm):
    # Deliberately the same message for an unknown email and a wrong password.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Enter a correct email address and password",
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false", "type": "email"}
        )
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class PasswordResetRequestForm(GovukFormMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "The email address you use to sign in"
        self.fields["email"].error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.com",
        )
        apply_govuk_classes(self)

    def get_users(self, email: str):
        return super().get_users(email.strip().lower())


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    error_messages = {**SetPasswordForm.error_messages, "password_mismatch": "The passwords do not match"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 10 characters. Do not use a common password or one that is like your name."
        )
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        apply_govuk_classes(self)
