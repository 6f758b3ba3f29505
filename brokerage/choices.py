from django.db import models


class PriorityReason(models.TextChoices):
    """Why a school is a priority for support (the first four are suggested from its data)."""

    BELOW_FLOOR = "below_floor", "Attainment below the floor standard"
    OFSTED_CONCERN = "ofsted_concern", "Ofsted judged it requires improvement or inadequate"
    NEW_HEAD = "new_head", "A new, first-time headteacher"
    RISK_RATING = "risk_rating", "Local risk assessment: at risk"
    VULNERABLE = "vulnerable", "Judged vulnerable"
    SIGNIFICANT_IMPROVEMENT = (
        "significant_improvement",
        "Identified as needing significant improvement (DfE, Ofsted, a teaching school or the LA)",
    )


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for the broker"
    SHORTLISTING = "shortlisting", "Finding a leader"
    PROPOSED = "proposed", "Leader proposed"
    AGREED = "agreed", "Support agreed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed without support"


# A request the broker still has to act on.
WAITING_REQUEST_STATUSES = {RequestStatus.OPEN, RequestStatus.SHORTLISTING, RequestStatus.PROPOSED}


class Funder(models.TextChoices):
    COMMISSIONER = "commissioner", "The commissioner"
    SUPPORTED_SCHOOL = "supported_school", "The supported school"
    NATIONAL_BODY = "national_body", "The national body or DfE"
    OTHER = "other", "Someone else"


class ShortlistStatus(models.TextChoices):
    SHORTLISTED = "shortlisted", "Shortlisted"
    CONTACTED = "contacted", "Contacted"
    PROPOSED = "proposed", "Proposed"
    PROPOSAL_ENDED = "proposal_ended", "Proposal ended"
    DECLINED = "declined", "Declined or unavailable"


class PartnershipStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACTIVE = "active", "Coaching under way"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"
