"""Forms for the schools pages: the list filters and the import upload."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from govuk.forms import GovukFormMixin, apply_govuk_classes, mark_govuk_errors

from .choices import ImportKind

# Filters shown as checkboxes on the school list (the FilterSet's default is a multi-select).
CHECKBOX_FILTERS = ("phase", "status", "ofsted_grade")


def prepare_school_filter_form(form: forms.Form, *, local_authorities) -> forms.Form:
    """Render SchoolFilterSet's form with GOV.UK components.

    ``local_authorities`` is the queryset the select offers, or None to drop the select for a
    user who only sees one authority.
    """
    for name in CHECKBOX_FILTERS:
        field = form.fields[name]
        field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
    # One checkbox (the GOV.UK single checkbox, its label saying it all) rather than a yes/no select.
    form.fields["include_closed"].widget = forms.CheckboxInput()
    form.fields["include_closed"].help_text = ""
    if local_authorities is None:
        del form.fields["local_authority"]
    else:
        field = form.fields["local_authority"]
        field.queryset = local_authorities
        field.empty_label = "All local authorities"
    form.fields["q"].label = "Search"
    form.fields["q"].help_text = "School name, URN, town or postcode"
    apply_govuk_classes(form)
    if form.is_bound:
        form.is_valid()
        mark_govuk_errors(form)
    return form


class ImportUploadForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What kind of file is it?",
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of file"},
    )
    file = forms.FileField(
        label="CSV file",
        help_text="A CSV file as published by GIAS or Ofsted",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read: upload it again",
        },
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if Path(uploaded.name).suffix.lower() != ".csv":
            raise forms.ValidationError("The selected file must be a CSV")
        limit = settings.IMPORT_UPLOAD_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(f"The selected file must be smaller than {filesizeformat(limit)}")
        return uploaded
