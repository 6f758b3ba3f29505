"""Eligibility: each criterion of a designation type judged for a person and a school, with a
specific explanation.

Results are stored per application with a snapshot of the criterion (label, kind, parameters,
including the Ofsted rule's clauses), so editing a type's criteria never changes how a submitted
application was judged. While a draft, an application follows the type's current criteria.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date

from apiformat.timestamps import touch
from schools.choices import Framework, Grade, JudgementArea
from schools.models import Inspection, School

from ..choices import (
    HEADSHIP_ROLES,
    LEADERSHIP_ROLES,
    UNDECIDED_APPLICATION_STATES,
    ApplicationState,
    CriterionCheck,
    CriterionOutcome,
    LeadershipRole,
    RefereeRecommendation,
)
from ..models import (
    Application,
    Criterion,
    CriterionResult,
    DesignationType,
    LeadershipPost,
    OfstedRule,
    RefereeRequest,
)

__all__ = [
    "JudgedCriterion",
    "evaluate",
    "judge_ofsted_rule",
    "ofsted_rule_met",
    "preview",
    "reevaluate_undecided_for_person",
    "reevaluate_undecided_for_school",
]

# A year of service counts as 365 days, so that three calendar years always make three years.
DAYS_PER_YEAR = 365
CHAIR_WINDOW_YEARS = 5
FRAMEWORK_PHRASES = {Framework.GRADED: "graded inspection", Framework.REPORT_CARD: "report card"}
NOUNS_BY_CHECK = {
    CriterionCheck.YEARS_IN_HEADSHIP: "of headship",
    CriterionCheck.YEARS_IN_LEADERSHIP: "in leadership",
    CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5: f"as chair of governors in the last {CHAIR_WINDOW_YEARS}",
}
DEFAULT_ROLES_BY_CHECK = {
    CriterionCheck.YEARS_IN_HEADSHIP: HEADSHIP_ROLES,
    CriterionCheck.YEARS_IN_LEADERSHIP: LEADERSHIP_ROLES,
    CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5: {LeadershipRole.CHAIR_OF_GOVERNORS},
}


@dataclass(frozen=True)
class CriterionSnapshot:
    """A criterion as it was when an application was judged against it."""

    criterion_id: int | None
    order: int
    label: str
    kind: str
    parameters: dict[str, Any]

    @classmethod
    def of(cls, criterion: Criterion) -> CriterionSnapshot:
        parameters: dict[str, Any] = {}
        if criterion.min_years is not None:
            parameters["min_years"] = criterion.min_years
        if criterion.roles:
            parameters["roles"] = list(criterion.roles)
        if criterion.guidance:
            parameters["guidance"] = criterion.guidance
        if criterion.kind == CriterionCheck.REFEREE and criterion.local_authority_referee:
            parameters["local_authority_referee"] = True
        if criterion.ofsted_rule_id:
            parameters["ofsted_rule"] = rule_snapshot(criterion.ofsted_rule)
        return cls(criterion.pk, criterion.order, criterion.label, criterion.kind, parameters)

    @classmethod
    def of_result(cls, result: CriterionResult) -> CriterionSnapshot:
        return cls(result.criterion_id, result.order, result.label, result.kind, result.parameters)


@dataclass(frozen=True)
class JudgedCriterion:
    """One criterion judged, not saved: what `preview` returns."""

    criterion_id: int | None
    order: int
    label: str
    kind: str
    parameters: dict[str, Any]
    outcome: str
    explanation: str

    @property
    def outcome_label(self) -> str:
        return CriterionOutcome(self.outcome).label

    @property
    def guidance(self) -> str:
        return self.parameters.get("guidance", "")


@dataclass
class Facts:
    """What is known about the person and school being judged, read once per evaluation."""

    person: Any
    school: School
    today: datetime.date
    posts: list[LeadershipPost]
    application: Application | None = None
    _referee_requests: list[RefereeRequest] | None = field(default=None, repr=False)

    @classmethod
    def gather(
        cls, person, school: School, today: datetime.date, application: Application | None = None
    ) -> Facts:
        posts = list(LeadershipPost.objects.filter(person=person).select_related("school"))
        return cls(person=person, school=school, today=today, posts=posts, application=application)

    @property
    def referee_requests(self) -> list[RefereeRequest]:
        if self._referee_requests is None:
            self._referee_requests = (
                list(self.application.referee_requests.order_by("-sent_at")) if self.application else []
            )
        return self._referee_requests


@dataclass(frozen=True)
class Response:
    """What the applicant gave for an evidence or declaration criterion."""

    text: str = ""
    file_count: int = 0

    @property
    def given(self) -> bool:
        return bool(self.text.strip()) or self.file_count > 0


# --- Public entry points -------------------------------------------------------------------------


def preview(
    person, school: School, designation_type: DesignationType, *, today: datetime.date | None = None
) -> list[JudgedCriterion]:
    """How the person would be judged today if they applied with this school. Nothing is saved."""
    facts = Facts.gather(person, school, today or timezone.localdate())
    return [_judge_snapshot(snapshot, facts, Response()) for snapshot in _current_snapshots(designation_type)]


def evaluate(application: Application, *, today: datetime.date | None = None) -> list[CriterionResult]:
    """Judge every criterion of an undecided application and save the results.

    A decided application keeps its results unchanged. A draft follows the type's current
    criteria; once submitted, the snapshot taken then is what the application is judged against.
    Applicant responses and assessor outcomes are kept.
    """
    if application.state not in UNDECIDED_APPLICATION_STATES:
        return list(application.criterion_results.all())
    today = today or timezone.localdate()
    facts = Facts.gather(application.applicant, application.school, today, application)
    with transaction.atomic():
        results, changed = _stored_results(application), set()
        stored = {result.pk for result in results}
        if application.state == ApplicationState.DRAFT or not results:
            results, changed = _follow_current_criteria(application, results)
        now = timezone.now()
        saved = [
            _save_judgement(result, _judge(result, facts), now, snapshot_changed=id(result) in changed)
            for result in results
        ]
        if any(saved) or stored - {result.pk for result in results}:
            touch(Application.objects.filter(pk=application.pk))  # the API shows its results
    return results


def _judge(result: CriterionResult, facts: Facts) -> JudgedCriterion:
    return _judge_snapshot(CriterionSnapshot.of_result(result), facts, _response(result))


def reevaluate_undecided_for_person(person) -> int:
    """Re-judge the person's undecided applications after a fact about them changed."""
    return _reevaluate(Application.objects.filter(applicant=person))


