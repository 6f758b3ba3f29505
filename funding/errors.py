"""The error type of the funding app: a refused claim, payment, bursary or assurance action."""

from __future__ import annotations

import refusals


class FundingError(refusals.Refusal):
    """A refused action. The message is shown as it is; ``field`` names the form field at fault."""


class NotPermitted(FundingError):
    """Someone who may not take this action on the claim (not its party, or their own case): 403."""

    http_status = 403


class InvalidTransition(FundingError):
    """A change the claim's (or bursary's, sample's, clawback's) state does not allow: 409 in the API."""

    http_status = 409


def validated(instance, *, fields=None, rename: dict | None = None):
    """The model's validators before a service saves; a failure is a FundingError."""
    return refusals.validated(instance, FundingError, fields=fields, rename=rename)
