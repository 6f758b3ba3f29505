"""Forms for the assurance pages: drawing a sample, the school's evidence, the outcome and the
clawback's repayment. The services decide; the views show their refusals on the form."""

from __future__ import annotations

import random

from django import forms

from govuk.forms import GovukFormMixin, date_field, text_area

from .validators import CLAWBACK_AMOUNT, PAYMENT_REFERENCE_MAX, SAMPLE_RATE, SAMPLE_SEED

MAX_SEED = int(SAMPLE_SEED.high)


def new_seed() -> int:
    """A fresh seed for the form: shown and kept, so the draw can be repeated."""
    return random.SystemRandom().randint(0, MAX_SEED)  # noqa: S311 - not a secret, just unpredictable


class DrawForm(GovukFormMixin, forms.Form):
    rate = forms.IntegerField(
        label="Share of paid claims to sample, in percent",
        help_text="For example 10: at least one claim is drawn",
        validators=[SAMPLE_RATE],
        error_messages={
            "required": "Enter the share to sample",
            "invalid": "The share must be a whole number",
        },
    )
    seed = forms.IntegerField(
        label="Seed",
        help_text="A random number, chosen for you: the same seed draws the same claims again",
        validators=[SAMPLE_SEED],
        error_messages={"required": "Enter the seed", "invalid": "The seed must be a whole number"},
    )
    paid_from = date_field("Paid from", required_message="Enter the first date of payment")
    paid_to = date_field("Paid to", required_message="Enter the last date of payment")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("paid_from") and data.get("paid_to") and data["paid_to"] < data["paid_from"]:
            self.add_error("paid_to", "The last date must be on or after the first")
        return data


class EvidenceForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload the evidence",
        help_text="Timesheets, notes of visits, invoices: a PDF, Word document or image",
        error_messages={"required": "Select the file of evidence", "empty": "The selected file is empty"},
    )
    note = text_area("Anything the administrator should know (optional)", required=False, rows=4)


OUTCOMES = [("passed", "Passed: the evidence supports the claim"), ("failed", "Failed: open a clawback")]


class OutcomeForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the sample passed or failed"},
    )
    note = text_area("Note", required=False, rows=4, help_text="Needed when it fails: the school is told why")
    clawback_amount = forms.DecimalField(
        label="Amount to claw back, in pounds (if it failed)",
        required=False,
        help_text="Leave empty to claw back the whole claim",
        validators=[CLAWBACK_AMOUNT],
        error_messages={"invalid": "The amount must be a number, like 250.00"},
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == "failed" and not (data.get("note") or "").strip():
            self.add_error("note", "Say why the sample failed: the school is told")
        return data


class CompleteClawbackForm(GovukFormMixin, forms.Form):
    repayment_reference = forms.CharField(
        label="Repayment reference",
        max_length=PAYMENT_REFERENCE_MAX,
        help_text="The finance system's reference for the money repaid",
        error_messages={
            "required": "Enter the repayment reference",
            "max_length": f"The reference must be {PAYMENT_REFERENCE_MAX} characters or fewer",
        },
    )
