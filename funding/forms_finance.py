"""The finance pages' forms: uploading the payment file that comes back from the finance system."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from govuk.forms import GovukFormMixin
from spreadsheets import CsvRow, SpreadsheetError, read_csv

from .services.payment_file import COLUMNS

PAYMENT_FILE_MAX_BYTES = 2 * 1024 * 1024  # some 20,000 rows; ``PAYMENT_FILE_MAX_BYTES`` overrides


def payment_file_limit() -> int:
    return getattr(settings, "PAYMENT_FILE_MAX_BYTES", PAYMENT_FILE_MAX_BYTES)


class PaymentFileForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Payment file",
        help_text=(
            "A CSV file with the columns ‘Claim reference’, ‘Amount’, ‘Paid on’ (like 2027-03-31 or "
            "31/03/2027) and ‘Payment reference’"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Select the payment file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read: upload it again",
        },
    )

    def clean_file(self) -> list[CsvRow]:
        """The file's rows, read by their headings."""
        uploaded = self.cleaned_data["file"]
        if Path(uploaded.name or "").suffix.lower() != ".csv":
            raise forms.ValidationError("The selected file must be a CSV file")
        limit = payment_file_limit()
        if uploaded.size > limit:
            raise forms.ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}")
        try:
            return read_csv(uploaded.read(), COLUMNS)
        except SpreadsheetError as error:
            raise forms.ValidationError(str(error)) from error
