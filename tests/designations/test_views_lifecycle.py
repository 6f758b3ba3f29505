"""Pages for a designation's lifecycle: training, status changes, reviews and de-designation cases."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from designations.choices import CaseReason, CaseStatus, DesignationStatus, ReviewOutcome
from designations.models import (
    DeDesignationCase,
    Designation,
    DesignationStatusChange,
    Review,
    TrainingRecord,
)
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.designations import DeDesignationCaseFactory, DesignationFactory, ReviewFactory

Status = DesignationStatus
TODAY = timezone.localdate
REFUSED_PERSONAS = ["la_officer", "school_leader", "commissioner", "associate", "outsider"]


def days_from_today(days: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=days)


@pytest.fixture
def other_teaching_school_org(other_school):
    # At a school of its own: its SLEs (at other_school) are not from its lead's own school.
    return OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL,
        name="Other Teaching School",
        school=SchoolFactory(local_authority=other_school.local_authority, name="Other Teaching School"),
        local_authority=other_school.local_authority,
    )


@pytest.fixture
def pool_sle(sle_type, teaching_school_org, home_school):
    """An SLE of the teaching-school lead's pool, with its training still to record."""
    holder = UserFactory(full_name="Sam Specialist")
    return DesignationFactory(
        holder=holder,
        school=home_school,
        designation_type=sle_type,
        designating_organisation=teaching_school_org,
        training_completed_on=None,
    )


@pytest.fixture
def other_pool_sle(sle_type, other_teaching_school_org, other_school):
    return DesignationFactory(
        holder=UserFactory(full_name="Olive Other"),
        school=other_school,
        designation_type=sle_type,
        designating_organisation=other_teaching_school_org,
    )


@pytest.fixture
def nle(nle_type, national_body, home_school):
    return DesignationFactory(
        holder=UserFactory(full_name="Nadia National"),
        school=home_school,
        designation_type=nle_type,
        designating_organisation=national_body,
    )


@pytest.fixture
def designations(pool_sle, other_pool_sle, nle):
    return {"pool_sle": pool_sle, "other_pool_sle": other_pool_sle, "nle": nle}


def page_urls(designation: Designation) -> dict[str, str]:
    review = ReviewFactory(designation=designation)
    case = DeDesignationCaseFactory(designation=designation)
    return {
        "training": reverse("designations-manage:training", args=[designation.pk]),
        "suspend": reverse("designations-manage:status", args=[designation.pk, "suspend"]),
        "de-designate": reverse("designations-manage:status", args=[designation.pk, "de-designate"]),
        "reviews": reverse("designations-manage:reviews", args=[designation.pk]),
        "record review": reverse("designations-manage:review-record", args=[designation.pk, review.pk]),
        "decide case": reverse("designations-manage:case-decide", args=[case.pk]),
    }


# --- permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "target", "allowed"),
    [
        ("national_admin", "pool_sle", True),
        ("national_admin", "other_pool_sle", True),
        ("national_admin", "nle", True),
        ("teaching_school_lead", "pool_sle", True),
        ("teaching_school_lead", "other_pool_sle", False),
        ("teaching_school_lead", "nle", False),
        *[(persona, "pool_sle", False) for persona in REFUSED_PERSONAS],
        *[(persona, "nle", False) for persona in REFUSED_PERSONAS],
    ],
)
def test_designation_pages_are_open_to_those_who_manage_the_designation(
    client, request, designations, persona, target, allowed
):
    client.force_login(request.getfixturevalue(persona))
    for page, url in page_urls(designations[target]).items():
        response = client.get(url)
        assert response.status_code == (200 if allowed else 403), page


def test_refused_status_change_is_not_made(client, la_officer, pool_sle):
    client.force_login(la_officer)
    url = reverse("designations-manage:status", args=[pool_sle.pk, "suspend"])
    assert client.post(url, {"reason": "No reason at all"}).status_code == 403
    pool_sle.refresh_from_db()
    assert pool_sle.status == Status.ACTIVE