def reevaluate_undecided_for_school(school: School) -> int:
    """Re-judge undecided applications made with the school after a fact about it changed."""
    return _reevaluate(Application.objects.filter(school=school))


def reevaluate_undecided_for_schools(urns: list[int]) -> int:
    """Re-judge undecided applications made with any of these schools (after an import)."""
    chunk = 1000  # an import touches up to ~50,000 schools: keep each IN list small
    return sum(
        _reevaluate(Application.objects.filter(school_id__in=urns[start : start + chunk]))
        for start in range(0, len(urns), chunk)
    )


def judge_ofsted_rule(rule: OfstedRule | dict[str, Any], school: School) -> tuple[str, str]:
    """The outcome and explanation of a school's latest relevant inspection against a rule."""
    snapshot = rule if isinstance(rule, dict) else rule_snapshot(rule)
    return _judge_ofsted(snapshot, school)


def ofsted_rule_met(rule: OfstedRule | dict[str, Any], school: School) -> bool:
    return judge_ofsted_rule(rule, school)[0] == CriterionOutcome.MET


def rule_snapshot(rule: OfstedRule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "clauses": [
            {"framework": c.framework, "area": c.area, "acceptable_grades": list(c.acceptable_grades)}
            for c in rule.clauses.all()
        ],
    }


