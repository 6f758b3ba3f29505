"""The one error type of the designations app: a refused domain action with a user-facing message."""


class DesignationError(Exception):
    """A refused action. The message is shown to the user as it is."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class InvalidTransition(DesignationError):
    """A state change the state machine does not allow (the API answers 409)."""


class NotIndependent(DesignationError):
    """The actor would judge or decide their own case, or one from their own school (the API
    answers 403 with the message)."""
