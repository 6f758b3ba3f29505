"""A deployment through its pages, from the draft agreement to the final evaluation, and the
refusals the pages show as errors (never a 500): the leader's capacity, time beyond the days
agreed or on a paused deployment, and state changes the state machine does not allow."""

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deployments import services
from deployments.choices import AgreementStatus, DeploymentState, ObjectiveOutcome, Party, Rag, StateReason
from deployments.models import Agreement, DeploymentTransition, ObjectiveProgress, TimeEntry
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import DeploymentFactory, commissioned_by_a_trust, school_day_for
from tests.factories.schooldays import in_term

pytestmark = pytest.mark.django_db

State = DeploymentState
TODAY = timezone.localdate()


def url(name: str, deployment, *args) -> str:
    return reverse(f"deployments:{name}", args=[deployment.pk, *args])


def agreement_data(deployment, *, objectives=2, days_per_week="1", weeks=2, **extra) -> dict:
    data = {
        "expected_impact": "Leaders sustain improvement in maths.",
        "support_approach": "Coaching the maths lead.",
        "school_participants": "Headteacher; maths lead",
        "time_basis": "days_per_week",
        "days_per_week": days_per_week,
        "total_days": "",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + datetime.timedelta(weeks=weeks, days=-1)).isoformat(),
        "rate_basis": "day_rate",
        "day_rate": "450",
        "total_amount": "",
        "payer": deployment.commissioner_id,
        "payee_school": deployment.leader_school_id,
        "backfill_note": "",
        "objectives-TOTAL_FORMS": str(objectives),
        "objectives-INITIAL_FORMS": "0",
        "objectives-MIN_NUM_FORMS": "1",
        "objectives-MAX_NUM_FORMS": "1000",
        "staff-TOTAL_FORMS": "0",
        "staff-INITIAL_FORMS": "0",
        "staff-MIN_NUM_FORMS": "0",
        "staff-MAX_NUM_FORMS": "1000",
        "cost_lines-TOTAL_FORMS": "0",
        "cost_lines-INITIAL_FORMS": "0",
        "cost_lines-MIN_NUM_FORMS": "0",
        "cost_lines-MAX_NUM_FORMS": "1000",
    }
    for number in range(objectives):
        data |= {
            f"objectives-{number}-description": f"Objective {number + 1}: maths teaching is good",
            f"objectives-{number}-success_measure": "Most lessons observed are good",
            f"objectives-{number}-target_on": (TODAY + datetime.timedelta(weeks=weeks, days=-1)).isoformat(),
        }
    return data | extra


def text(response) -> str:
    return html.unescape(response.content.decode())


def errors_of(response) -> dict:
    return response.context["form"].errors


