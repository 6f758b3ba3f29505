import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind
from designations.choices import ApplicationState, DesignatingBody
from designations.models import Application, Designation
from tests.apiclients import error_fields
from tests.factories import ApiTokenFactory, OrganisationFactory
from tests.factories.designations import (
    ApplicationFactory,
    ApplicationRoundFactory,
    ApplicationTransitionFactory,
    CriterionResultFactory,
    DesignationTypeFactory,
    EvidenceFileFactory,
    RefereeRequestFactory,
    SpecialismFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("designations-api:application-list")
State = ApplicationState


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def action_url(application: Application, name: str) -> str:
    return reverse(f"designations-api:application-{name}", args=[application.pk])


def listed_ids(client: APIClient) -> set[int]:
    response = client.get(LIST_URL)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def pool_round(teaching_school_org):
    """A round recruiting to the home teaching school's pool."""
    pool_type = DesignationTypeFactory(designating_body=DesignatingBody.TEACHING_SCHOOL)
    return ApplicationRoundFactory(designation_type=pool_type, teaching_school=teaching_school_org)


@pytest.fixture
def national_application(school_leader):
    return ApplicationFactory(applicant=school_leader, state=State.SUBMITTED)


@pytest.fixture
def pool_application(pool_round):
    return ApplicationFactory(round=pool_round, state=State.SUBMITTED)


# --- Who sees what -------------------------------------------------------------------------------


def test_an_applicant_sees_only_their_own_applications(school_leader, national_application, pool_application):
    assert listed_ids(signed_in(school_leader)) == {national_application.pk}


def test_a_national_administrator_sees_every_application(
    national_admin, national_application, pool_application
):
    assert listed_ids(signed_in(national_admin)) == {national_application.pk, pool_application.pk}


def test_a_teaching_school_lead_sees_only_their_teaching_schools_rounds(
    teaching_school_lead, national_application, pool_application, other_school
):
    another_teaching_school = OrganisationFactory(kind=OrganisationKind.TEACHING_SCHOOL, school=other_school)
    another_pool = ApplicationRoundFactory(
        designation_type=pool_application.designation_type, teaching_school=another_teaching_school
    )
    ApplicationFactory(round=another_pool, state=State.SUBMITTED)

    assert listed_ids(signed_in(teaching_school_lead)) == {pool_application.pk}


@pytest.mark.parametrize("persona", ["outsider", "la_officer", "commissioner", "associate"])
def test_other_people_see_no_applications(request, persona, national_application, pool_application):
    assert listed_ids(signed_in(request.getfixturevalue(persona))) == set()


def test_an_organisation_token_sees_no_applications(national_body, national_application):
    _, key = ApiTokenFactory.create(national_body)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert listed_ids(client) == set()
    assert client.get(action_url(national_application, "detail")).status_code == 404


def test_anonymous_callers_are_refused():
    assert APIClient().get(LIST_URL).status_code == 401


def test_an_application_another_person_cannot_see_is_not_found(outsider, national_application):
    client = signed_in(outsider)

    assert client.get(action_url(national_application, "detail")).status_code == 404
    assert client.post(action_url(national_application, "withdraw")).status_code == 404


# --- What is shown -------------------------------------------------------------------------------


def test_the_detail_shows_results_and_transitions_but_no_referee_contact_or_files(
    school_leader, national_application
):
    national_application.referee_email = "robin.referee@norfolk.example.org"
    national_application.save()
    national_application.specialisms.add(SpecialismFactory(slug="outdoor-learning", name="Outdoor learning"))
    CriterionResultFactory(application=national_application, label="Five years of headship", outcome="met")
    ApplicationTransitionFactory(application=national_application, actor=school_leader)
    RefereeRequestFactory(application=national_application, email="robin.referee@norfolk.example.org")
    evidence = EvidenceFileFactory(application=national_application)

    response = signed_in(school_leader).get(action_url(national_application, "detail"))

    body = response.json()
    assert body["round"] == {"id": national_application.round_id, "name": national_application.round.name}
    assert body["designation_type"] == national_application.designation_type.code
    school = national_application.school
    assert body["school"] == {"urn": school.urn, "name": school.name}
    assert body["state"] == State.SUBMITTED
    assert body["specialisms"] == [{"slug": "outdoor-learning", "name": "Outdoor learning"}]
    assert body["criterion_results"][0]["label"] == "Five years of headship"
    assert body["criterion_results"][0]["final_outcome"] == "met"
    assert body["transitions"][0]["actor_name"] == school_leader.full_name
    assert "robin.referee" not in response.content.decode()
    assert evidence.file.name not in response.content.decode()
    assert "evidence_files" not in body


def test_the_list_takes_the_same_number_of_queries_for_3_or_30_applications(national_admin):
    def queries_for(count: int) -> int:
        Application.objects.all().delete()
        for _ in range(count):
            application = ApplicationFactory(state=State.SUBMITTED)
            application.specialisms.add(SpecialismFactory())
            CriterionResultFactory(application=application)
            ApplicationTransitionFactory(application=application)
        client = signed_in(national_admin)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL).status_code == 200
        return len(captured)

    assert queries_for(3) == queries_for(30)


# --- Changing state ------------------------------------------------------------------------------