# --- Storing results -----------------------------------------------------------------------------


def _reevaluate(applications) -> int:
    undecided = applications.filter(state__in=sorted(UNDECIDED_APPLICATION_STATES)).select_related(
        "applicant", "school", "designation_type"
    )
    count = 0
    for application in undecided:
        evaluate(application)
        count += 1
    return count


def _current_snapshots(designation_type: DesignationType) -> list[CriterionSnapshot]:
    criteria = (
        designation_type.criteria.filter(is_active=True)
        .select_related("ofsted_rule")
        .prefetch_related("ofsted_rule__clauses")
    )
    return [CriterionSnapshot.of(criterion) for criterion in criteria]


def _stored_results(application: Application) -> list[CriterionResult]:
    return list(application.criterion_results.prefetch_related("evidence_files"))


def _follow_current_criteria(
    application: Application, results: list[CriterionResult]
) -> tuple[list[CriterionResult], set[int]]:
    """Bring a draft's results in line with the type's current criteria, keeping responses.

    Returns the results and the ids (Python object ids) of those whose snapshot changed."""
    snapshots = _current_snapshots(application.designation_type)
    by_criterion = {result.criterion_id: result for result in results}
    current_ids = {snapshot.criterion_id for snapshot in snapshots}
    retired = [result.pk for result in results if result.criterion_id not in current_ids]
    CriterionResult.objects.filter(pk__in=retired).delete()
    kept, changed = [], set()
    for snapshot in snapshots:
        result = by_criterion.get(snapshot.criterion_id)
        if result is None:
            result = CriterionResult(application=application, criterion_id=snapshot.criterion_id)
        if CriterionSnapshot.of_result(result) != snapshot:
            result.order, result.label = snapshot.order, snapshot.label
            result.kind, result.parameters = snapshot.kind, snapshot.parameters
            changed.add(id(result))
        kept.append(result)
    return kept, changed


def _response(result: CriterionResult) -> Response:
    files = len(result.evidence_files.all()) if result.pk else 0
    return Response(text=result.applicant_response, file_count=files)


def _save_judgement(
    result: CriterionResult, judged: JudgedCriterion, now: datetime.datetime, *, snapshot_changed: bool
) -> bool:
    """Save the result if its judgement or snapshot changed; says whether it did."""
    unchanged = result.pk and (result.outcome, result.explanation) == (judged.outcome, judged.explanation)
    if unchanged and not snapshot_changed:
        return False
    if not unchanged:
        result.outcome, result.explanation, result.evaluated_at = judged.outcome, judged.explanation, now
    result.save()
    return True


# --- Judging -------------------------------------------------------------------------------------


def _judge_snapshot(snapshot: CriterionSnapshot, facts: Facts, response: Response) -> JudgedCriterion:
    judge = JUDGES[CriterionCheck(snapshot.kind)]
    outcome, explanation = judge(snapshot, facts, response)
    return JudgedCriterion(
        snapshot.criterion_id, snapshot.order, snapshot.label, snapshot.kind, snapshot.parameters,
        outcome, explanation,
    )


def _judge_years(snapshot: CriterionSnapshot, facts: Facts, response: Response) -> tuple[str, str]:
    kind = CriterionCheck(snapshot.kind)
    roles = set(snapshot.parameters.get("roles") or DEFAULT_ROLES_BY_CHECK[kind])
    needed = snapshot.parameters.get("min_years") or 0
    window_start = None
    if kind == CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5:
        window_start = _years_before(facts.today, CHAIR_WINDOW_YEARS)
    days = _days_in_roles(facts.posts, roles, facts.today, window_start)
    held = days // DAYS_PER_YEAR
    summary = f"{_years(held)} {NOUNS_BY_CHECK[kind]}, {needed} needed"
    if days >= needed * DAYS_PER_YEAR:
        return CriterionOutcome.MET, f"Met: {summary}"
    return CriterionOutcome.NOT_MET, f"Not met: {summary}"


