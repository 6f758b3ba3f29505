"""GOV.UK Design System forms: the classes and error states every form needs, the date input,
multi-line answers, and a service's refusal shown on the form.

The date input is a date typed as day, month and year boxes, with the GOV.UK messages;
``templates/govuk/components/field.html`` renders it (as a fieldset with three boxes). A date posted
as one value (``2026-03-27`` or ``27/03/2026``, as scripts and older clients send it) is read too.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

from plaintext.fields import NOTES_MAX_LENGTH, too_long_message
from refusals import Refusal

DATE_PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
SINGLE_VALUE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %m %Y")
DATE_HELP = "For example, 27 3 2026"


class GovukDateWidget(forms.MultiWidget):
    """Posts ``<name>_day``, ``<name>_month`` and ``<name>_year``; the page renders the boxes."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({part: forms.TextInput() for part, _, _ in DATE_PARTS}, attrs)

    def decompress(self, value: datetime.date | None) -> list:
        return [value.day, value.month, f"{value.year:04d}"] if value else [None, None, None]

    def value_from_datadict(self, data, files, name: str) -> list:
        if any(f"{name}_{part}" in data for part, _, _ in DATE_PARTS) or name not in data:
            return super().value_from_datadict(data, files, name)
        single = str(data.get(name) or "").strip()
        for date_format in SINGLE_VALUE_FORMATS:
            try:
                return self.decompress(datetime.datetime.strptime(single, date_format).date())  # noqa: DTZ007
            except ValueError:
                continue
        # Not a date: kept whole in the year box, so the field says it must be a real date.
        return ["1", "1", single] if single else [None, None, None]

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages."""

    widget = GovukDateWidget

    def __init__(self, label: str, *, required_message: str = "", **kwargs) -> None:
        kwargs.setdefault("help_text", DATE_HELP)
        parts = tuple(forms.CharField(required=False) for _ in DATE_PARTS)
        super().__init__(parts, label=label, require_all_fields=False, **kwargs)
        self.error_messages["required"] = required_message or f"Enter {label[:1].lower()}{label[1:]}"

    def compress(self, data_list: list) -> datetime.date | None:
        values = [str(value or "").strip() for value in data_list]
        if not any(values):
            return None
        missing = [name for (name, _, _), value in zip(DATE_PARTS, values, strict=True) if not value]
        if missing:
            raise ValidationError(f"{self.label} must include a {' and a '.join(missing)}")
        day, month, year = values
        if not all(value.isascii() and value.isdigit() for value in values) or len(year) != 4:
            raise ValidationError(f"{self.label} must be a real date")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValidationError(f"{self.label} must be a real date") from error


def date_parts(bound_field: forms.BoundField) -> list[dict]:
    """The day, month and year boxes of a GovukDateField, with what was typed or the initial date."""
    value = bound_field.value()
    if isinstance(value, datetime.date) or value is None:
        value = bound_field.field.widget.decompress(value)
    return [
        {
            "name": name, "label": label, "width": width, "value": "" if part is None else part,
            "id": f"{bound_field.auto_id}_{name}", "html_name": f"{bound_field.html_name}_{name}",
        }
        for (name, label, width), part in zip(DATE_PARTS, value, strict=True)
    ]


def model_date_field(model, name: str, label: str, **kwargs) -> GovukDateField:
    """A GOV.UK date input for a model's date field, checked by the same validators as the model."""
    model_field = model._meta.get_field(name)
    kwargs.setdefault("required", not model_field.blank)
    return GovukDateField(label, validators=list(model_field.validators), **kwargs)


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
        # Not ``form[name]``: that caches the bound field with today's label and hint, and a form's
        # __init__ may still change them after this runs (as the password forms do).
        bound = field.get_bound_field(form, name)
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


def date_field(
    label: str, *, required_message: str, required: bool = True, help_text: str = DATE_HELP, validators=()
) -> GovukDateField:
    """A GOV.UK date input (day, month and year boxes); ``validators`` are the model field's."""
    return GovukDateField(
        label, required=required, help_text=help_text, required_message=required_message,
        validators=list(validators),
    )


def text_area(
    label: str,
    *,
    required: bool = True,
    help_text: str = "",
    rows: int = 4,
    required_message: str = "",
    max_length: int = NOTES_MAX_LENGTH,
) -> forms.CharField:
    """A multi-line answer, bounded like the model's NotesField it is saved in."""
    name = label.removesuffix(" (optional)")
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message or f"Enter the {label.lower()}",
            "max_length": too_long_message(name, max_length),
        },
    )


def add_service_error(form: forms.BaseForm, error: Refusal) -> None:
    """A refusal from a service: on the field it names when the form has it, else above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    mark_govuk_errors(form)
