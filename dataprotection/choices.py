from django.db import models


class RetentionKind(models.TextChoices):
    """The kinds of record that are kept for a set time, then removed (see ``retention``)."""

    UNSUCCESSFUL_APPLICATIONS = (
        "unsuccessful_applications", "Unsuccessful applications, their evidence and references"
    )
    UNUSED_ACCOUNTS = "unused_accounts", "Accounts not used"
    ENDED_DEPLOYMENTS = (
        "ended_deployments", "Deployments and their money (claims, payments and their evidence)"
    )
    ACCESS_REQUESTS = "access_requests", "Requests for access"
    INVITATIONS = "invitations", "Invitations"
    UNAVAILABILITY = "unavailability", "Leaders' periods of unavailability"


class DataRequestKind(models.TextChoices):
    EXPORT = "export", "Copy of their data"
    ERASURE = "erasure", "Erasure"


class ExportStatus(models.TextChoices):
    READY = "ready", "Ready"
    PREPARING = "preparing", "Being prepared"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"
