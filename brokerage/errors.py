"""The one error type of the brokerage app: a refused brokerage action with a user-facing message."""

from __future__ import annotations

import refusals


class BrokerageError(refusals.Refusal):
    """A refused action. The message is shown as it is; ``field`` names the form field at fault."""


class InvalidTransition(BrokerageError):
    """A state change the state machine does not allow (the API answers 409)."""

    http_status = 409


class DuplicateRequest(BrokerageError):
    """A waiting request for the same school already asks for one of the types (the API answers 409)."""

    http_status = 409

    def __init__(self, *args, existing_id: int, field: str | None = None) -> None:
        super().__init__(*args, field=field)
        self.existing_id = existing_id


def validated(instance, *, fields=None, rename: dict | None = None):
    """The model's validators before a service saves; a failure is a BrokerageError."""
    return refusals.validated(instance, BrokerageError, fields=fields, rename=rename)
