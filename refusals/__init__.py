"""A refused domain action, with the message for the person who tried it.

Each domain app has its own error type, a subclass of ``Refusal`` (``DesignationError``,
``BrokerageError``, ``DeploymentError``), so a page or an API view can show any service's refusal
the same way: the message as it is, on the form field it names, with the HTTP status it carries.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from bounds import first_error, full_clean_fields


class Refusal(Exception):
    """A refused action. The message is shown as it is; ``field`` names the form field at fault."""

    #: The status an API answers with: 400 for bad data unless a subclass says otherwise.
    http_status = 400

    def __init__(self, *args, field: str | None = None) -> None:
        super().__init__(*args)
        self.field = field

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


def validated(instance, error: type[Refusal], *, fields=None, rename: dict | None = None):
    """Run the model's validators (``full_clean()``) before a service saves; a failure is raised as
    ``error`` on the field at fault (``rename`` maps model fields to the form's names)."""
    try:
        full_clean_fields(instance, fields)
    except ValidationError as invalid:
        field, message = first_error(invalid)
        raise error(message, field=(rename or {}).get(field, field)) from invalid
    return instance
