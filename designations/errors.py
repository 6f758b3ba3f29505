"""The one error type of the designations app: a refused domain action with a user-facing message."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from bounds import first_error, full_clean_fields


class DesignationError(Exception):
    """A refused action. The message is shown to the user as it is; ``field`` names the field at fault."""

    def __init__(self, *args, field: str | None = None) -> None:
        super().__init__(*args)
        self.field = field

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class InvalidTransition(DesignationError):
    """A state change the state machine does not allow (the API answers 409)."""


def validated(instance, *, fields=None):
    """Run the model's validators (``full_clean()``) before a service saves; a refusal is a
    DesignationError on the field at fault."""
    try:
        full_clean_fields(instance, fields)
    except ValidationError as error:
        field, message = first_error(error)
        raise DesignationError(message, field=field) from error
    return instance


class NotIndependent(DesignationError):
    """The actor would judge or decide their own case, or one from their own school (the API
    answers 403 with the message)."""
