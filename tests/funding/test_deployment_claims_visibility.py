"""A deployment's claims page is open to everyone who may see its claims
(``funding.view_deployment_claims``), including the business managers of either school, who see
its claims but not always the deployment itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.choices import OrganisationKind, Role
from accounts.models import Organisation
from tests.factories import MembershipFactory
from tests.factories.funding import make_claim

pytestmark = pytest.mark.django_db


def business_manager_of(school):
    organisation = Organisation.objects.get(kind=OrganisationKind.SCHOOL, school=school)
    return MembershipFactory(organisation=organisation, role=Role.SCHOOL_BUSINESS_MANAGER).user


@pytest.mark.parametrize("school", ["supported_school", "leader_school"])
def test_a_business_manager_of_either_school_sees_the_deployments_claims(client, setting, school):
    setting.log_days(1)
    claim = make_claim(setting)
    manager = business_manager_of(getattr(setting.deployment, school))
    client.force_login(manager)
    assert manager.has_perm("funding.view_deployment_claims", setting.deployment)
    assert client.get(reverse("claims:claim-detail", args=[claim.pk])).status_code == 200
    response = client.get(reverse("claims:deployment", args=[setting.deployment.pk]))
    assert response.status_code == 200
    assert claim.reference in response.content.decode()


def test_the_supported_schools_business_manager_may_not_claim(client, setting):
    client.force_login(business_manager_of(setting.deployment.supported_school))
    page = client.get(reverse("claims:deployment", args=[setting.deployment.pk])).content.decode()
    assert "Make a claim" not in page
    assert client.get(reverse("claims:claim-new", args=[setting.deployment.pk])).status_code == 403
