"""The "Your tasks" home page: each kind of task appears for whom it should and no one else, goes
when it is done, most urgent first; the empty state; the count in the navigation; a fixed number
of queries whatever the number of tasks."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from brokerage import partnerships
from brokerage import services as brokerage_services
from brokerage.choices import RequestStatus
from brokerage.models import SupportRequest
from deployments import services as deployment_services
from deployments.choices import AgreementStatus, ObjectiveOutcome, Party, Rag
from designations.choices import ApplicationState, RefereeRecommendation, ReviewOutcome
from designations.services import applications as application_services
from designations.services import lifecycle
from tests.factories.deployments import AgreementFactory, school_day_for
from tests.factories.deployments import proposed_deployment as proposed
from tests.factories.designations import DesignationFactory
from tests.factories.schooldays import in_term

from .conftest import task_kinds

PERSONAS = [
    "national_admin",
    "la_officer",
    "other_la_officer",
    "commissioner",
    "school_leader",
    "teaching_school_lead",
    "other_teaching_school_lead",
    "associate",
    "leader",
    "applicant",
    "partner_holder",
    "new_head",
    "outsider",
]


@pytest.fixture
def partner_holder(partner):
    return partner.holder


# (the fixture that makes the task, its kind, who sees it)
KINDS = [
    ("awaiting_agreement", "agree-agreement",
     {"la_officer", "commissioner", "school_leader", "teaching_school_lead", "leader"}),
    ("proposed_deployment", "draft-agreement", {"la_officer"}),
    ("open_request", "find-leader", {"la_officer"}),
    ("review_due", "progress-review", {"la_officer"}),
    ("awaiting_evaluation", "final-evaluation", {"la_officer"}),
    ("stalled", "log-time", {"leader"}),
    ("submitted_application", "assess-application", {"teaching_school_lead", "national_admin"}),
    ("reference_awaited", "reference-awaited", {"applicant"}),
    ("open_case", "decide-case", {"teaching_school_lead", "national_admin"}),
    ("designation_review", "designation-review", {"teaching_school_lead", "national_admin"}),
    ("partnership_request", "partnership-request", {"partner_holder"}),
]


@pytest.mark.parametrize(("maker", "kind", "viewers"), KINDS, ids=[k[1] for k in KINDS])
def test_each_kind_of_task_is_on_the_home_page_of_whom_it_waits_for_only(
    request, client, maker, kind, viewers
):
    request.getfixturevalue(maker)
    people = {name: request.getfixturevalue(name) for name in PERSONAS}

    seeing = {name for name, person in people.items() if kind in task_kinds(client, person)}

    assert seeing == viewers


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:sign-in')}?next=/"


def test_someone_with_nothing_to_do_is_told_so_with_places_to_go(client, la_officer):
    client.force_login(la_officer)

    page = client.get(reverse("home")).content.decode()

    assert "You have no tasks" in page
    assert "<table" not in page
    assert reverse("brokerage:request-list") in page
    assert reverse("designations:designation-list") in page


def test_a_task_row_says_what_which_school_since_when_and_links_to_where_to_act(
    client, school_leader, awaiting_agreement
):
    client.force_login(school_leader)

    page = client.get(reverse("home")).content.decode()

    deployment = awaiting_agreement.deployment
    assert "Agree the support agreement" in page
    assert "Home Primary School" in page
    assert "version 1, as the supported school" in page
    assert f"Since {awaiting_agreement.created_at:%-d %B %Y}" in page
    assert reverse("deployments:agreement-version", args=[deployment.pk, 1]) in page


def test_overdue_tasks_come_first_tagged_then_due_soonest_then_waiting_longest(
    client, la_officer, review_due, open_request, today
):
    # One live deployment per leader per request: the proposal to draft is of another leader.
    proposed(open_request, DesignationFactory(designation_type=review_due.designation.designation_type))
    overdue = review_due
    overdue.next_review_on = today - datetime.timedelta(days=3)
    overdue.save(update_fields=["next_review_on"])
    SupportRequest.objects.filter(pk=open_request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )
    client.force_login(la_officer)

    response = client.get(reverse("home"))
    page = response.content.decode()

    assert task_kinds(client, la_officer) == ["progress-review", "find-leader", "draft-agreement"]
    assert 'govuk-tag--red">Overdue</strong>' in page
    assert f"Due {overdue.next_review_on:%-d %B %Y}" in page


# --- each task goes when it is done --------------------------------------------------------------


def test_the_agreement_task_goes_for_a_party_once_it_has_agreed_and_stays_for_the_others(
    client, school_leader, teaching_school_lead, commissioner, leader, awaiting_agreement
):
    deployment_services.agree(awaiting_agreement, actor=school_leader, party=Party.SUPPORTED_SCHOOL)

    assert "agree-agreement" not in task_kinds(client, school_leader)
    assert "agree-agreement" not in task_kinds(client, teaching_school_lead)
    assert "agree-agreement" in task_kinds(client, commissioner)
    assert "agree-agreement" in task_kinds(client, leader)


def test_changes_asked_for_wait_for_the_broker_until_the_new_draft_is_sent(
    client, la_officer, school_leader, awaiting_agreement
):
    deployment_services.request_changes(awaiting_agreement, actor=school_leader, reason="Fewer days.")

    assert "agreement-changes" in task_kinds(client, la_officer)
    assert "agreement-changes" not in task_kinds(client, school_leader)
    assert "agree-agreement" not in task_kinds(client, school_leader)

    deployment_services.send_for_agreement(awaiting_agreement, actor=la_officer)

    assert "agreement-changes" not in task_kinds(client, la_officer)
    assert "agree-agreement" in task_kinds(client, school_leader)


def test_a_drafted_agreement_replaces_draft_it_with_send_it(client, la_officer, proposed_deployment, today):
    AgreementFactory(
        deployment=proposed_deployment, status=AgreementStatus.DRAFT, agreed_at=None,
        starts_on=today, ends_on=today + datetime.timedelta(days=90),
    )

    kinds = task_kinds(client, la_officer)

    assert "draft-agreement" not in kinds
    assert "send-agreement" in kinds


def test_a_shortlist_without_a_proposal_waits_for_the_broker_and_goes_when_the_request_closes(
    client, la_officer, open_request
):
    brokerage_services.change_status(open_request, RequestStatus.SHORTLISTING, actor=la_officer)
    assert task_kinds(client, la_officer) == ["propose-leader"]

    brokerage_services.close(open_request, actor=la_officer, reason="The school found support itself.")

    assert task_kinds(client, la_officer) == []


def test_the_progress_review_goes_once_recorded(client, la_officer, review_due, today):
    ratings = [
        deployment_services.Rating(objective.pk, Rag.GREEN, "On track.")
        for objective in deployment_services.current_objectives(review_due)
    ]
    deployment_services.record_review(
        review_due, actor=la_officer, reviewed_on=today, ratings=ratings,
        next_review_on=today + datetime.timedelta(days=60),
    )

    assert "progress-review" not in task_kinds(client, la_officer)


def test_the_final_evaluation_goes_once_recorded(client, la_officer, awaiting_evaluation):
    objectives = deployment_services.current_objectives(awaiting_evaluation)
    deployment_services.record_final_evaluation(
        awaiting_evaluation, actor=la_officer, impact="Maths results rose.",
        outcomes={objective.pk: ObjectiveOutcome.MET for objective in objectives},
    )

    assert "final-evaluation" not in task_kinds(client, la_officer)


def test_the_stalled_deployment_goes_once_time_is_logged(client, leader, stalled, today):
    # In term these eight weeks, so the latest school day is a few days back, not in the holidays.
    in_term(stalled.supported_school.local_authority, today - datetime.timedelta(weeks=8), today)
    deployment_services.log_time(stalled, actor=leader, worked_on=school_day_for(stalled), days=Decimal("1"))

    assert "log-time" not in task_kinds(client, leader)


def test_the_application_goes_from_the_assessors_tasks_once_decided(
    client, teaching_school_lead, submitted_application
):
    application_services.transition(
        submitted_application, ApplicationState.UNDER_ASSESSMENT, actor=teaching_school_lead
    )
    assert "assess-application" in task_kinds(client, teaching_school_lead)

    application_services.transition(
        submitted_application, ApplicationState.REJECTED, actor=teaching_school_lead,
        reason="Not enough evidence of impact.",
    )

    assert "assess-application" not in task_kinds(client, teaching_school_lead)


def test_the_awaited_reference_goes_once_given_and_the_application_waits_for_the_assessor(
    client, applicant, teaching_school_lead, reference_awaited
):
    assert "assess-application" not in task_kinds(client, teaching_school_lead)

    application_services.record_reference(
        reference_awaited, recommendation=RefereeRecommendation.SUPPORT, evidence="Strong impact."
    )

    assert "reference-awaited" not in task_kinds(client, applicant)
    assert "assess-application" in task_kinds(client, teaching_school_lead)


def test_an_expired_reference_link_is_overdue(client, applicant, reference_awaited, today):
    reference_awaited.sent_at -= datetime.timedelta(days=30)
    reference_awaited.expires_at = reference_awaited.sent_at + datetime.timedelta(days=21)
    reference_awaited.save(update_fields=["expires_at", "sent_at"])
    client.force_login(applicant)

    assert "Overdue" in client.get(reverse("home")).content.decode()


def test_the_case_goes_once_decided(client, teaching_school_lead, open_case):
    lifecycle.decide_case(
        open_case, de_designate=False, notes="Concerns resolved.", actor=teaching_school_lead
    )

    assert "decide-case" not in task_kinds(client, teaching_school_lead)


def test_the_designation_review_goes_once_recorded(client, teaching_school_lead, designation_review):
    lifecycle.record_review(
        designation_review, outcome=ReviewOutcome.CONTINUE, notes="", actor=teaching_school_lead
    )

    assert "designation-review" not in task_kinds(client, teaching_school_lead)


def test_the_partnership_request_goes_once_answered(client, partner_holder, partnership_request):
    partnerships.respond(partnership_request, actor=partner_holder, accept=True)

    assert "partnership-request" not in task_kinds(client, partner_holder)


def test_a_long_list_of_tasks_is_paged_with_the_total(client, la_officer, monkeypatch, today):
    from accounts.worklist import Task
    from worklist import views

    tasks = [
        Task(kind="find-leader", what=f"Find a leader {n:03}", url=f"/support/requests/{n}/",
             since=today - datetime.timedelta(days=200 - n))
        for n in range(120)
    ]
    monkeypatch.setattr(views, "tasks_for", lambda user, today: tasks)
    client.force_login(la_officer)

    first = client.get(reverse("home"))
    third = client.get(reverse("home"), {"page": 3})

    assert first.content.decode().count('data-task-kind="find-leader"') == views.TASKS_PER_PAGE
    assert "Find a leader 000" in first.content.decode()
    assert "You have 120 tasks" in first.content.decode()
    assert "Your tasks (page 1 of 3)" in first.content.decode()
    assert 'class="govuk-pagination' in first.content.decode()
    assert third.content.decode().count('data-task-kind="find-leader"') == 20
    assert "Find a leader 119" in third.content.decode()
    assert "Showing 101 to 120" in third.content.decode()
