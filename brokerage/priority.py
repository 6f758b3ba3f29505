"""Which priority reasons a school's own data suggests (a commissioner can add or remove any)."""

from __future__ import annotations

import datetime

from designations.choices import HEADSHIP_ROLES
from designations.models import LeadershipPost
from designations.services.lifecycle import add_months
from schools.choices import Grade
from schools.models import School

from .choices import PriorityReason
from .models import RiskAssessment

CONCERN_GRADES = {
    Grade.REQUIRES_IMPROVEMENT,
    Grade.INADEQUATE,
    Grade.SATISFACTORY,
    Grade.NEEDS_ATTENTION,
    Grade.URGENT_IMPROVEMENT,
    Grade.NOT_MET,
}
NEW_HEAD_YEARS = 2


def ofsted_concern(school: School) -> str | None:
    """Why the latest inspection is a concern, naming it; None when it is not."""
    inspection = school.latest_inspection
    if inspection is None:
        return None
    poor = sorted(
        {j.get_grade_display().lower() for j in inspection.judgements.all() if j.grade in CONCERN_GRADES}
    )
    if inspection.category_of_concern:
        poor.append(inspection.category_of_concern.lower())
    if not poor:
        return None
    return f"Inspected on {inspection.start_date:%-d %B %Y}: {', '.join(poor)}."


def new_head_post(person, today: datetime.date) -> LeadershipPost | None:
    """The person's headship when it is their first, is held now and began in the last two years."""
    headships = LeadershipPost.objects.filter(
        person=person, role__in=sorted(HEADSHIP_ROLES), started_on__lte=today
    ).order_by("started_on", "pk")
    first = headships.select_related("school").first()
    if first is None or not first.is_current_on(today):
        return None
    return first if first.started_on >= add_months(today, -12 * NEW_HEAD_YEARS) else None


def new_first_time_head(school: School, today: datetime.date) -> LeadershipPost | None:
    """The school's current head, when this is their first headship and began in the last two years."""
    current = (
        LeadershipPost.objects.filter(school=school, role__in=sorted(HEADSHIP_ROLES), ended_on__isnull=True)
        .select_related("person")
        .order_by("-started_on", "-pk")
        .first()
    )
    if current is None:
        return None
    first = new_head_post(current.person, today)
    return current if first is not None and first.pk == current.pk else None


def latest_risk_assessment(school: School) -> RiskAssessment | None:
    return school.risk_assessments.order_by("-assessed_on", "-pk").first()


def suggested_priority_reasons(school: School, today: datetime.date) -> dict[str, str]:
    """Reason code -> the evidence for it, from the school's inspections, posts and risk assessment.

    Attainment below the floor standard is not suggested: no performance data is imported, so a
    commissioner sets it by hand.
    """
    suggestions: dict[str, str] = {}
    concern = ofsted_concern(school)
    if concern:
        suggestions[PriorityReason.OFSTED_CONCERN] = concern
    head = new_first_time_head(school, today)
    if head:
        suggestions[PriorityReason.NEW_HEAD] = (
            f"{head.person} became headteacher on {head.started_on:%-d %B %Y}, their first headship."
        )
    assessment = latest_risk_assessment(school)
    if assessment and assessment.is_at_risk:
        suggestions[PriorityReason.RISK_RATING] = f"Assessed at risk on {assessment.assessed_on:%-d %B %Y}."
    return suggestions