def test_the_applicant_submits_their_draft(headteacher, lle_application, complete_draft):
    complete_draft(lle_application)

    response = signed_in(headteacher).post(action_url(lle_application, "submit"))

    assert response.status_code == 200
    assert response.json()["state"] == State.AWAITING_REFEREE
    lle_application.refresh_from_db()
    assert lle_application.submitted_at is not None
    assert lle_application.transitions.filter(to_state=State.SUBMITTED, actor=headteacher).exists()


def test_submitting_an_incomplete_draft_is_a_bad_request_saying_what_is_missing(
    headteacher, lle_application
):
    response = signed_in(headteacher).post(action_url(lle_application, "submit"))

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Before you submit:")
    lle_application.refresh_from_db()
    assert lle_application.state == State.DRAFT


def test_the_applicant_withdraws_with_a_reason(school_leader, national_application):
    response = signed_in(school_leader).post(
        action_url(national_application, "withdraw"), {"reason": "I have moved school."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == State.WITHDRAWN
    transition = national_application.transitions.get(to_state=State.WITHDRAWN)
    assert (transition.actor, transition.reason) == (school_leader, "I have moved school.")


def test_an_assessor_takes_an_application_from_assessment_to_designation(
    national_admin, national_application
):
    client = signed_in(national_admin)

    for name, state in [
        ("start-assessment", State.UNDER_ASSESSMENT),
        ("approve", State.APPROVED_PENDING_TRAINING),
        ("designate", State.DESIGNATED),
    ]:
        response = client.post(action_url(national_application, name))
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == state
        assert national_application.transitions.get(to_state=state).actor == national_admin

    assert Designation.objects.filter(application=national_application).exists()


def test_a_teaching_school_lead_rejects_an_application_to_their_pool(teaching_school_lead, pool_application):
    pool_application.state = State.UNDER_ASSESSMENT
    pool_application.save()

    response = signed_in(teaching_school_lead).post(
        action_url(pool_application, "reject"), {"reason": "Not enough coaching experience."}, format="json"
    )

    assert response.status_code == 200
    pool_application.refresh_from_db()
    assert pool_application.state == State.REJECTED
    assert pool_application.decision_reason == "Not enough coaching experience."
    assert pool_application.transitions.get(to_state=State.REJECTED).actor == teaching_school_lead


def test_approving_a_draft_is_a_conflict_with_the_reason(national_admin, national_application):
    national_application.state = State.DRAFT
    national_application.save()

    response = signed_in(national_admin).post(action_url(national_application, "approve"))

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "An application that is draft cannot be moved to “approved, training to complete”."
    )
    assert response.json()["state"] == State.DRAFT
    national_application.refresh_from_db()
    assert national_application.state == State.DRAFT


def test_rejecting_without_a_reason_is_a_bad_request(national_admin, national_application):
    national_application.state = State.UNDER_ASSESSMENT
    national_application.save()

    response = signed_in(national_admin).post(action_url(national_application, "reject"), {}, format="json")

    assert response.status_code == 400
    assert "reason" in error_fields(response)
    national_application.refresh_from_db()
    assert national_application.state == State.UNDER_ASSESSMENT


def test_a_rule_refusal_is_a_bad_request_with_its_message(national_admin, national_application):
    national_application.state = State.UNDER_ASSESSMENT
    national_application.save()
    CriterionResultFactory(application=national_application, label="A declaration")

    response = signed_in(national_admin).post(action_url(national_application, "approve"))

    assert response.status_code == 400
    assert "Not yet met" in response.json()["detail"]


def test_an_applicant_cannot_assess_their_own_application(school_leader, national_application):
    response = signed_in(school_leader).post(action_url(national_application, "start-assessment"))

    assert response.status_code == 403
    national_application.refresh_from_db()
    assert national_application.state == State.SUBMITTED


def test_an_assessor_cannot_submit_someone_elses_draft(national_admin, national_application):
    national_application.state = State.DRAFT
    national_application.save()

    response = signed_in(national_admin).post(action_url(national_application, "submit"))

    assert response.status_code == 403


def test_the_applicant_cannot_withdraw_a_decided_application(school_leader, national_application):
    national_application.state = State.APPROVED_PENDING_TRAINING
    national_application.save()

    response = signed_in(school_leader).post(action_url(national_application, "withdraw"))

    assert response.status_code == 403


def test_a_teaching_school_lead_cannot_assess_a_national_application(
    teaching_school_lead, national_application, pool_application
):
    client = signed_in(teaching_school_lead)

    assert client.post(action_url(national_application, "start-assessment")).status_code == 404
    assert client.post(action_url(pool_application, "start-assessment")).status_code == 200



def test_rejecting_a_draft_is_a_conflict_even_without_a_reason(national_admin, national_application):
    national_application.state = State.DRAFT
    national_application.save()

    response = signed_in(national_admin).post(action_url(national_application, "reject"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["state"] == State.DRAFT


def test_a_finished_application_cannot_be_withdrawn(school_leader, national_application):
    national_application.state = State.REJECTED
    national_application.save()

    response = signed_in(school_leader).post(action_url(national_application, "withdraw"))

    assert response.status_code == 409
    assert response.json()["detail"] == "An application that is rejected cannot be moved to “withdrawn”."
