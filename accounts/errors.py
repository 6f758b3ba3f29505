"""The one error type for refused actions about people and accounts."""

from __future__ import annotations


class AccountsError(Exception):
    """A refused action; the message is written for the person who tried it."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class LinkUnusable(AccountsError):
    """A signed link that is tampered with, expired, used or cancelled. `whom_to_ask` says who can help."""

    def __init__(self, message: str, *, whom_to_ask: str = "", status: int = 410) -> None:
        super().__init__(message)
        self.whom_to_ask = whom_to_ask
        self.status = status