def test_a_deployment_from_draft_to_final_evaluation(
    client, la_officer, school_leader, commissioner, leader, proposed_deployment
):
    deployment = proposed_deployment
    # In term from eight weeks ago to after the agreement ends: only weekends and bank holidays
    # are not school days, so the days agreed and the latest school day do not depend on the date.
    in_term(deployment.supported_school.local_authority, TODAY - datetime.timedelta(weeks=8),
            TODAY + datetime.timedelta(weeks=4))
    client.force_login(la_officer)

    # "Add another objective" shows one more row and no errors yet.
    response = client.post(
        url("agreement-edit", deployment), agreement_data(deployment, objectives=1) | {"add_objective": "1"}
    )
    assert response.status_code == 200
    assert response.context["objective_formset"].total_form_count() == 2
    assert "There is a problem" not in text(response)

    response = client.post(
        url("agreement-edit", deployment), agreement_data(deployment, days_per_week="0.25") | {"send": "1"}
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get(deployment=deployment)
    assert agreement.status == AgreementStatus.AWAITING_AGREEMENT
    assert agreement.objectives.count() == 2

    # Each party agrees from the agreement page.
    for person, party in [
        (school_leader, Party.SUPPORTED_SCHOOL),
        (commissioner, Party.COMMISSIONER),
        (leader, Party.LEADER_SCHOOL),
    ]:
        client.force_login(person)
        page = text(client.get(url("agreement-version", deployment, 1)))
        assert f"Agree as {party.label.lower()}" in page
        response = client.post(url("agreement-agree", deployment, 1), {"party": party})
        assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.state == State.ACTIVE
    assert deployment.days_agreed == Decimal("0.5")
    page = text(client.get(url("agreement-version", deployment, 1)))
    assert "Agreed by" in page and "Agree as" not in page

    # The leader logs time, up to the days agreed, on the latest school day (the start is moved
    # back to it: the agreement starts today, which may be a weekend).
    client.force_login(leader)
    log = url("time-log", deployment)
    day = school_day_for(deployment).isoformat()
    assert (
        client.post(log, {"worked_on": day, "days": "0.5", "note": "Observations"}).status_code
        == 302
    )
    response = client.post(log, {"worked_on": day, "days": "0.25"})
    assert response.status_code == 200
    assert "Ask the broker to record a variation first" in errors_of(response)["days"][0]
    assert TimeEntry.objects.filter(deployment=deployment).count() == 1

    client.force_login(la_officer)
    response = client.post(url("variation-new", deployment), {"extra_days": "1", "reason": "An extra visit"})
    assert response.status_code == 302
    client.force_login(leader)
    assert client.post(log, {"worked_on": day, "days": "0.25"}).status_code == 302
    assert "0.75</strong> of 1.5 days used" in text(client.get(url("deployment-detail", deployment)))

    # The broker reviews progress against each objective.
    client.force_login(la_officer)
    objectives = services.current_objectives(deployment)
    review = {"reviewed_on": TODAY.isoformat(), "summary": "A good start", "next_review_on": ""}
    for objective, rag in zip(objectives, [Rag.GREEN, Rag.RED], strict=True):
        review |= {f"rag_{objective.pk}": rag, f"evidence_{objective.pk}": "Lesson visits"}
    assert client.post(url("review-new", deployment), review).status_code == 302
    assert dict(ObjectiveProgress.objects.values_list("objective_id", "rag")) == {
        objectives[0].pk: Rag.GREEN,
        objectives[1].pk: Rag.RED,
    }
    page = text(client.get(url("deployment-detail", deployment)))
    assert "Red: off track" in page

    # Paused: no time can be logged; resumed: it can again.
    response = client.post(
        url("state-change", deployment, "pause"),
        {"reason": StateReason.SCHOOL_WILL_NOT_ENGAGE, "note": "Head on leave"},
    )
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.state == State.PAUSED
    assert "The school will not engage: Head on leave" in text(
        client.get(url("deployment-detail", deployment))
    )
    client.force_login(leader)
    response = client.get(log)
    assert response.status_code == 200
    response = client.post(log, {"worked_on": day, "days": "0.25"})
    assert "Time can only be logged on an active deployment" in errors_of(response)["__all__"][0]
    client.force_login(la_officer)
    assert client.post(url("state-change", deployment, "resume"), {"note": ""}).status_code == 302

    # Support finishes, then the final evaluation completes the deployment.
    response = client.post(url("state-change", deployment, "finish"), {"note": "All visits done"})
    assert errors_of(response)["confirm"] == ["Confirm that support has finished"]
    assert (
        client.post(
            url("state-change", deployment, "finish"), {"note": "All visits done", "confirm": "on"}
        ).status_code
        == 302
    )
    evaluation = {
        "impact": "Maths teaching is good.",
        "capacity_built": "",
        "evaluated_on": TODAY.isoformat(),
    }
    evaluation |= {f"outcome_{o.pk}": ObjectiveOutcome.MET for o in objectives}
    assert client.post(url("evaluation-new", deployment), evaluation).status_code == 302
    deployment.refresh_from_db()
    assert deployment.state == State.COMPLETED
    assert [t.to_state for t in DeploymentTransition.objects.filter(deployment=deployment)] == [
        State.AGREED,
        State.ACTIVE,
        State.PAUSED,
        State.ACTIVE,
        State.AWAITING_FINAL_EVALUATION,
        State.COMPLETED,
    ]
    page = text(client.get(url("deployment-detail", deployment)))
    assert "Maths teaching is good." in page
    assert "Head on leave" in page  # the history keeps the reason


@pytest.fixture
def in_term_now(db):
    """The national default in term from eight weeks ago to twelve ahead: a capacity clash needs
    school weeks, and the holidays hold none."""
    in_term(None, TODAY - datetime.timedelta(weeks=8), TODAY + datetime.timedelta(weeks=12))


@pytest.mark.usefixtures("in_term_now")
def test_sending_an_agreement_the_leader_has_no_time_for_is_refused_clearly(
    client, la_officer, proposed_deployment, lle_leader, home_request
):
    DeploymentFactory(
        designation=lle_leader, support_request=SupportRequestFactory(), days_per_week=Decimal("1.5")
    )
    client.force_login(la_officer)
    response = client.post(
        url("agreement-edit", proposed_deployment), agreement_data(proposed_deployment) | {"send": "1"}
    )
    assert response.status_code == 200
    error = errors_of(response)["days_per_week"][0]
    assert "0.5 days a week more than the 2 days they can give" in error
    content = text(response)
    assert "There is a problem" in content
    assert "The draft is saved but has not been sent for agreement." in content
    assert Agreement.objects.get(deployment=proposed_deployment).status == AgreementStatus.DRAFT


@pytest.mark.usefixtures("in_term_now")
def test_the_send_page_shows_a_capacity_refusal(client, la_officer, proposed_deployment, lle_leader):
    client.force_login(la_officer)
    client.post(
        url("agreement-edit", proposed_deployment), agreement_data(proposed_deployment) | {"save": "1"}
    )
    DeploymentFactory(
        designation=lle_leader, support_request=SupportRequestFactory(), days_per_week=Decimal("2")
    )
    response = client.post(url("agreement-send", proposed_deployment, 1))
    assert response.status_code == 200
    assert "more than the 2 days they can give" in text(response)


def test_agreement_form_errors_are_shown_on_their_fields(client, la_officer, proposed_deployment):
    client.force_login(la_officer)
    data = agreement_data(proposed_deployment, objectives=1, days_per_week="") | {
        "objectives-0-success_measure": "",
        "ends_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
    }
    response = client.post(url("agreement-edit", proposed_deployment), data)
    assert response.status_code == 200
    assert errors_of(response)["days_per_week"] == ["Enter the days a week"]
    assert errors_of(response)["ends_on"] == ["The end date must be on or after the start date"]
    assert response.context["objective_formset"].forms[0].errors["success_measure"]
    assert "Objective 1: Enter the success measure" in text(response)
    assert not Agreement.objects.exists()


def test_an_agreement_needs_at_least_one_objective(client, la_officer, proposed_deployment):
    client.force_login(la_officer)
    data = agreement_data(proposed_deployment, objectives=1) | {"objectives-0-DELETE": "on"}
    response = client.post(url("agreement-edit", proposed_deployment), data)
    assert response.status_code == 200
    assert "Add at least one objective." in text(response)
    assert not Agreement.objects.exists()


def test_money_is_only_paid_to_the_leaders_school(client, la_officer, proposed_deployment, home_school):
    client.force_login(la_officer)
    data = agreement_data(proposed_deployment) | {"payee_school": home_school.pk}
    response = client.post(url("agreement-edit", proposed_deployment), data)
    assert errors_of(response)["payee_school"] == ["Select a listed school"]


def test_staff_with_an_account_are_linked_and_may_log_time(client, la_officer, proposed_deployment, outsider):
    client.force_login(la_officer)
    data = agreement_data(proposed_deployment) | {
        "staff-TOTAL_FORMS": "1",
        "staff-0-name": "Dee Deputy",
        "staff-0-role": "Deputy head",
        "staff-0-email": outsider.email.upper(),
        "staff-0-days": "2",
    }
    response = client.post(url("agreement-edit", proposed_deployment), data | {"save": "1"})
    assert response.status_code == 302
    staff = Agreement.objects.get().staff.get()
    assert (staff.name, staff.user) == ("Dee Deputy", outsider)
    client.force_login(outsider)
    assert client.get(url("deployment-detail", proposed_deployment)).status_code == 200

    client.force_login(la_officer)
    data["staff-0-email"] = "nobody@example.org"
    response = client.post(url("agreement-edit", proposed_deployment), data | {"save": "1"})
    assert response.context["staff_formset"].forms[0].errors["email"] == [
        "No one has an account with this email address"
    ]


def test_asking_for_changes_returns_the_version_to_draft(
    client, la_officer, school_leader, proposed_deployment
):
    client.force_login(la_officer)
    client.post(
        url("agreement-edit", proposed_deployment), agreement_data(proposed_deployment) | {"send": "1"}
    )
    client.force_login(school_leader)
    address = url("agreement-request-changes", proposed_deployment, 1)
    response = client.post(address, {"reason": ""})
    assert errors_of(response)["reason"] == ["Say what needs to change"]
    assert client.post(address, {"reason": "Add a governance objective"}).status_code == 302
    assert Agreement.objects.get().status == AgreementStatus.DRAFT
    # While it is with the parties the broker cannot edit it; now they can.
    client.force_login(la_officer)
    assert client.get(url("agreement-edit", proposed_deployment)).status_code == 200


def test_changing_an_agreed_agreement_makes_a_new_version(client, la_officer, home_deployment):
    client.force_login(la_officer)
    assert client.get(url("agreement-edit", home_deployment)).url == url(
        "agreement-new-version", home_deployment
    )
    response = client.post(url("agreement-new-version", home_deployment))
    assert response.url == url("agreement-edit", home_deployment)
    page = client.get(url("agreement-edit", home_deployment))
    assert page.context["draft"].version == 2
    assert page.context["objective_formset"].total_form_count() == 2
    data = agreement_data(home_deployment, days_per_week="1", weeks=10)
    for number, initial in enumerate(page.context["objective_formset"].initial):
        data[f"objectives-{number}-carried_from"] = initial["carried_from"] or ""
    response = client.post(url("agreement-edit", home_deployment), data | {"send": "1"})
    assert response.status_code == 302
    version_2 = home_deployment.agreements.get(version=2)
    assert version_2.status == AgreementStatus.AWAITING_AGREEMENT
    assert all(o.carried_from_id for o in version_2.objectives.all())
    page = text(client.get(url("agreement-version", home_deployment, 2)))
    assert url("agreement-version", home_deployment, 1) in page  # previous versions are listed
    # A second new version while one is open is refused on the page, not with a 500.
    response = client.post(url("agreement-new-version", home_deployment))
    assert response.status_code == 200
    assert "A new version is already being drafted." in text(response)


@pytest.mark.parametrize(
    "action, data, message",
    [
        ("resume", {}, "Only a paused deployment can be resumed."),
        ("pause", {"reason": ""}, "Choose the reason"),
        ("escalate", {"note": ""}, "Say what the commissioner needs to know"),
    ],
)
def test_refused_state_changes_are_shown_as_errors(
    client, la_officer, home_deployment, action, data, message
):
    client.force_login(la_officer)
    response = client.post(url("state-change", home_deployment, action), data)
    assert response.status_code == 200
    assert message in text(response)
    home_deployment.refresh_from_db()
    assert home_deployment.state == State.ACTIVE


def test_an_invalid_transition_is_an_error_not_a_500(client, la_officer, home_deployment):
    client.force_login(la_officer)
    response = client.post(
        url("evaluation-new", home_deployment), {"impact": "x", "evaluated_on": TODAY.isoformat()}
    )
    assert response.status_code == 200
    assert "The final evaluation follows the end of support" in text(response)


def test_escalating_to_another_commissioner(
    client, la_officer, home_school, home_la_org, mailoutbox, django_capture_on_commit_callbacks
):
    deployment, trust_commissioner = commissioned_by_a_trust(home_school, home_la_org)
    client.force_login(la_officer)
    escalate = url("state-change", deployment, "escalate")
    assert escalate in text(client.get(url("deployment-detail", deployment)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(escalate, {"note": "The school cancelled three visits"})
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.escalated_at is not None
    assert [m.to for m in mailoutbox] == [[trust_commissioner.email]]


def test_escalation_is_not_offered_when_the_broker_commissioned_the_deployment(
    client, la_officer, home_deployment
):
    client.force_login(la_officer)
    assert "Escalate to the commissioner" not in text(client.get(url("deployment-detail", home_deployment)))
    page = text(client.get(url("state-change", home_deployment, "escalate")))
    assert "there is no one else to escalate it to" in page
    response = client.post(url("state-change", home_deployment, "escalate"), {"note": "No engagement"})
    assert response.status_code == 200
    assert "no one else to escalate it to" in text(response)
    home_deployment.refresh_from_db()
    assert home_deployment.escalated_at is None


def test_ending_early(client, la_officer, home_deployment):
    client.force_login(la_officer)
    page = text(client.get(url("state-change", home_deployment, "end-early")))
    assert "This ends the deployment" in page
    response = client.post(
        url("state-change", home_deployment, "end-early"),
        {"reason": StateReason.SCHOOL_WILL_NOT_ENGAGE, "note": "No engagement"},
    )
    assert response.status_code == 302
    home_deployment.refresh_from_db()
    assert home_deployment.state == State.ENDED_EARLY
    transition = home_deployment.transitions.get()
    assert (transition.actor, transition.reason) == (la_officer, StateReason.SCHOOL_WILL_NOT_ENGAGE)


def test_the_broker_sends_a_saved_draft_from_its_own_page(client, la_officer, proposed_deployment):
    client.force_login(la_officer)
    response = client.post(
        url("agreement-edit", proposed_deployment), agreement_data(proposed_deployment) | {"save": "1"}
    )
    assert response.url == url("agreement-version", proposed_deployment, 1)
    page = text(client.get(response.url))
    assert url("agreement-send", proposed_deployment, 1) in page
    assert "Draft" in page
    assert "Send version 1 for agreement" in text(client.get(url("agreement-send", proposed_deployment, 1)))
    assert client.post(url("agreement-send", proposed_deployment, 1)).status_code == 302
    assert Agreement.objects.get().status == AgreementStatus.AWAITING_AGREEMENT
    # Sent, it cannot be edited until someone asks for changes.
    response = client.get(url("agreement-edit", proposed_deployment))
    assert response.url == url("agreement-version", proposed_deployment, 1)
