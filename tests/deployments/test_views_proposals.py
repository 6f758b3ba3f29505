"""Proposing a leader for a support request (deployments.views_proposals): the confirmation page
on the request's URL, what it refuses, and a proposal posted twice made once."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from deployments.models import Deployment
from designations.models import DesignationType
from tests.factories import SchoolFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.designations import DesignationFactory


@pytest.fixture
def lle_type(db) -> DesignationType:
    return DesignationType.objects.get(code="LLE")


@pytest.fixture
def support_request(home_school, home_la_org, lle_type):
    """An LLE request for home_school that Norfolk commissions and la_officer brokers."""
    return SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle_type]
    )


@pytest.fixture
def candidate(lle_type, home_school):
    """An LLE 4 km from home_school with two days a week to give."""
    return DesignationFactory(
        designation_type=lle_type,
        availability_days_per_week=Decimal("2"),
        school=SchoolFactory(
            name="Candidate Primary", easting=home_school.easting + 4000, northing=home_school.northing
        ),
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def token_of(response) -> str:
    found = re.search(r'name="submission_token" value="([^"]+)"', response.content.decode())
    assert found, "the form carries no one-time token"
    return found.group(1)


def test_the_confirmation_page_names_the_leader_and_the_school(
    client, la_officer, support_request, candidate
):
    response = signed_in(client, la_officer).get(
        reverse("proposals:propose", args=[support_request.pk, candidate.pk])
    )
    assert response.status_code == 200
    assert response.wsgi_request.path == f"/support/requests/{support_request.pk}/propose/{candidate.pk}/"
    body = response.content.decode()
    assert f"Are you sure you want to propose {candidate.holder}?" in body
    assert support_request.school.name in body


def test_an_excluded_leader_cannot_be_proposed_and_the_reason_is_shown(
    client, la_officer, support_request, lle_type, home_school
):
    conflicted = DesignationFactory(
        designation_type=lle_type, school=home_school, availability_days_per_week=1
    )
    response = signed_in(client, la_officer).post(
        reverse("proposals:propose", args=[support_request.pk, conflicted.pk]), follow=True
    )
    assert "Conflict of interest" in response.content.decode()
    assert not Deployment.objects.exists()


def test_proposing_twice_from_one_form_is_answered_with_the_first_proposal(
    client, la_officer, support_request, candidate
):
    signed_in(client, la_officer)
    propose = reverse("proposals:propose", args=[support_request.pk, candidate.pk])
    data = {"submission_token": token_of(client.get(propose))}
    first = client.post(propose, data)
    again = client.post(propose, data, follow=True)
    assert again.redirect_chain[0][0] == first["Location"]
    body = again.content.decode()
    assert "already been proposed" not in body
    assert "It was only acted on once" in body
    assert Deployment.objects.filter(support_request=support_request).count() == 1
