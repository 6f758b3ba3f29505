from __future__ import annotations

from django import forms

from changefeed.choices import EventType
from govuk.forms import GovukFormMixin


class SubscriptionForm(GovukFormMixin, forms.Form):
    organisation = forms.TypedChoiceField(
        label="Organisation", coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Choose the organisation whose events are sent"},
    )
    url = forms.CharField(
        label="Address (URL) to send events to", max_length=500,
        help_text="It must start with https:// and be reachable on the internet.",
        error_messages={"required": "Enter the address to send events to"},
    )
    description = forms.CharField(
        label="What it is for (optional)", max_length=200, required=False,
        help_text="For example, 'Deployments in our MIS'.",
    )
    event_types = forms.MultipleChoiceField(
        label="Events to send", choices=EventType.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one type of event"},
    )

    def __init__(self, *args, organisations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisations = list(organisations)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk
        self.fields["url"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false", "type": "url"})
