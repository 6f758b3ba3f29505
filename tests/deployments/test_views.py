"""Deployment pages: who may open which (a permission matrix), the list's filters and
query counts, and what the deployment page shows to each party."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deployments.choices import DeploymentState, Party, Rag
from deployments.models import ObjectiveProgress
from designations.models import DesignationType
from tests.factories import SchoolFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import (
    ProgressReviewFactory,
    TimeEntryFactory,
    UnavailabilityFactory,
    agreed_deployment,
)
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERSONAS = ["la_officer", "other_la_officer", "school_leader", "commissioner", "leader", "outsider"]


def url(name: str, deployment, *args) -> str:
    return reverse(f"deployments:{name}", args=[deployment.pk, *args])


def status_for(client, user, address: str) -> int:
    client.force_login(user)
    return client.get(address).status_code


# --- the permission matrix -----------------------------------------------------------------------

# Expected status per persona, for pages on the active home deployment.
ACTIVE_PAGES = {
    "deployment-detail": [200, 404, 200, 200, 200, 404],
    "agreement-detail": [200, 404, 200, 200, 200, 404],
    "time-log": [403, 404, 403, 403, 200, 404],
    "variation-new": [200, 404, 403, 403, 403, 404],
    "review-new": [200, 404, 403, 403, 403, 404],
    "evaluation-new": [200, 404, 403, 403, 403, 404],
    "agreement-new-version": [200, 404, 403, 403, 403, 404],
}


@pytest.mark.parametrize("page", ACTIVE_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_each_page_of_an_active_deployment(client, request, home_deployment, page, persona):
    expected = ACTIVE_PAGES[page][PERSONAS.index(persona)]
    assert status_for(client, request.getfixturevalue(persona), url(page, home_deployment)) == expected


STATE_PAGES = ["pause", "end-early", "finish", "escalate", "resume"]


@pytest.mark.parametrize("action", STATE_PAGES)
@pytest.mark.parametrize(
    "persona, expected",
    list(zip(PERSONAS, [200, 404, 403, 403, 403, 404], strict=True)),
)
def test_only_the_broker_may_open_state_change_pages(
    client, request, home_deployment, action, persona, expected
):
    address = url("state-change", home_deployment, action)
    assert status_for(client, request.getfixturevalue(persona), address) == expected


@pytest.mark.parametrize(
    "persona, expected",
    list(zip(PERSONAS, [200, 404, 403, 403, 403, 404], strict=True)),
)
def test_only_the_broker_may_draft_the_agreement(client, request, proposed_deployment, persona, expected):
    assert (
        status_for(client, request.getfixturevalue(persona), url("agreement-edit", proposed_deployment))
        == expected
    )


def test_an_unknown_state_change_is_not_found(client, la_officer, home_deployment):
    assert status_for(client, la_officer, url("state-change", home_deployment, "explode")) == 404


@pytest.mark.parametrize("page", [*ACTIVE_PAGES, "agreement-edit"])
def test_signed_out_people_are_sent_to_sign_in(client, home_deployment, page):
    response = client.get(url(page, home_deployment))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_signed_out_people_are_sent_to_sign_in_from_the_list(client):
    response = client.get(reverse("deployments:deployment-list"))
    assert response.status_code == 302


def test_a_national_administrator_sees_any_deployment(client, national_admin, other_deployment):
    assert status_for(client, national_admin, url("deployment-detail", other_deployment)) == 200


@pytest.mark.parametrize(
    "persona, may_post",
    [
        ("school_leader", True),
        ("commissioner", True),
        ("leader", True),
        ("la_officer", True),
        ("outsider", False),
    ],
)
def test_only_parties_and_the_broker_may_ask_for_changes(client, request, home_deployment, persona, may_post):
    from deployments import services

    agreement = services.start_new_version(home_deployment, actor=request.getfixturevalue("la_officer"))
    services.send_for_agreement(agreement, actor=request.getfixturevalue("la_officer"))
    address = url("agreement-request-changes", home_deployment, agreement.version)
    assert status_for(client, request.getfixturevalue(persona), address) == (200 if may_post else 404)


def test_a_party_cannot_agree_for_another_party(client, leader, home_deployment):
    from deployments import services

    agreement = home_deployment.agreements.get()
    agreement.signoffs.all().delete()
    agreement.status = "awaiting_agreement"
    agreement.save()
    client.force_login(leader)
    response = client.post(url("agreement-agree", home_deployment, 1), {"party": Party.COMMISSIONER})
    assert response.status_code == 200
    assert "You cannot agree for the commissioner." in response.content.decode()
    assert not agreement.signoffs.exists()
    assert services.current_agreement(home_deployment) is None


@pytest.mark.parametrize("persona, expected", [("outsider", 404), ("other_la_officer", 404)])
def test_people_who_cannot_see_a_deployment_cannot_agree_it(
    client, request, home_deployment, persona, expected
):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(url("agreement-agree", home_deployment, 1), {"party": Party.COMMISSIONER})
    assert response.status_code == expected


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_only_visible_deployments_with_days_used(
    client, la_officer, home_deployment, other_deployment
):
    TimeEntryFactory(deployment=home_deployment, days=Decimal("1.5"))
    TimeEntryFactory(deployment=home_deployment, days=Decimal("1"))
    client.force_login(la_officer)
    response = client.get(reverse("deployments:deployment-list"))
    assert response.status_code == 200
    assert list(response.context["deployments"]) == [home_deployment]
    row = response.context["deployments"][0]
    assert row.days_used == Decimal("2.5")
    content = response.content.decode()
    assert "Home Primary School" in content
    assert "Lee Leader" in content
    assert "2.5 of 26" in content


def test_the_list_filters_by_state_type_and_school(client, la_officer, home_deployment, home_la_org):
    other_school = SchoolFactory(
        name="Riverside Academy", local_authority=home_deployment.supported_school.local_authority
    )
    paused = agreed_deployment(
        support_request=SupportRequestFactory(
            school=other_school, commissioner=home_la_org, broker=home_la_org
        ),
        designation=DesignationFactory(designation_type=DesignationType.objects.get(code="NLE")),
        state=DeploymentState.PAUSED,
    )
    client.force_login(la_officer)
    list_url = reverse("deployments:deployment-list")

    def shown(**query) -> list:
        return list(client.get(list_url, query).context["deployments"])

    assert shown(state="paused") == [paused]
    assert shown(designation_type="LLE") == [home_deployment]
    assert shown(q="riverside") == [paused]
    assert shown(q=str(home_deployment.supported_school.urn)) == [home_deployment]
    response = client.get(list_url, {"q": "nowhere"})
    assert "No deployments match your filters" in response.content.decode()


def test_your_deployments_lists_those_you_lead(client, leader, home_deployment, other_deployment, la_officer):
    client.force_login(leader)
    response = client.get(reverse("deployments:mine"))
    assert list(response.context["deployments"]) == [home_deployment]
    assert response.context["active_nav"] == "my-deployments"
    client.force_login(la_officer)
    assert list(client.get(reverse("deployments:mine")).context["deployments"]) == []
    assert "You are not leading" in client.get(reverse("deployments:mine")).content.decode()


def test_an_empty_list_says_so(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("deployments:deployment-list"))
    assert "There are no deployments to show" in response.content.decode()


def _deployments(count: int, home_la_org, home_school):
    for _ in range(count):
        deployment = agreed_deployment(
            support_request=SupportRequestFactory(
                school=home_school, commissioner=home_la_org, broker=home_la_org
            )
        )
        TimeEntryFactory(deployment=deployment)


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_queries_for_2_and_20_rows(
    client, la_officer, home_la_org, home_school, count, django_assert_max_num_queries
):
    _deployments(count, home_la_org, home_school)
    client.force_login(la_officer)
    with django_assert_max_num_queries(8):  # the navigation's facts come with the user
        response = client.get(reverse("deployments:deployment-list"))
    assert len(response.context["deployments"]) == count


# --- one deployment ------------------------------------------------------------------------------


def test_the_supported_school_sees_objectives_and_progress(client, school_leader, home_deployment):
    from deployments import services

    objectives = services.current_objectives(home_deployment)
    review = ProgressReviewFactory(deployment=home_deployment, summary="Good start.")
    ObjectiveProgress.objects.create(
        review=review, objective=objectives[0], rag=Rag.AMBER, evidence="Two visits"
    )
    client.force_login(school_leader)
    response = client.get(url("deployment-detail", home_deployment))
    content = response.content.decode()
    assert objectives[0].description in content
    assert objectives[0].success_measure in content
    assert "Amber: some concerns" in content
    assert "Not yet reviewed" in content  # the second objective
    assert "Two visits" in content
    assert "You act for the supported school." in content
    # School staff do not see the money, nor the broker's actions.
    assert "Total:" not in content
    assert url("variation-new", home_deployment) not in content
    assert url("time-log", home_deployment) not in content


def test_the_broker_sees_actions_and_money(client, la_officer, home_deployment):
    client.force_login(la_officer)
    content = client.get(url("deployment-detail", home_deployment)).content.decode()
    for page in ["variation-new", "review-new"]:
        assert url(page, home_deployment) in content
    assert url("state-change", home_deployment, "pause") in content
    assert url("state-change", home_deployment, "resume") not in content  # not paused
    assert url("evaluation-new", home_deployment) not in content  # not yet finished
    assert "Total: £" in content


def test_the_leader_sees_a_link_to_log_time(client, leader, home_deployment):
    client.force_login(leader)
    content = client.get(url("deployment-detail", home_deployment)).content.decode()
    assert url("time-log", home_deployment) in content
    assert url("review-new", home_deployment) not in content


def _busy(deployment, count: int) -> None:
    from deployments import services

    objectives = services.current_objectives(deployment)
    for number in range(count):
        TimeEntryFactory(
            deployment=deployment, days=Decimal("0.25"), worked_on=TODAY - datetime.timedelta(days=number)
        )
        review = ProgressReviewFactory(
            deployment=deployment, reviewed_on=TODAY - datetime.timedelta(days=number)
        )
        for objective in objectives:
            ObjectiveProgress.objects.create(
                review=review, objective=objective, rag=Rag.GREEN, evidence="Seen"
            )


@pytest.mark.parametrize("count", [2, 20])
def test_the_deployment_page_costs_the_same_queries_for_2_and_20_entries(
    client, la_officer, home_deployment, count, django_assert_max_num_queries
):
    _busy(home_deployment, count)
    client.force_login(la_officer)
    # 20, plus the contacts panel (members, named staff) and agreements recorded on a party's
    # behalf (the navigation's facts come with the user); the invitations pending at each party and
    # whether the viewer may invite there (is the viewer named staff?); the broker's own schools (may
    # they broker this one?); the supported school's term dates, which count the agreement's days.
    # One more than before costs were shown: the agreed version is read again with who pays whom,
    # then its staff and cost lines, for its cost lines and total.
    with django_assert_max_num_queries(29):
        response = client.get(url("deployment-detail", home_deployment))
    assert len(response.context["time_entries"]) == count
    assert len(response.context["reviews"]) == count


def test_the_deployment_page_query_count_does_not_grow(client, la_officer, home_deployment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(la_officer)
    address = url("deployment-detail", home_deployment)
    _busy(home_deployment, 2)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    _busy(home_deployment, 18)
    with CaptureQueriesContext(connection) as many:
        client.get(address)
    assert len(many) == len(few)


def test_the_list_query_count_does_not_grow(client, la_officer, home_la_org, home_school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(la_officer)
    address = reverse("deployments:deployment-list")
    _deployments(2, home_la_org, home_school)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    _deployments(18, home_la_org, home_school)
    with CaptureQueriesContext(connection) as many:
        client.get(address)
    assert len(many) == len(few)


# --- unavailability ------------------------------------------------------------------------------


def test_a_leader_adds_and_removes_unavailability(client, leader):
    client.force_login(leader)
    address = reverse("deployments:unavailability")
    assert client.get(address).status_code == 200
    response = client.post(
        address,
        {
            "starts_on": (TODAY + datetime.timedelta(days=36)).isoformat(),
            "ends_on": (TODAY + datetime.timedelta(days=62)).isoformat(),
            "days_per_week_available": "0.5",
            "reason": "Leave",
        },
    )
    assert response.status_code == 302
    period = leader.unavailability.get()
    assert period.days_per_week_available == Decimal("0.5")
    page = client.get(address).content.decode()
    assert "Leave" in page
    delete = reverse("deployments:unavailability-delete", args=[period.pk])
    assert "Remove this period" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not leader.unavailability.exists()


def test_unavailability_must_end_after_it_starts(client, leader):
    client.force_login(leader)
    response = client.post(
        reverse("deployments:unavailability"),
        {
            "starts_on": (TODAY + datetime.timedelta(days=67)).isoformat(),
            "ends_on": (TODAY + datetime.timedelta(days=62)).isoformat(),
            "days_per_week_available": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"ends_on": ["The last day must be on or after the first day"]}
    assert not leader.unavailability.exists()


def test_no_one_removes_another_leaders_unavailability(client, leader):
    someone_else = UnavailabilityFactory(leader=DesignationFactory().holder)
    client.force_login(leader)
    delete = reverse("deployments:unavailability-delete", args=[someone_else.pk])
    assert client.get(delete).status_code == 404
    assert client.post(delete).status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "la_officer", "school_leader"])
def test_only_designated_leaders_record_unavailability(client, request, persona):
    assert status_for(client, request.getfixturevalue(persona), reverse("deployments:unavailability")) == 403