def test_only_a_national_administrator_may_lapse_a_designation(
    client, national_admin, teaching_school_lead, pool_sle
):
    url = reverse("designations-manage:status", args=[pool_sle.pk, "lapse"])
    client.force_login(teaching_school_lead)
    assert client.get(url).status_code == 403
    client.force_login(national_admin)
    assert client.get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, pool_sle):
    urls = [
        *page_urls(pool_sle).values(),
        reverse("designations-manage:case-list"),
        reverse("designations-manage:reviews-due"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign-in")), url


@pytest.mark.parametrize(
    ("persona", "status_code"),
    [("national_admin", 200), ("teaching_school_lead", 200), *[(p, 403) for p in REFUSED_PERSONAS]],
)
def test_case_and_review_lists_are_for_those_who_manage_designations(client, request, persona, status_code):
    client.force_login(request.getfixturevalue(persona))
    for name in ("designations-manage:case-list", "designations-manage:reviews-due"):
        assert client.get(reverse(name)).status_code == status_code, name


def test_unknown_status_action_and_designation_are_not_found(client, national_admin, pool_sle):
    client.force_login(national_admin)
    assert client.get(f"/designations/manage/{pool_sle.pk}/status/promote/").status_code == 404
    assert client.get(reverse("designations-manage:training", args=[999999])).status_code == 404


# --- training ----------------------------------------------------------------------------------


def test_training_page_shows_what_is_outstanding_and_that_the_designation_is_not_deployable(
    client, teaching_school_lead, pool_sle
):
    client.force_login(teaching_school_lead)
    response = client.get(reverse("designations-manage:training", args=[pool_sle.pk]))
    content = response.content.decode()
    assert "Mandatory core training day" in content
    assert "Not until every required training is recorded" in content
    assert len(response.context["outstanding_forms"]) == 1


def test_recording_the_last_training_makes_the_designation_deployable(client, teaching_school_lead, pool_sle):
    requirement = pool_sle.designation_type.training_requirements.get()
    completed_on = days_from_today(-3)
    client.force_login(teaching_school_lead)
    url = reverse("designations-manage:training", args=[pool_sle.pk])

    response = client.post(url, {"requirement": requirement.pk, "completed_on": completed_on.isoformat()})

    assert response.status_code == 302
    record = TrainingRecord.objects.get(designation=pool_sle)
    assert (record.requirement, record.completed_on, record.recorded_by) == (
        requirement,
        completed_on,
        teaching_school_lead,
    )
    pool_sle.refresh_from_db()
    assert pool_sle.is_deployable
    page = client.get(url)
    assert "recorded as completed" in page.content.decode()
    assert page.context["outstanding_forms"] == []


def test_training_of_an_ended_designation_cannot_be_recorded(client, national_admin, pool_sle):
    pool_sle.status = Status.LAPSED
    pool_sle.save(update_fields=["status"])
    client.force_login(national_admin)
    url = reverse("designations-manage:training", args=[pool_sle.pk])
    assert "no more training can be recorded" in client.get(url).content.decode()
    requirement = pool_sle.designation_type.training_requirements.get()
    response = client.post(url, {"requirement": requirement.pk, "completed_on": TODAY().isoformat()})
    assert "A lapsed designation takes no training records." in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_training_completed_in_the_future_is_refused_with_a_field_error(client, national_admin, pool_sle):
    requirement = pool_sle.designation_type.training_requirements.get()
    client.force_login(national_admin)
    response = client.post(
        reverse("designations-manage:training", args=[pool_sle.pk]),
        {"requirement": requirement.pk, "completed_on": days_from_today(2).isoformat()},
    )
    assert response.status_code == 200
    assert "The completion date must be today or in the past" in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_training_already_recorded_is_refused_with_a_clear_error(client, national_admin, pool_sle):
    requirement = pool_sle.designation_type.training_requirements.get()
    TrainingRecord.objects.create(designation=pool_sle, requirement=requirement, completed_on=TODAY())
    client.force_login(national_admin)
    response = client.post(
        reverse("designations-manage:training", args=[pool_sle.pk]),
        {"requirement": requirement.pk, "completed_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert "This training is already recorded or not required" in response.content.decode()
    assert TrainingRecord.objects.count() == 1


# --- status changes ----------------------------------------------------------------------------


def status_url(designation: Designation, action: str) -> str:
    return reverse("designations-manage:status", args=[designation.pk, action])


@pytest.mark.parametrize("action", ["suspend", "de-designate", "lapse"])
def test_suspending_de_designating_or_lapsing_needs_a_reason(client, national_admin, nle, action):
    client.force_login(national_admin)
    response = client.post(status_url(nle, action), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Enter a reason"]
    nle.refresh_from_db()
    assert nle.status == Status.ACTIVE
    assert not DesignationStatusChange.objects.exists()


def test_status_page_asks_for_the_reason_and_says_when_it_is_optional(client, national_admin, nle):
    client.force_login(national_admin)
    suspend = client.get(status_url(nle, "suspend")).content.decode()
    assert "Why is the designation being suspended?</label>" in suspend
    lapse_page = client.get(status_url(nle, "lapse")).content.decode()
    assert "Why is the designation being lapsed?</label>" in lapse_page
    assert "This ends the designation" in lapse_page
    reinstate_page = client.get(status_url(nle, "reinstate")).content.decode()
    assert "Why is the designation being reinstated? (optional)</label>" in reinstate_page


def test_suspending_records_who_and_why(client, teaching_school_lead, pool_sle):
    client.force_login(teaching_school_lead)
    response = client.post(status_url(pool_sle, "suspend"), {"reason": "Safeguarding concern under review."})
    assert response.status_code == 302
    assert response["Location"] == reverse("designations:designation-detail", args=[pool_sle.pk])
    pool_sle.refresh_from_db()
    assert pool_sle.status == Status.SUSPENDED
    change = DesignationStatusChange.objects.get(designation=pool_sle)
    assert (change.from_status, change.to_status, change.actor, change.reason) == (
        Status.ACTIVE,
        Status.SUSPENDED,
        teaching_school_lead,
        "Safeguarding concern under review.",
    )


def test_reinstating_a_suspended_designation_needs_no_reason(client, national_admin, nle):
    nle.status = Status.SUSPENDED
    nle.save(update_fields=["status"])
    client.force_login(national_admin)
    assert client.post(status_url(nle, "reinstate"), {"reason": "", "confirm": "on"}).status_code == 302
    nle.refresh_from_db()
    assert nle.status == Status.ACTIVE
    assert DesignationStatusChange.objects.get(designation=nle).actor == national_admin


def test_reinstating_an_active_designation_is_a_form_error_not_a_crash(client, national_admin, nle):
    client.force_login(national_admin)
    response = client.post(status_url(nle, "reinstate"), {"reason": "Just in case", "confirm": "on"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["An active designation cannot be reinstated."]
    assert "An active designation cannot be reinstated." in response.content.decode()


def test_de_designating_ends_the_designation_and_keeps_its_history(client, national_admin, nle):
    client.force_login(national_admin)
    response = client.post(status_url(nle, "de-designate"), {"reason": "School judged inadequate."})
    assert response.status_code == 302
    nle.refresh_from_db()
    assert (nle.status, nle.ended_on, nle.end_reason) == (
        Status.DE_DESIGNATED,
        TODAY(),
        "School judged inadequate.",
    )
    assert DesignationStatusChange.objects.get(designation=nle).reason == "School judged inadequate."


def test_a_national_administrator_lapses_a_designation_with_a_reason(client, national_admin, nle):
    client.force_login(national_admin)
    response = client.post(status_url(nle, "lapse"), {"reason": "Left headship"})
    assert response.status_code == 302
    nle.refresh_from_db()
    assert (nle.status, nle.end_reason) == (Status.LAPSED, "Left headship")


def test_reinstating_asks_for_confirmation(client, national_admin, nle):
    nle.status = Status.SUSPENDED
    nle.save(update_fields=["status"])
    client.force_login(national_admin)
    page = client.get(status_url(nle, "reinstate")).content.decode()
    assert "Yes, reinstate this designation" in page

    response = client.post(status_url(nle, "reinstate"), {"reason": "Concern resolved"})

    assert response.status_code == 200
    assert response.context["form"].errors["confirm"] == ["Confirm that the designation should be reinstated"]
    nle.refresh_from_db()
    assert nle.status == Status.SUSPENDED


def test_status_page_offers_only_the_changes_the_user_may_make(client, teaching_school_lead, pool_sle):
    client.force_login(teaching_school_lead)
    links = client.get(status_url(pool_sle, "suspend")).context["manage_links"]
    assert [link["label"] for link in links] == ["Training", "Reviews", "Suspend", "De-designate"]


# --- reviews -----------------------------------------------------------------------------------


def test_scheduling_a_review_sets_the_next_review_date(client, teaching_school_lead, pool_sle):
    due_on = days_from_today(60)
    client.force_login(teaching_school_lead)
    url = reverse("designations-manage:reviews", args=[pool_sle.pk])
    response = client.post(url, {"due_on": due_on.isoformat()})
    assert response.status_code == 302
    assert Review.objects.filter(designation=pool_sle, due_on=due_on, completed_on=None).exists()
    pool_sle.refresh_from_db()
    assert pool_sle.next_review_on == due_on
    assert due_on.strftime("%-d %B %Y") in client.get(url).content.decode()


def test_scheduling_a_review_in_the_past_is_refused(client, national_admin, nle):
    client.force_login(national_admin)
    response = client.post(
        reverse("designations-manage:reviews", args=[nle.pk]), {"due_on": days_from_today(-1).isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"] == ["The review date must be today or in the future"]


def test_scheduling_a_second_review_on_the_same_day_shows_the_service_refusal(client, national_admin, nle):
    due_on = days_from_today(20)
    ReviewFactory(designation=nle, due_on=due_on)
    client.force_login(national_admin)
    response = client.post(
        reverse("designations-manage:reviews", args=[nle.pk]), {"due_on": due_on.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"A review is already scheduled for {due_on:%-d %B %Y}."
    ]


def test_recording_a_review_completes_it_and_schedules_the_next(client, national_admin, nle):
    review = ReviewFactory(designation=nle, due_on=days_from_today(5))
    client.force_login(national_admin)
    response = client.post(
        reverse("designations-manage:review-record", args=[nle.pk, review.pk]),
        {"outcome": ReviewOutcome.CONTINUE, "notes": "", "completed_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.completed_on, review.outcome, review.recorded_by) == (
        TODAY(),
        ReviewOutcome.CONTINUE,
        national_admin,
    )
    assert Review.objects.filter(designation=nle, completed_on=None).count() == 1


def test_review_with_concerns_needs_notes_then_opens_a_case(client, national_admin, nle):
    review = ReviewFactory(designation=nle, due_on=days_from_today(5))
    url = reverse("designations-manage:review-record", args=[nle.pk, review.pk])
    client.force_login(national_admin)
    data = {"outcome": ReviewOutcome.CONCERNS, "notes": "", "completed_on": TODAY().isoformat()}

    refused = client.post(url, data)
    assert refused.context["form"].errors["notes"] == ["Describe the concerns the review found"]

    assert client.post(url, {**data, "notes": "No impact in two terms."}).status_code == 302
    case = DeDesignationCase.objects.get(designation=nle)
    assert (case.reason, case.detail, case.opened_by) == (
        CaseReason.QUALITY_CONCERN,
        "No impact in two terms.",
        national_admin,
    )


def test_a_review_already_recorded_cannot_be_recorded_again(client, national_admin, nle):
    review = ReviewFactory(designation=nle, completed_on=TODAY(), outcome=ReviewOutcome.CONTINUE)
    url = reverse("designations-manage:review-record", args=[nle.pk, review.pk])
    client.force_login(national_admin)
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"outcome": ReviewOutcome.CONTINUE, "notes": "", "completed_on": TODAY().isoformat()}
    )
    assert response.status_code == 200
    assert "This review was already recorded" in response.context["form"].non_field_errors()[0]


# --- cases to decide ---------------------------------------------------------------------------


def test_cases_to_decide_shows_open_cases_in_the_users_scope(
    client, national_admin, teaching_school_lead, designations
):
    own = DeDesignationCaseFactory(designation=designations["pool_sle"], detail="Own pool case")
    other = DeDesignationCaseFactory(designation=designations["other_pool_sle"])
    national = DeDesignationCaseFactory(designation=designations["nle"])
    DeDesignationCaseFactory(designation=designations["pool_sle"], status=CaseStatus.KEPT)
    url = reverse("designations-manage:case-list")

    client.force_login(national_admin)
    assert {case.pk for case in client.get(url).context["cases"]} == {own.pk, other.pk, national.pk}

    client.force_login(teaching_school_lead)
    response = client.get(url)
    assert [case.pk for case in response.context["cases"]] == [own.pk]
    content = response.content.decode()
    assert "Own pool case" in content and "Sam Specialist" in content
    assert "Concerns about the quality of support" in content


def test_cases_to_decide_says_when_there_are_none(client, national_admin):
    client.force_login(national_admin)
    assert (
        "There are no cases to decide."
        in client.get(reverse("designations-manage:case-list")).content.decode()
    )


def test_deciding_to_keep_closes_the_case_and_keeps_the_designation(client, teaching_school_lead, pool_sle):
    case = DeDesignationCaseFactory(designation=pool_sle)
    client.force_login(teaching_school_lead)
    response = client.post(
        reverse("designations-manage:case-decide", args=[case.pk]),
        {"decision": "keep", "notes": "The school has a recovery plan."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    pool_sle.refresh_from_db()
    assert (case.status, case.decided_by, case.decision_notes) == (
        CaseStatus.KEPT,
        teaching_school_lead,
        "The school has a recovery plan.",
    )
    assert pool_sle.status == Status.ACTIVE


def test_deciding_to_de_designate_ends_the_designation(client, national_admin, nle):
    case = DeDesignationCaseFactory(designation=nle, reason=CaseReason.SCHOOL_CLOSED)
    client.force_login(national_admin)
    client.post(
        reverse("designations-manage:case-decide", args=[case.pk]),
        {"decision": "de_designate", "notes": "The school closed in July."},
    )
    case.refresh_from_db()
    nle.refresh_from_db()
    assert case.status == CaseStatus.DE_DESIGNATED
    assert nle.status == Status.DE_DESIGNATED
    change = DesignationStatusChange.objects.get(designation=nle)
    assert (change.actor, change.reason) == (national_admin, "School has closed: The school closed in July.")


def test_a_decision_needs_a_choice_and_reasons(client, national_admin, nle):
    case = DeDesignationCaseFactory(designation=nle)
    client.force_login(national_admin)
    response = client.post(reverse("designations-manage:case-decide", args=[case.pk]), {"notes": " "})
    errors = response.context["form"].errors
    assert errors["decision"] == ["Select whether to keep the designation or de-designate"]
    assert errors["notes"] == ["Enter the reasons for the decision"]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_a_decided_case_cannot_be_decided_again(client, national_admin, nle):
    case = DeDesignationCaseFactory(designation=nle, status=CaseStatus.KEPT)
    client.force_login(national_admin)
    response = client.post(
        reverse("designations-manage:case-decide", args=[case.pk]),
        {"decision": "de_designate", "notes": "Now."},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()[0].startswith("This case was already decided")
    nle.refresh_from_db()
    assert nle.status == Status.ACTIVE


# --- reviews due -------------------------------------------------------------------------------


def test_reviews_due_lists_overdue_and_soon_due_reviews_in_scope(
    client, national_admin, teaching_school_lead, designations
):
    overdue = ReviewFactory(designation=designations["pool_sle"], due_on=days_from_today(-3))
    soon = ReviewFactory(designation=designations["nle"], due_on=days_from_today(30))
    other_pool = ReviewFactory(designation=designations["other_pool_sle"], due_on=days_from_today(10))
    ReviewFactory(designation=designations["nle"], due_on=days_from_today(31))
    ReviewFactory(designation=designations["nle"], due_on=days_from_today(1), completed_on=TODAY())
    ended = DesignationFactory(status=Status.LAPSED)
    ReviewFactory(designation=ended, due_on=days_from_today(1))
    url = reverse("designations-manage:reviews-due")

    client.force_login(national_admin)
    assert [r.pk for r in client.get(url).context["reviews"]] == [overdue.pk, other_pool.pk, soon.pk]

    client.force_login(teaching_school_lead)
    response = client.get(url)
    assert [r.pk for r in response.context["reviews"]] == [overdue.pk]
    assert "Overdue" in response.content.decode()


def test_reviews_due_says_when_there_are_none(client, teaching_school_lead):
    client.force_login(teaching_school_lead)
    content = client.get(reverse("designations-manage:reviews-due")).content.decode()
    assert "No reviews are due in the next 30 days." in content


# --- query counts ------------------------------------------------------------------------------


def make_pool_designations(count: int, teaching_school, designation_type) -> list[Designation]:
    return [
        DesignationFactory(
            designation_type=designation_type,
            designating_organisation=teaching_school,
            school=SchoolFactory(),
        )
        for _ in range(count)
    ]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["national_admin", "teaching_school_lead"])
def test_list_pages_cost_the_same_number_of_queries_for_3_or_30_rows(
    client, request, persona, sle_type, teaching_school_org
):
    client.force_login(request.getfixturevalue(persona))
    counts = {}
    for total in (3, 30):
        DeDesignationCase.objects.all().delete()
        Review.objects.all().delete()
        for designation in make_pool_designations(total, teaching_school_org, sle_type):
            DeDesignationCaseFactory(designation=designation)
            ReviewFactory(designation=designation, due_on=days_from_today(7))
        counts[total] = (
            queries_for(client, reverse("designations-manage:case-list")),
            queries_for(client, reverse("designations-manage:reviews-due")),
        )
    assert counts[3] == counts[30]


def test_a_lead_of_two_teaching_schools_sees_both_pools(
    client, teaching_school_lead, designations, other_teaching_school_org
):
    MembershipFactory(
        user=teaching_school_lead, organisation=other_teaching_school_org, role=Role.TEACHING_SCHOOL_LEAD
    )
    own = DeDesignationCaseFactory(designation=designations["pool_sle"])
    other = DeDesignationCaseFactory(designation=designations["other_pool_sle"])
    DeDesignationCaseFactory(designation=designations["nle"])
    client.force_login(teaching_school_lead)
    cases = client.get(reverse("designations-manage:case-list")).context["cases"]
    assert {case.pk for case in cases} == {own.pk, other.pk}


# --- the ranges of dates -----------------------------------------------------------------------


def test_training_completed_in_1990_is_refused_with_the_earliest_date_allowed(
    client, national_admin, pool_sle
):
    requirement = pool_sle.designation_type.training_requirements.get()
    client.force_login(national_admin)
    response = client.post(
        reverse("designations-manage:training", args=[pool_sle.pk]),
        {"requirement": requirement.pk, "completed_on": "1990-01-01"},
    )
    assert response.status_code == 200
    message = "The completion date must be today or in the past, and no earlier than"
    assert message in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_training_completed_more_than_three_years_before_the_application_does_not_count(
    national_admin, pool_sle
):
    from designations.errors import DesignationError
    from designations.services.lifecycle import record_training

    requirement = pool_sle.designation_type.training_requirements.get()
    with pytest.raises(DesignationError) as refused:
        record_training(
            pool_sle, requirement=requirement, completed_on=days_from_today(-4 * 366), actor=national_admin
        )
    assert "training counts for three years before the application" in refused.value.message
    assert refused.value.field == "completed_on"


def test_a_review_dated_in_year_one_is_refused(client, national_admin, nle):
    review = nle.reviews.first() or ReviewFactory(designation=nle)
    client.force_login(national_admin)
    response = client.post(
        reverse("designations-manage:review-record", args=[nle.pk, review.pk]),
        {"outcome": ReviewOutcome.CONTINUE, "notes": "", "completed_on": "0001-01-01"},
    )
    assert response.status_code == 200
    assert "The date of the review must be today or in the past, and no earlier than" in (
        " ".join(response.context["form"].errors["completed_on"])
    )
    review.refresh_from_db()
    assert review.completed_on is None


def test_a_review_scheduled_in_9999_is_refused(client, national_admin, nle):
    client.force_login(national_admin)
    response = client.post(
        reverse("designations-manage:reviews", args=[nle.pk]),
        {"due_on_day": "1", "due_on_month": "1", "due_on_year": "9999"},
    )
    assert response.status_code == 200
    assert "The review date must be between" in " ".join(response.context["form"].errors["due_on"])
