"""The claims on people's home pages: claims to decide and approved claims to pay for the
commissioner's people (never their own), claims to answer for the claiming school."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.worklist import claims_to_answer, claims_to_decide_and_pay
from tests.factories.funding import make_claim

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def claim(setting):
    setting.log_days(2)
    return make_claim(setting)


def kinds(provider, user) -> list[str]:
    return [task.kind for task in provider(user, TODAY())]


def test_a_submitted_claim_waits_for_each_of_the_commissioners_people(setting, claim):
    for user in (setting.commissioner, setting.second_commissioner):
        [task] = claims_to_decide_and_pay(user, TODAY())
        assert (task.kind, task.url) == ("decide-claim", reverse("claims:claim-detail", args=[claim.pk]))
    for user in (setting.head, setting.business_manager, setting.supported_head, setting.administrator):
        assert kinds(claims_to_decide_and_pay, user) == []


def test_a_first_approver_no_longer_sees_the_claim_to_decide(setting, claim, settings):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "500"
    services.approve(claim, actor=setting.commissioner)
    assert kinds(claims_to_decide_and_pay, setting.commissioner) == []
    [task] = claims_to_decide_and_pay(setting.second_commissioner, TODAY())
    assert "second approval" in task.what


def test_nobody_is_asked_to_decide_their_own_claim(setting):
    setting.business_manager.memberships.create(
        organisation=setting.deployment.commissioner, role="commissioner"
    )
    setting.log_days(1)
    make_claim(setting, by=setting.business_manager)
    assert kinds(claims_to_decide_and_pay, setting.business_manager) == []


def test_an_approved_claim_waits_to_be_paid_then_goes(setting, claim):
    services.approve(claim, actor=setting.commissioner)
    assert kinds(claims_to_decide_and_pay, setting.commissioner) == ["pay-claim"]
    services.pay(claim, actor=setting.commissioner, paid_on=TODAY(), reference="R1")
    assert kinds(claims_to_decide_and_pay, setting.commissioner) == []


def test_a_request_for_information_waits_for_the_claiming_schools_head_and_business_manager(setting, claim):
    services.request_information(claim, actor=setting.commissioner, note="Which weeks?")
    for user in (setting.head, setting.business_manager):
        assert kinds(claims_to_answer, user) == ["answer-claim"]
    for user in (setting.supported_head, setting.commissioner):
        assert kinds(claims_to_answer, user) == []
    assert kinds(claims_to_decide_and_pay, setting.commissioner) == []


def test_the_tasks_show_on_the_home_page(client, setting, claim):
    client.force_login(setting.commissioner)
    page = client.get(reverse("home")).content.decode()
    assert "Claims to decide" in page
    assert claim.reference in page


def test_a_school_business_manager_signs_in_to_claims_and_nothing_else_of_support(client, setting, claim):
    from navigation.menu import navigation_for

    services.request_information(claim, actor=setting.commissioner, note="Which weeks?")
    client.force_login(setting.business_manager)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Claims to answer" in response.content.decode()
    support = navigation_for(setting.business_manager).section("support")
    assert [page.text for page in support.pages] == ["Claims"]
    assert client.get(reverse("claims:claim-list")).status_code == 200
