"""Every number and date of a deployment is checked by its model's validators, whichever way it
arrives: the pages refuse it on the field with a message that says what is allowed, and the services
refuse it too (they call full_clean() and never save around the validators)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deployments import services
from deployments.choices import DeploymentState
from deployments.errors import DeploymentError
from deployments.models import (
    Agreement,
    Deployment,
    FinalEvaluation,
    ProgressReview,
    TimeEntry,
    Unavailability,
)
from tests.deployments.test_views_flow import agreement_data, errors_of, text, url
from tests.factories.deployments import school_day_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
QUARTER_DAYS = "Days a week must be between 0.25 and 5, in quarter days"


def post_agreement(client, officer, deployment, **extra):
    client.force_login(officer)
    return client.post(url("agreement-edit", deployment), agreement_data(deployment, **extra))


@pytest.mark.parametrize("days", ["-2", "0", "0.3", "5.5", "99.999"])
def test_the_agreement_page_refuses_days_a_week_outside_a_quarter_to_five(
    client, la_officer, proposed_deployment, days
):
    response = post_agreement(client, la_officer, proposed_deployment, days_per_week=days)

    assert response.status_code == 200
    assert errors_of(response)["days_per_week"] == [QUARTER_DAYS]
    assert not Agreement.objects.exists()


def terms(deployment, **changes) -> dict:
    return {
        "expected_impact": "Better maths", "support_approach": "Coaching", "school_participants": "Head",
        "time_basis": "days_per_week", "days_per_week": Decimal("1"), "total_days": None,
        "starts_on": TODAY, "ends_on": TODAY + datetime.timedelta(weeks=4), "rate_basis": "day_rate",
        "day_rate": Decimal("450"), "total_amount": None, "payer": deployment.commissioner,
        "payee_school": deployment.leader_school, "backfill_note": "", **changes,
    }


def objective(target_on=None):
    return services.ObjectiveData("Maths is good", "Lessons are good", target_on or TODAY)


def test_the_service_refuses_minus_two_days_a_week_as_the_form_does(la_officer, proposed_deployment):
    negative = terms(proposed_deployment, days_per_week=Decimal("-2"))
    with pytest.raises(DeploymentError) as refused:
        services.save_draft(proposed_deployment, actor=la_officer, terms=negative, objectives=[objective()])
    assert (refused.value.field, refused.value.message) == ("days_per_week", QUARTER_DAYS)
    assert not Agreement.objects.exists()


def test_the_service_refuses_minus_three_staff_days(la_officer, proposed_deployment):
    with pytest.raises(DeploymentError) as refused:
        services.save_draft(
            proposed_deployment, actor=la_officer, terms=terms(proposed_deployment),
            objectives=[objective()],
            staff=[services.StaffData("Dee Deputy", "Deputy head", None, Decimal("-3"))],
        )
    assert refused.value.message == "Staff member 1: Staff days must be between 0.5 and 500, in half days"
    assert not Agreement.objects.exists()


def test_the_agreement_page_refuses_minus_three_staff_days(client, la_officer, proposed_deployment):
    data = agreement_data(proposed_deployment) | {
        "staff-TOTAL_FORMS": "1", "staff-0-name": "Dee Deputy", "staff-0-role": "Deputy head",
        "staff-0-email": "", "staff-0-days": "-3",
    }
    client.force_login(la_officer)
    response = client.post(url("agreement-edit", proposed_deployment), data)

    assert response.status_code == 200
    assert "Staff days must be between 0.5 and 500, in half days" in text(response)
    assert not Agreement.objects.exists()


def test_an_agreement_starting_in_the_past_is_refused(client, la_officer, proposed_deployment):
    yesterday = (TODAY - datetime.timedelta(days=1)).isoformat()
    response = post_agreement(client, la_officer, proposed_deployment, starts_on=yesterday)

    assert response.status_code == 200
    assert "The start date must be today or in the future" in text(response)
    assert not Agreement.objects.exists()


def test_an_objective_due_after_the_support_ends_is_refused(client, la_officer, proposed_deployment):
    late = (TODAY + datetime.timedelta(weeks=30)).isoformat()
    response = post_agreement(client, la_officer, proposed_deployment, **{"objectives-0-target_on": late})

    assert response.status_code == 200
    assert "Objective 1: The target date must be between" in text(response)
    assert "while the support lasts" in text(response)
    assert not Agreement.objects.exists()


def test_a_final_evaluation_dated_2031_is_refused(client, la_officer, home_deployment):
    Deployment.objects.filter(pk=home_deployment.pk).update(state=DeploymentState.AWAITING_FINAL_EVALUATION)
    client.force_login(la_officer)
    response = client.post(
        url("evaluation-new", home_deployment),
        {"impact": "Good", "evaluated_on_day": "1", "evaluated_on_month": "6", "evaluated_on_year": "2031"},
    )
    assert response.status_code == 200
    message = "The date of the evaluation must be today or in the past"
    assert errors_of(response)["evaluated_on"][0].startswith(message)
    assert not FinalEvaluation.objects.exists()


@pytest.mark.parametrize("days", ["9.75", "0.3", "-1", "1.25"])
def test_a_time_entry_is_a_quarter_day_to_a_day(client, leader, home_deployment, days):
    client.force_login(leader)
    day = school_day_for(home_deployment)
    response = client.post(url("time-log", home_deployment), {"worked_on": day.isoformat(), "days": days})

    assert response.status_code == 200
    assert errors_of(response)["days"] == ["Days must be between 0.25 and 1, in quarter days"]
    assert not TimeEntry.objects.exists()


def test_the_entries_of_one_date_add_up_to_one_day_at_most(client, leader, home_deployment):
    client.force_login(leader)
    log = url("time-log", home_deployment)
    day = school_day_for(home_deployment)
    for days in ["0.5", "0.25", "0.25"]:
        assert client.post(log, {"worked_on": day.isoformat(), "days": days}).status_code == 302

    response = client.post(log, {"worked_on": day.isoformat(), "days": "0.25"})

    assert response.status_code == 200
    assert errors_of(response)["days"][0].startswith(f"You have already logged 1 day on {day:%-d %B %Y}")
    assert TimeEntry.objects.count() == 3


def test_a_review_dated_year_one_with_a_next_review_in_9999_is_refused(client, la_officer, home_deployment):
    client.force_login(la_officer)
    response = client.post(
        url("review-new", home_deployment),
        {
            "reviewed_on_day": "1", "reviewed_on_month": "1", "reviewed_on_year": "0001",
            "next_review_on_day": "31", "next_review_on_month": "12", "next_review_on_year": "9999",
        },
    )
    assert response.status_code == 200
    errors = errors_of(response)
    assert errors["reviewed_on"][0].startswith("The date of the review must be today or in the past")
    assert errors["next_review_on"][0].startswith("The next review must be today or in the future")
    assert not ProgressReview.objects.exists()


def test_unavailability_of_seven_days_a_week_is_refused(client, leader):
    client.force_login(leader)
    response = client.post(
        reverse("deployments:unavailability"),
        {"starts_on": TODAY.isoformat(), "ends_on": TODAY.isoformat(), "days_per_week_available": "7"},
    )
    assert response.status_code == 200
    assert errors_of(response)["days_per_week_available"] == [
        "Days a week you can still give must be between 0 and 5, in half days"
    ]
    assert not Unavailability.objects.exists()


def test_finishing_support_asks_for_confirmation(client, la_officer, home_deployment):
    client.force_login(la_officer)
    page = text(client.get(url("state-change", home_deployment, "finish")))
    assert "Yes, support has finished" in page

    response = client.post(url("state-change", home_deployment, "finish"), {"note": ""})

    assert errors_of(response)["confirm"] == ["Confirm that support has finished"]
    home_deployment.refresh_from_db()
    assert home_deployment.state == DeploymentState.ACTIVE


def test_a_title_like_note_loses_right_to_left_overrides(client, leader, home_deployment):
    client.force_login(leader)
    day = school_day_for(home_deployment)
    client.post(url("time-log", home_deployment), {"worked_on": day.isoformat(), "days": "0.5",
                                                    "note": "Visit \u202eevil\u202c"})
    assert TimeEntry.objects.get().note == "Visit evil"
