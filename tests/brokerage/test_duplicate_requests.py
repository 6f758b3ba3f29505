"""A second waiting request for the same school and type is refused, on the page and in the API,
naming the request that is already there."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from brokerage import services
from brokerage.choices import RequestStatus
from brokerage.errors import DuplicateRequest
from brokerage.models import SupportRequest
from tests.apiclients import client_with_token, error_fields, error_messages
from tests.factories.brokerage import SupportRequestFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("brokerage-api:support-request-list")


def raise_for(actor, school, organisation, types, title="Reading"):
    return services.raise_request(
        actor=actor, school=school, commissioner=organisation, broker=organisation, title=title,
        needs_description="Reading results fell.", designation_types=types, needs=[maths_needed()],
        priority_reasons=["ofsted_concern"],
    )


def maths_needed():
    from designations.models import Specialism

    return Specialism.objects.get_or_create(slug="maths", defaults={"name": "Maths"})[0]


def test_a_second_waiting_request_for_the_same_school_and_type_is_refused(
    commissioner, home_school, home_la_org, lle_type,
):
    first = raise_for(commissioner, home_school, home_la_org, [lle_type])

    with pytest.raises(DuplicateRequest) as refused:
        raise_for(commissioner, home_school, home_la_org, [lle_type], title="Again")

    assert refused.value.existing_id == first.pk
    assert f"request {first.pk}" in refused.value.message
    assert refused.value.field == "designation_types"


@pytest.mark.parametrize("status", [RequestStatus.WITHDRAWN, RequestStatus.CLOSED, RequestStatus.AGREED])
def test_a_request_no_longer_waiting_does_not_block_a_new_one(
    commissioner, home_school, home_la_org, lle_type, status,
):
    SupportRequestFactory(
        school=home_school, commissioner=home_la_org, designation_types=[lle_type], status=status
    )

    assert raise_for(commissioner, home_school, home_la_org, [lle_type]).pk


def test_a_waiting_request_for_another_school_is_no_duplicate(
    commissioner, home_school, home_la_org, lle_type, other_school,
):
    SupportRequestFactory(school=other_school, designation_types=[lle_type])

    assert raise_for(commissioner, home_school, home_la_org, [lle_type]).pk


def test_the_api_answers_a_duplicate_with_409_naming_the_existing_request(
    home_school, home_la_org, lle_type,
):
    existing = SupportRequestFactory(
        school=home_school, commissioner=home_la_org, designation_types=[lle_type]
    )
    maths_needed()

    response = client_with_token(home_la_org).post(LIST_URL, {
        "school": home_school.urn, "broker": home_la_org.pk, "title": "Maths", "needs": ["maths"],
        "needs_description": "Maths fell.", "designation_types": ["LLE"],
    }, format="json")

    assert response.status_code == 409
    assert "designation_types" in error_fields(response)
    assert f"request {existing.pk}" in error_messages(response)[0]


def test_the_form_shows_a_duplicate_on_the_types_field(
    client, commissioner, home_school, home_la_org, lle_type,
):
    existing = SupportRequestFactory(
        school=home_school, commissioner=home_la_org, designation_types=[lle_type]
    )
    client.force_login(commissioner)

    response = client.post(reverse("brokerage:request-new-for-school", args=[home_school.urn]), {
        "commissioner": home_la_org.pk, "title": "Reading", "needs_description": "Reading results fell.",
        "designation_types": [lle_type.pk], "funded_by": "commissioner", "broker": home_la_org.pk,
        "preferred_start_on_day": "", "preferred_start_on_month": "", "preferred_start_on_year": "",
        "budget": "5000", "priority_reasons": ["ofsted_concern"],
    })

    assert response.status_code == 200
    assert f"request {existing.pk}" in " ".join(response.context["form"].errors["designation_types"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_raised_at_the_same_moment_make_one(commissioner, home_school, home_la_org, lle_type):
    assert connection.vendor == "postgresql"
    maths_needed()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def raise_one():
        try:
            barrier.wait(timeout=10)
            raise_for(commissioner, home_school, home_la_org, [lle_type])
            outcomes.append("raised")
        except DuplicateRequest:
            outcomes.append("duplicate")
        finally:
            connection.close()

    threads = [threading.Thread(target=raise_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["duplicate", "raised"]
    assert SupportRequest.objects.filter(school=home_school).count() == 1