def _judge_holds_role(snapshot: CriterionSnapshot, facts: Facts, response: Response) -> tuple[str, str]:
    roles = snapshot.parameters.get("roles") or []
    current = [
        post for post in facts.posts
        if post.role in roles and post.school_id == facts.school.pk and post.is_current_on(facts.today)
    ]
    if current:
        post = min(current, key=lambda p: p.started_on)
        return CriterionOutcome.MET, (
            f"Met: you are {_role_label(post.role)} at {facts.school.name} "
            f"(since {_date(post.started_on)})"
        )
    wanted = " or ".join(_role_label(role) for role in roles) or "a qualifying role"
    return CriterionOutcome.NOT_MET, (
        f"Not met: our records show you are not {wanted} at {facts.school.name} now"
    )


def _judge_school_ofsted(snapshot: CriterionSnapshot, facts: Facts, response: Response) -> tuple[str, str]:
    rule = snapshot.parameters.get("ofsted_rule")
    if not rule:
        return CriterionOutcome.NOT_MET, "Not met: this criterion names no Ofsted rule to judge against"
    return _judge_ofsted(rule, facts.school)


def _judge_school_open(snapshot: CriterionSnapshot, facts: Facts, response: Response) -> tuple[str, str]:
    school = facts.school
    if school.is_open:
        return CriterionOutcome.MET, f"Met: {school.name} is open"
    return CriterionOutcome.NOT_MET, f"Not met: {school.name} is {school.get_status_display().lower()}"


def _judge_evidence(snapshot: CriterionSnapshot, facts: Facts, response: Response) -> tuple[str, str]:
    if not response.given:
        guidance = snapshot.parameters.get("guidance")
        return CriterionOutcome.NEEDS_EVIDENCE, "Needs evidence: upload or describe your evidence" + (
            f". {guidance}" if guidance else ""
        )
    given = []
    if response.text.strip():
        given.append("your description")
    if response.file_count:
        given.append(f"{response.file_count} file{'s' if response.file_count != 1 else ''}")
    return CriterionOutcome.NEEDS_EVIDENCE, (
        f"Needs evidence: {' and '.join(given)} given, for an assessor to judge"
    )


def _judge_declaration(snapshot: CriterionSnapshot, facts: Facts, response: Response) -> tuple[str, str]:
    if not response.given:
        return CriterionOutcome.NEEDS_EVIDENCE, "Needs evidence: confirm this declaration"
    return CriterionOutcome.NEEDS_EVIDENCE, "Needs evidence: declaration made, for an assessor to check"


def _judge_referee(snapshot: CriterionSnapshot, facts: Facts, response: Response) -> tuple[str, str]:
    if facts.application is None:
        return CriterionOutcome.NEEDS_EVIDENCE, "Needs evidence: your referee is asked after you apply"
    answered = [r for r in facts.referee_requests if r.responded_at]
    if answered:
        reference = answered[0]
        when = _date(timezone.localdate(reference.responded_at))
        if reference.recommendation == RefereeRecommendation.SUPPORT:
            return CriterionOutcome.MET, (
                f"Met: {reference.name} supports your application (reference of {when})"
            )
        return CriterionOutcome.NOT_MET, (
            f"Not met: {reference.name} does not support your application (reference of {when})"
        )
    if facts.referee_requests:
        pending = facts.referee_requests[0]
        asked_on = _date(timezone.localdate(pending.sent_at))
        return CriterionOutcome.NEEDS_EVIDENCE, (
            f"Needs evidence: waiting for {pending.name} to respond (asked on {asked_on})"
        )
    if facts.application.referee_name:
        return CriterionOutcome.NEEDS_EVIDENCE, (
            f"Needs evidence: your referee, {facts.application.referee_name}, is asked when you submit"
        )
    return CriterionOutcome.NEEDS_EVIDENCE, "Needs evidence: name a referee"


