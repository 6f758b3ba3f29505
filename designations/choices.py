from django.db import models


class HolderKind(models.TextChoices):
    PERSON = "person", "A person (a leader or chair of governors)"
    SCHOOL = "school", "A school (for example a teaching school)"


class DesignatingBody(models.TextChoices):
    NATIONAL_BODY = "national_body", "The national body"
    TEACHING_SCHOOL = "teaching_school", "The applicant's teaching school"


class BrokeringRule(models.TextChoices):
    TEACHING_SCHOOL_POOL = "teaching_school_pool", "The teaching school whose pool the leader belongs to"
    LOCAL_BROKERS = "local_brokers", "A local authority, teaching school or approved agency"
    ASSOCIATES = "associates", "National body associates"
    NOT_BROKERED = "not_brokered", "Not deployed through brokerage"


class CriterionCheck(models.TextChoices):
    """How a criterion is judged: the first six from known facts, the rest by people."""

    YEARS_IN_HEADSHIP = "years_in_headship", "Years in headship (automatic)"
    YEARS_IN_LEADERSHIP = "years_in_leadership", "Years in leadership (automatic)"
    HOLDS_ROLE = "holds_role", "Holds one of these roles now (automatic)"
    SCHOOL_OFSTED = "school_ofsted", "School's latest Ofsted judgement meets a rule (automatic)"
    SCHOOL_OPEN = "school_open", "School is open (automatic)"
    YEARS_AS_CHAIR_IN_LAST_5 = "years_as_chair_in_last_5", "Years as chair within the last 5 (automatic)"
    EVIDENCE = "evidence", "Needs evidence from the applicant"
    DECLARATION = "declaration", "Needs a declaration from the applicant"
    REFEREE = "referee", "Judged from the referee's response"


AUTOMATIC_CHECKS = {
    CriterionCheck.YEARS_IN_HEADSHIP,
    CriterionCheck.YEARS_IN_LEADERSHIP,
    CriterionCheck.HOLDS_ROLE,
    CriterionCheck.SCHOOL_OFSTED,
    CriterionCheck.SCHOOL_OPEN,
    CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5,
}


class CriterionOutcome(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    NEEDS_EVIDENCE = "needs_evidence", "Needs evidence"


class LeadershipRole(models.TextChoices):
    HEADTEACHER = "headteacher", "Headteacher or principal"
    EXECUTIVE_HEADTEACHER = "executive_headteacher", "Executive headteacher"
    DEPUTY_HEADTEACHER = "deputy_headteacher", "Deputy headteacher"
    ASSISTANT_HEADTEACHER = "assistant_headteacher", "Assistant headteacher"
    MIDDLE_LEADER = "middle_leader", "Middle leader (subject or key stage leader)"
    CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"


HEADSHIP_ROLES = {LeadershipRole.HEADTEACHER, LeadershipRole.EXECUTIVE_HEADTEACHER}
LEADERSHIP_ROLES = set(LeadershipRole) - {LeadershipRole.CHAIR_OF_GOVERNORS}


class ApplicationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    AWAITING_REFEREE = "awaiting_referee", "Awaiting referee"
    UNDER_ASSESSMENT = "under_assessment", "Under assessment"
    APPROVED_PENDING_TRAINING = "approved_pending_training", "Approved, training to complete"
    DESIGNATED = "designated", "Designated"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# An application that still counts against "one live application per person per round".
LIVE_APPLICATION_STATES = {
    ApplicationState.DRAFT,
    ApplicationState.SUBMITTED,
    ApplicationState.AWAITING_REFEREE,
    ApplicationState.UNDER_ASSESSMENT,
    ApplicationState.APPROVED_PENDING_TRAINING,
    ApplicationState.DESIGNATED,
}
# Before a decision, eligibility is re-evaluated when facts change.
UNDECIDED_APPLICATION_STATES = {
    ApplicationState.DRAFT,
    ApplicationState.SUBMITTED,
    ApplicationState.AWAITING_REFEREE,
    ApplicationState.UNDER_ASSESSMENT,
}


class RefereeRecommendation(models.TextChoices):
    SUPPORT = "support", "I support this application"
    DO_NOT_SUPPORT = "do_not_support", "I do not support this application"


class DesignationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    LAPSED = "lapsed", "Lapsed"
    DE_DESIGNATED = "de_designated", "De-designated"


# A designation in one of these states blocks another of the same type for the same person.
CURRENT_DESIGNATION_STATUSES = {DesignationStatus.ACTIVE, DesignationStatus.SUSPENDED}


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "Continue the designation"
    CONCERNS = "concerns", "Concerns: open a de-designation case"


class CaseReason(models.TextChoices):
    OFSTED_BELOW_REQUIREMENT = (
        "ofsted_below_requirement",
        "School's Ofsted judgement is below the requirement",
    )
    SCHOOL_CLOSED = "school_closed", "School has closed"
    ROLE_LOST = "role_lost", "Holder no longer holds the qualifying role"
    TERM_ENDED = "term_ended", "Term has ended without renewal"
    QUALITY_CONCERN = "quality_concern", "Concerns about the quality of support"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    KEPT = "kept", "Decided: designation kept"
    DE_DESIGNATED = "de_designated", "Decided: de-designated"


class ReminderKind(models.TextChoices):
    DUE_IN_30_DAYS = "due_in_30_days", "Review due in 30 days"
    DUE_IN_7_DAYS = "due_in_7_days", "Review due in 7 days"
    OVERDUE = "overdue", "Review overdue"
