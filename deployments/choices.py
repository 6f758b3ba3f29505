from django.db import models


class DeploymentState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    AWAITING_FINAL_EVALUATION = "awaiting_final_evaluation", "Awaiting final evaluation"
    COMPLETED = "completed", "Completed"
    ENDED_EARLY = "ended_early", "Ended early"


# A deployment in one of these states takes up the leader's time (their capacity).
COMMITTED_STATES = {DeploymentState.AGREED, DeploymentState.ACTIVE, DeploymentState.PAUSED}
# Still under way: shown on dashboards, reviewed, reminded about.
LIVE_STATES = {
    DeploymentState.PROPOSED,
    DeploymentState.AGREED,
    DeploymentState.ACTIVE,
    DeploymentState.PAUSED,
    DeploymentState.AWAITING_FINAL_EVALUATION,
}
FINISHED_STATES = {DeploymentState.COMPLETED, DeploymentState.ENDED_EARLY}


class StateReason(models.TextChoices):
    """Why a deployment was paused or ended early."""

    SCHOOL_WILL_NOT_ENGAGE = "school_will_not_engage", "The school will not engage"
    LEADER_UNAVAILABLE = "leader_unavailable", "The leader is unavailable"
    OBJECTIVES_MET_EARLY = "objectives_met_early", "The objectives were met early"
    FUNDING_ENDED = "funding_ended", "Funding ended"
    SCHOOL_CIRCUMSTANCES = "school_circumstances", "The school's circumstances changed"
    DESIGNATION_ENDED = "designation_ended", "The leader's designation ended"
    OTHER = "other", "Another reason"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_AGREEMENT = "awaiting_agreement", "Waiting for the parties to agree"
    AGREED = "agreed", "Agreed"
    SUPERSEDED = "superseded", "Replaced by a later version"


class Party(models.TextChoices):
    """The three parties who each agree a brokerage agreement."""

    SUPPORTED_SCHOOL = "supported_school", "The supported school"
    LEADER_SCHOOL = "leader_school", "The leader's school"
    COMMISSIONER = "commissioner", "The commissioner"


class AgreementMethod(models.TextChoices):
    """How a party agreed outside the service."""

    EMAIL = "email", "By email"
    LETTER = "letter", "By letter"
    MEETING = "meeting", "At a meeting"


class RecordedSignoffStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the recorder to confirm"
    CONFIRMED = "confirmed", "Confirmed: counts as the party's agreement"
    CANCELLED = "cancelled", "Cancelled before it counted"


class TimeBasis(models.TextChoices):
    DAYS_PER_WEEK = "days_per_week", "Days a week"
    TOTAL_DAYS = "total_days", "Total days"


class RateBasis(models.TextChoices):
    DAY_RATE = "day_rate", "A day rate"
    TOTAL = "total", "A total amount"


class CostKind(models.TextChoices):
    """A cost on an agreement beyond the leader's own days, reimbursed at its own rate."""

    BACKFILL = "backfill", "Backfill"
    SUPPLY_COVER = "supply_cover", "Supply cover"
    OTHER = "other", "Other cost"


class Rag(models.TextChoices):
    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: some concerns"
    GREEN = "green", "Green: on track"


class ObjectiveOutcome(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_14", "Due in 14 days"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"


class NoticeKind(models.TextChoices):
    STALLED = "stalled", "No time logged for 4 weeks"
    CLOSED_AT_END = "closed_at_end", "Past its end date: awaiting final evaluation"
    UNDEPLOYED_SLE = "undeployed_sle", "SLE not deployed within three months of designation"