JUDGES = {
    CriterionCheck.YEARS_IN_HEADSHIP: _judge_years,
    CriterionCheck.YEARS_IN_LEADERSHIP: _judge_years,
    CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5: _judge_years,
    CriterionCheck.HOLDS_ROLE: _judge_holds_role,
    CriterionCheck.SCHOOL_OFSTED: _judge_school_ofsted,
    CriterionCheck.SCHOOL_OPEN: _judge_school_open,
    CriterionCheck.EVIDENCE: _judge_evidence,
    CriterionCheck.DECLARATION: _judge_declaration,
    CriterionCheck.REFEREE: _judge_referee,
}


def _judge_ofsted(rule: dict[str, Any], school: School) -> tuple[str, str]:
    clauses = rule.get("clauses", [])
    inspection = _latest_inspection(school, {clause["framework"] for clause in clauses})
    if inspection is None:
        return CriterionOutcome.NOT_MET, (
            f"Not met: we hold no Ofsted inspection of {school.name} that the rule "
            f"“{rule.get('name', '')}” can be judged from"
        )
    grades = {judgement.area: judgement.grade for judgement in inspection.judgements.all()}
    graded = [c for c in clauses if c["framework"] == inspection.framework and c["area"] in grades]
    framework = FRAMEWORK_PHRASES.get(inspection.framework, inspection.framework)
    source = f"{_date(inspection.start_date)} ({framework})"
    if not graded:
        return CriterionOutcome.NOT_MET, (
            f"Not met: the inspection of {source} grades none of the areas "
            f"the rule “{rule.get('name', '')}” looks at"
        )
    failing = [c for c in graded if grades[c["area"]] not in c["acceptable_grades"]]
    if failing:
        details = "; ".join(
            f"{_area_label(c['area'])} was {_grade_label(grades[c['area']])}, "
            f"{' or '.join(_grade_label(g) for g in c['acceptable_grades'])} needed"
            for c in failing
        )
        return CriterionOutcome.NOT_MET, f"Not met: in the inspection of {source}, {details}"
    if len(graded) == 1 and graded[0]["area"] == JudgementArea.OVERALL_EFFECTIVENESS:
        judged = _grade_label(grades[graded[0]["area"]])
    else:
        judged = ", ".join(f"{_area_label(c['area'])} {_grade_label(grades[c['area']])}" for c in graded)
    return CriterionOutcome.MET, f"Met: your school was judged {judged} on {source}"


def _latest_inspection(school: School, frameworks: set[str]) -> Inspection | None:
    """The latest inspection with published judgements under one of the rule's frameworks."""
    return (
        Inspection.objects.filter(school=school, framework__in=sorted(frameworks), judgements__isnull=False)
        .distinct()
        .order_by("-start_date", "-pk")
        .prefetch_related("judgements")
        .first()
    )


def _days_in_roles(
    posts: list[LeadershipPost], roles: set[str], today: datetime.date, window_start: datetime.date | None
) -> int:
    """Days spent in any of the roles, overlapping posts counted once."""
    periods = sorted(
        (max(post.started_on, window_start or post.started_on), min(post.ended_on or today, today))
        for post in posts
        if post.role in roles
    )
    total, covered_until = 0, datetime.date.min
    for start, end in periods:
        start = max(start, covered_until)
        if end > start:
            total += (end - start).days
            covered_until = end
    return total


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _years(count: int) -> str:
    return f"{count} year" if count == 1 else f"{count} years"


def _date(day: datetime.date) -> str:
    return format_date(day, "j F Y")


def _role_label(role: str) -> str:
    return LeadershipRole(role).label if role in LeadershipRole.values else role.replace("_", " ")


def _area_label(area: str) -> str:
    return JudgementArea(area).label if area in JudgementArea.values else area.replace("_", " ").capitalize()


def _grade_label(grade: str) -> str:
    return Grade(grade).label if grade in Grade.values else grade.replace("_", " ").capitalize()
