"""The one error type of the deployments app: a refused deployment action with a user-facing message.

Deployments' services also call brokerage's (a request follows its deployments), so a page or an API
view that calls one of those catches ``refusals.Refusal``, which both apps' errors are."""

from __future__ import annotations

import refusals


class DeploymentError(refusals.Refusal):
    """A refused action. The message is shown as it is; ``field`` names the form field at fault."""


class InvalidTransition(DeploymentError):
    """A change the deployment's or the agreement's current state does not allow (the API answers 409)."""

    http_status = 409


class CapacityExceeded(DeploymentError):
    """The leader does not have the time (the message says by how much)."""


def validated(instance, *, fields=None, rename: dict | None = None):
    """The model's validators before a service saves; a failure is a DeploymentError."""
    return refusals.validated(instance, DeploymentError, fields=fields, rename=rename)
