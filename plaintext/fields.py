"""Model fields for names, titles and notes. They clean what is typed in ``to_python`` (run by
``full_clean()``, so by ModelForms, the services and the API alike) and say in the GOV.UK style how
long the text may be, instead of Django's "Ensure this value has at most ... characters"."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.text import capfirst

from .text import clean_line, clean_multiline

# The longest notes, reasons, statements and descriptions, unless a field says otherwise.
NOTES_MAX_LENGTH = 5000


def too_long_message(label: str, limit: int) -> str:
    return f"{capfirst(label)} must be {limit:,} characters or fewer"


class _Bounded:
    def _length_message(self) -> str:
        return too_long_message(str(self.verbose_name), self.max_length)

    @property
    def validators(self):
        # Django's own MaxLengthValidator says "Ensure this value has at most ..."; ours replaces it.
        kept = [v for v in super().validators if not isinstance(v, MaxLengthValidator)]
        return kept

    def validate(self, value, model_instance) -> None:
        super().validate(value, model_instance)
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise ValidationError(self._length_message(), code="max_length")

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        if field is not None and self.max_length is not None:
            field.error_messages["max_length"] = self._length_message()
        return field


class NameField(_Bounded, models.CharField):
    """A one-line name or title: control and bidirectional characters are removed."""

    def to_python(self, value):
        return clean_line(super().to_python(value))


class NotesField(_Bounded, models.TextField):
    """Multi-line text, at most ``max_length`` characters (5,000 unless given)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", NOTES_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return clean_multiline(super().to_python(value))
