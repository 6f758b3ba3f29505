from django.db import models


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE_DEEMED_PRIMARY = "middle_deemed_primary", "Middle deemed primary"
    SECONDARY = "secondary", "Secondary"
    MIDDLE_DEEMED_SECONDARY = "middle_deemed_secondary", "Middle deemed secondary"
    SIXTEEN_PLUS = "16_plus", "16 plus"
    ALL_THROUGH = "all_through", "All-through"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# GIAS "PhaseOfEducation (name)" values as published, lower-cased.
PHASE_BY_GIAS_NAME = {
    "nursery": Phase.NURSERY,
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.MIDDLE_DEEMED_PRIMARY,
    "secondary": Phase.SECONDARY,
    "middle deemed secondary": Phase.MIDDLE_DEEMED_SECONDARY,
    "16 plus": Phase.SIXTEEN_PLUS,
    "all-through": Phase.ALL_THROUGH,
    "all through": Phase.ALL_THROUGH,
    "not applicable": Phase.NOT_APPLICABLE,
}


class SchoolStatus(models.TextChoices):
    OPEN = "open", "Open"
    OPEN_PROPOSED_TO_CLOSE = "open_proposed_to_close", "Open, but proposed to close"
    PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = {SchoolStatus.OPEN, SchoolStatus.OPEN_PROPOSED_TO_CLOSE}

STATUS_BY_GIAS_NAME = {
    "open": SchoolStatus.OPEN,
    "open, but proposed to close": SchoolStatus.OPEN_PROPOSED_TO_CLOSE,
    "proposed to open": SchoolStatus.PROPOSED_TO_OPEN,
    "closed": SchoolStatus.CLOSED,
}


class Framework(models.TextChoices):
    """Ofsted inspection frameworks, which grade different things."""

    GRADED = "graded", "Graded inspection (overall effectiveness)"
    UNGRADED = "ungraded", "Ungraded inspection"
    REPORT_CARD = "report_card", "Report card (from November 2025)"


class Grade(models.TextChoices):
    # Graded era (overall effectiveness and its key judgements), 1 to 4.
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    SATISFACTORY = "satisfactory", "Satisfactory"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    # Report-card era, five points per evaluation area.
    EXCEPTIONAL = "exceptional", "Exceptional"
    STRONG_STANDARD = "strong_standard", "Strong standard"
    EXPECTED_STANDARD = "expected_standard", "Expected standard"
    NEEDS_ATTENTION = "needs_attention", "Needs attention"
    URGENT_IMPROVEMENT = "urgent_improvement", "Urgent improvement"
    # Safeguarding, in both eras.
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"


GRADED_SCALE = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]
REPORT_CARD_SCALE = [
    Grade.EXCEPTIONAL, Grade.STRONG_STANDARD, Grade.EXPECTED_STANDARD,
    Grade.NEEDS_ATTENTION, Grade.URGENT_IMPROVEMENT,
]

GRADE_BY_NUMBER = {
    "1": Grade.OUTSTANDING, "2": Grade.GOOD, "3": Grade.REQUIRES_IMPROVEMENT, "4": Grade.INADEQUATE,
}

GRADE_BY_WORDS = {g.label.lower(): g for g in Grade} | {
    "yes": Grade.MET, "no": Grade.NOT_MET,
    # GIAS "OfstedRating (name)" carries a category of concern in place of the grade.
    "serious weaknesses": Grade.INADEQUATE,
    "special measures": Grade.INADEQUATE,
}


class JudgementArea(models.TextChoices):
    OVERALL_EFFECTIVENESS = "overall_effectiveness", "Overall effectiveness"
    QUALITY_OF_EDUCATION = "quality_of_education", "Quality of education"
    BEHAVIOUR_AND_ATTITUDES = "behaviour_and_attitudes", "Behaviour and attitudes"
    PERSONAL_DEVELOPMENT = "personal_development", "Personal development"
    LEADERSHIP_AND_MANAGEMENT = "leadership_and_management", "Leadership and management"
    EARLY_YEARS = "early_years", "Early years provision"
    SIXTH_FORM = "sixth_form", "Sixth form provision"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    UNGRADED_OUTCOME = "ungraded_outcome", "Ungraded inspection outcome"
    INCLUSION = "inclusion", "Inclusion"
    CURRICULUM_AND_TEACHING = "curriculum_and_teaching", "Curriculum and teaching"
    ACHIEVEMENT = "achievement", "Achievement"
    ATTENDANCE_AND_BEHAVIOUR = "attendance_and_behaviour", "Attendance and behaviour"
    PERSONAL_DEVELOPMENT_AND_WELLBEING = (
        "personal_development_and_wellbeing", "Personal development and well-being",
    )
    POST_16 = "post_16", "Post-16 provision"
    LEADERSHIP_AND_GOVERNANCE = "leadership_and_governance", "Leadership and governance"


class InspectionSource(models.TextChoices):
    OFSTED_MI = "ofsted_mi", "Ofsted inspection outcomes file"
    GIAS = "gias", "GIAS establishment extract"
    DEMO = "demo", "Demo data"
    MANUAL = "manual", "Entered by hand"


class ImportKind(models.TextChoices):
    GIAS = "gias", "GIAS establishment extract"
    GIAS_LINKS = "gias_links", "GIAS links file"
    OFSTED = "ofsted", "Ofsted inspection outcomes"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Refused"
    INTERRUPTED = "interrupted", "Interrupted"


class Region(models.TextChoices):
    """England's nine regions, spelt as Get Information About Schools spells them."""

    NORTH_EAST = "North East", "North East"
    NORTH_WEST = "North West", "North West"
    YORKSHIRE = "Yorkshire and the Humber", "Yorkshire and the Humber"
    EAST_MIDLANDS = "East Midlands", "East Midlands"
    WEST_MIDLANDS = "West Midlands", "West Midlands"
    EAST_OF_ENGLAND = "East of England", "East of England"
    LONDON = "London", "London"
    SOUTH_EAST = "South East", "South East"
    SOUTH_WEST = "South West", "South West"
