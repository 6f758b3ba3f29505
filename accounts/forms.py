"""Sign-in and password forms, rendered with GOV.UK Design System classes."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.db.models import Q

from govuk.forms import GovukFormMixin, apply_govuk_classes, date_field
from schools.models import Diocese, LocalAuthority, School, Trust

from .choices import REQUESTABLE_KINDS, ROLES_BY_ORGANISATION_KIND, EmailKind, OrganisationKind, Role
from .models import API_TOKEN_LONGEST_LIFE, ApiToken, User
from .validators import PHONE_MAX_LENGTH, validate_uk_phone


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
        # Django focuses the email box; GOV.UK pages do not move focus past the page's start.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
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


# --- People: invitations, access requests, managing an organisation, your account ---------------

EMAIL_ERRORS = {
    "required": "Enter an email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}


def _role_choices(roles) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Role.choices if value in roles]


class InviteForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(label="Email address", max_length=254, error_messages=EMAIL_ERRORS)
    full_name = forms.CharField(
        label="Full name (optional)", max_length=200, required=False,
        help_text="The person can change it when they accept.",
    )
    role = forms.ChoiceField(
        label="Role", widget=forms.RadioSelect, error_messages={"required": "Choose a role"}
    )

    def __init__(self, *args, roles=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class ChangeRoleForm(GovukFormMixin, forms.Form):
    role = forms.ChoiceField(
        label="New role", widget=forms.RadioSelect, error_messages={"required": "Choose a role"}
    )

    def __init__(self, *args, roles=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)


class NewAccountForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter your full name"}
    )
    new_password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Do not use a common password or one that is like your name.",
        error_messages={"required": "Enter a password"},
    )
    new_password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirm your password"},
    )

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The passwords do not match")
        elif first:
            try:
                password_validation.validate_password(
                    first, user=User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return data


class RequestAccessForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter your full name"}
    )
    email = forms.EmailField(
        label="Work email address", max_length=254, error_messages=EMAIL_ERRORS,
        help_text="We will send a link to confirm it before your request goes anywhere.",
    )
    organisation_kind = forms.ChoiceField(
        label="Where do you work?", widget=forms.RadioSelect,
        choices=[(kind.value, kind.label) for kind in REQUESTABLE_KINDS],
        error_messages={"required": "Choose where you work"},
    )
    school_query = forms.CharField(
        label="If a school: its name, URN or postcode", max_length=200, required=False,
    )
    # The matches to choose from are offered only when a search finds several (see clean()).
    school_urn = forms.CharField(
        label="Which school?", widget=forms.RadioSelect, required=False, max_length=10
    )
    local_authority = forms.ModelChoiceField(
        label="If a local authority: which one", queryset=LocalAuthority.objects.order_by("name"),
        required=False, empty_label="Choose a local authority",
    )
    trust_query = forms.CharField(label="If an academy trust: its name", max_length=200, required=False)
    trust_code = forms.CharField(
        label="Which trust?", widget=forms.RadioSelect, required=False, max_length=20
    )
    diocese = forms.ModelChoiceField(
        label="If a diocese: which one", queryset=Diocese.objects.order_by("name"),
        required=False, empty_label="Choose a diocese",
    )
    role = forms.ChoiceField(
        label="The role you need",
        choices=[("", "Choose a role")] + [
            (value, label) for value, label in Role.choices if value != Role.NATIONAL_ADMINISTRATOR
        ],
        error_messages={"required": "Choose the role you need"},
    )
    reason = forms.CharField(
        label="Why do you need access?", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you need access",
                        "max_length": "Why you need access must be 2,000 characters or fewer"},
    )

    MAX_MATCHES = 10

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("organisation_kind")
        if kind == OrganisationKind.SCHOOL:
            data["school"] = self._resolve_school(data)
        elif kind == OrganisationKind.LOCAL_AUTHORITY and not data.get("local_authority"):
            self.add_error("local_authority", "Choose your local authority")
        elif kind == OrganisationKind.ACADEMY_TRUST:
            data["trust"] = self._resolve_trust(data)
        elif kind == OrganisationKind.DIOCESE and not data.get("diocese"):
            self.add_error("diocese", "Choose your diocese")
        role = data.get("role")
        if kind and role and role not in ROLES_BY_ORGANISATION_KIND.get(kind, set()):
            self.add_error("role", "Choose a role that people in this kind of organisation have")
        return data

    def _resolve_school(self, data: dict) -> School | None:
        urn = self.data.get("school_urn")
        if urn and str(urn).isascii() and str(urn).isdigit():
            school = School.objects.filter(pk=int(urn)).first()
            if school:
                return school
        query = " ".join((data.get("school_query") or "").split())
        if not query:
            self.add_error("school_query", "Enter your school's name, URN or postcode")
            return None
        condition = Q(name__icontains=query) | Q(postcode__iexact=query)
        if query.isascii() and query.isdigit():
            condition |= Q(urn=int(query))
        matches = list(School.objects.filter(condition).order_by("name")[: self.MAX_MATCHES + 1])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            self.add_error("school_query", "No school matches that name, URN or postcode")
            return None
        self.fields["school_urn"].widget.choices = [
            (s.urn, f"{s.name}, {s.town or s.postcode} (URN {s.urn})") for s in matches[: self.MAX_MATCHES]
        ]
        self.add_error("school_urn", "More than one school matches: choose yours, or search more precisely")
        return None

    def _resolve_trust(self, data: dict) -> Trust | None:
        code = self.data.get("trust_code")
        if code:
            trust = Trust.objects.filter(code=code).first()
            if trust:
                return trust
        query = " ".join((data.get("trust_query") or "").split())
        if not query:
            self.add_error("trust_query", "Enter your trust's name")
            return None
        matches = list(Trust.objects.filter(name__icontains=query).order_by("name")[: self.MAX_MATCHES + 1])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            self.add_error("trust_query", "No trust matches that name")
            return None
        self.fields["trust_code"].widget.choices = [(t.code, t.name) for t in matches[: self.MAX_MATCHES]]
        self.add_error("trust_code", "More than one trust matches: choose yours")
        return None



class ApproveAccessForm(GovukFormMixin, forms.Form):
    role = forms.ChoiceField(
        label="Role to give", widget=forms.RadioSelect, error_messages={"required": "Choose a role"}
    )

    def __init__(self, *args, roles=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)


class DeclineAccessForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for declining", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person is told this.",
        error_messages={"required": "Give the reason for declining: the person is told it",
                        "max_length": "The reason must be 2,000 characters or fewer"},
    )


class AccountDetailsForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter your full name"}
    )
    phone = forms.CharField(
        label="Phone number (optional)", max_length=PHONE_MAX_LENGTH, required=False,
        validators=[validate_uk_phone], help_text="A UK number, like 01632 960 001 or 07700 900 982.",
        error_messages={"max_length": f"Phone number must be {PHONE_MAX_LENGTH} characters or fewer"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["full_name"].widget.attrs.update({"autocomplete": "name"})


class EmailPreferencesForm(GovukFormMixin, forms.Form):
    wanted = forms.MultipleChoiceField(
        label="Emails to receive", choices=EmailKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Emails that need you to do something (invitations, requests to answer, agreements "
        "to sign, reviews due) are always sent.",
    )


class ChangePasswordForm(GovukFormMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not correct",
        "password_mismatch": "The passwords do not match",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 10 characters. Do not use a common password or one that is like your name."
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        apply_govuk_classes(self)


TOKEN_NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length


class ApiTokenForm(GovukFormMixin, forms.Form):
    """A new API token: which organisation (for someone who administers several), what it is for,
    and when it stops working. The range of the expiry is the model's: its message is shown here."""

    organisation = forms.TypedChoiceField(
        label="Which organisation is the token for?", coerce=int, widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the organisation the token is for",
            "invalid_choice": "Choose the organisation the token is for",
        },
    )
    name = forms.CharField(
        label="Name", max_length=TOKEN_NAME_MAX_LENGTH,
        help_text="What the token is for, so that you know it later. For example, 'MIS nightly sync'.",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": f"Name must be {TOKEN_NAME_MAX_LENGTH} characters or fewer",
        },
    )
    expires_on = date_field("Expiry date (optional)", required=False, required_message="")

    def __init__(self, *args, organisations=(), today: datetime.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if len(self.organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial["organisation"] = next(iter(self.organisations))
        latest, example = today + API_TOKEN_LONGEST_LIFE, today + datetime.timedelta(days=365)
        self.fields["expires_on"].help_text = (
            "The token stops working as this day starts. Leave it empty for a token that does not "
            f"expire. At most two years ahead: on or before {latest:%-d %B %Y}. "
            f"For example, {example:%-d %-m %Y}"
        )
        self.fields["name"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        # The mixin read the fields before the choices, widget and hint above were set.
        self._bound_fields_cache.clear()

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]
