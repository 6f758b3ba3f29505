"""Nobody brokers a deployment of themselves or for their own school, once it exists as much as
when it is proposed: changing its agreement or state, varying it and reviewing it all refuse."""

from decimal import Decimal

import pytest
from django.urls import reverse

from deployments.choices import DeploymentState, StateReason
from deployments.errors import DeploymentError
from deployments.services import record_variation, transition
from designations.choices import LeadershipRole
from tests.factories.designations import LeadershipPostFactory

BROKER_PERMISSIONS = ("deployments.manage_deployment", "deployments.record_variation", "deployments.review")


def works_at_the_supported_school(person, deployment) -> None:
    LeadershipPostFactory(
        person=person, school=deployment.supported_school, role=LeadershipRole.DEPUTY_HEADTEACHER
    )
    person._own_school_ids = None


@pytest.mark.parametrize("permission", BROKER_PERMISSIONS)
def test_the_broker_may_act_on_a_deployment_for_another_school(la_officer, home_deployment, permission):
    assert la_officer.has_perm(permission, home_deployment)


@pytest.mark.parametrize("permission", BROKER_PERMISSIONS)
def test_a_broker_may_not_act_on_a_deployment_for_their_own_school(la_officer, home_deployment, permission):
    works_at_the_supported_school(la_officer, home_deployment)

    assert not la_officer.has_perm(permission, home_deployment)


@pytest.mark.parametrize("permission", BROKER_PERMISSIONS)
def test_a_broker_may_not_act_on_a_deployment_of_themselves(la_officer, home_deployment, permission):
    home_deployment.leader = la_officer

    assert not la_officer.has_perm(permission, home_deployment)


def test_varying_support_for_ones_own_school_is_refused_with_the_reason(la_officer, home_deployment):
    works_at_the_supported_school(la_officer, home_deployment)

    with pytest.raises(DeploymentError, match="your own school"):
        record_variation(home_deployment, actor=la_officer, extra_days=Decimal("2"), reason="More time")
    assert not home_deployment.variations.exists()


def test_pausing_support_for_ones_own_school_is_refused_with_the_reason(la_officer, home_deployment):
    works_at_the_supported_school(la_officer, home_deployment)

    with pytest.raises(DeploymentError, match="your own school"):
        transition(
            home_deployment, DeploymentState.PAUSED, actor=la_officer, reason=StateReason.LEADER_UNAVAILABLE
        )
    home_deployment.refresh_from_db()
    assert home_deployment.state == DeploymentState.ACTIVE


def test_the_deployment_page_offers_no_broker_actions_for_ones_own_school(
    client, la_officer, home_deployment
):
    works_at_the_supported_school(la_officer, home_deployment)
    client.force_login(la_officer)

    body = client.get(reverse("deployments:deployment-detail", args=[home_deployment.pk])).content.decode()

    assert reverse("deployments:variation-new", args=[home_deployment.pk]) not in body
    assert reverse("deployments:review-new", args=[home_deployment.pk]) not in body
