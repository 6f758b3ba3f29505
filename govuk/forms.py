"""The GOV.UK date input: a date typed as day, month and year boxes, with the GOV.UK messages.

``templates/govuk/components/field.html`` renders it (as a fieldset with three boxes). A date posted
as one value (``2026-03-27`` or ``27/03/2026``, as scripts and older clients send it) is read too.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

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
