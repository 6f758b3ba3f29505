"""The one error type of the designations app: a refused domain action with a user-facing message."""

from __future__ import annotations

import refusals


class DesignationError(refusals.Refusal):
    """A refused action. The message is shown to the user as it is; ``field`` names the field at fault."""


class InvalidTransition(DesignationError):
    """A state change the state machine does not allow (the API answers 409)."""

    http_status = 409


def validated(instance, *, fields=None):
    """The model's validators before a service saves; a failure is a DesignationError."""
    return refusals.validated(instance, DesignationError, fields=fields)


class NotIndependent(DesignationError):
    """The actor would judge or decide their own case, or one from their own school (the API
    answers 403 with the message)."""

    http_status = 403
