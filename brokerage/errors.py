"""A refused brokerage or deployment action, with a message for the person who tried it."""


class BrokerageError(Exception):
    """A refused action. The message is shown as it is; ``field`` names the form field at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class InvalidTransition(BrokerageError):
    """A state change the state machine does not allow (the API answers 409)."""


class CapacityExceeded(BrokerageError):
    """The leader does not have the time (the message says by how much)."""


def validated(instance, *, fields=None, rename: dict | None = None):
    """Run the model's validators (``full_clean()``) before a service saves; a refusal is a
    BrokerageError on the field at fault (``rename`` maps model fields to the form's names)."""
    from django.core.exceptions import ValidationError

    from bounds import first_error, full_clean_fields

    try:
        full_clean_fields(instance, fields)
    except ValidationError as error:
        field, message = first_error(error)
        raise BrokerageError(message, field=(rename or {}).get(field, field)) from error
    return instance
