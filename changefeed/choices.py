from django.db import models


class ResourceKind(models.TextChoices):
    """What an event is about; its visibility is that resource's visibility."""

    DEPLOYMENT = "deployment", "Deployment"
    SUPPORT_REQUEST = "support_request", "Support request"
    DESIGNATION = "designation", "Designation"
    CLAIM = "claim", "Claim"


class EventType(models.TextChoices):
    DEPLOYMENT_CREATED = "deployment.created", "A deployment was created (proposed)"
    DEPLOYMENT_STATE_CHANGED = "deployment.state_changed", "A deployment's state changed"
    AGREEMENT_VERSION_AGREED = (
        "agreement.version_agreed", "A new version of a deployment's agreement was agreed"
    )
    REVIEW_RECORDED = "review.recorded", "A progress review of a deployment was recorded"
    TIME_LOGGED = "time.logged", "Time was logged on a deployment"
    SUPPORT_REQUEST_CREATED = "support_request.created", "A support request was raised"
    SUPPORT_REQUEST_STATE_CHANGED = "support_request.state_changed", "A support request's status changed"
    DESIGNATION_CREATED = "designation.created", "A designation was made"
    DESIGNATION_STATE_CHANGED = "designation.state_changed", "A designation's status changed"
    CLAIM_CREATED = "claim.created", "A claim was submitted"
    CLAIM_STATE_CHANGED = "claim.state_changed", "A claim's state changed"


RESOURCE_OF_TYPE = {
    EventType.DEPLOYMENT_CREATED: ResourceKind.DEPLOYMENT,
    EventType.DEPLOYMENT_STATE_CHANGED: ResourceKind.DEPLOYMENT,
    EventType.AGREEMENT_VERSION_AGREED: ResourceKind.DEPLOYMENT,
    EventType.REVIEW_RECORDED: ResourceKind.DEPLOYMENT,
    EventType.TIME_LOGGED: ResourceKind.DEPLOYMENT,
    EventType.SUPPORT_REQUEST_CREATED: ResourceKind.SUPPORT_REQUEST,
    EventType.SUPPORT_REQUEST_STATE_CHANGED: ResourceKind.SUPPORT_REQUEST,
    EventType.DESIGNATION_CREATED: ResourceKind.DESIGNATION,
    EventType.DESIGNATION_STATE_CHANGED: ResourceKind.DESIGNATION,
    EventType.CLAIM_CREATED: ResourceKind.CLAIM,
    EventType.CLAIM_STATE_CHANGED: ResourceKind.CLAIM,
}
