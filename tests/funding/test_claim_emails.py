"""Who is told what about a claim: the commissioner's people of a claim to decide (never its
submitter, nor the first approver of one awaiting a second approval), and the claiming school's
head and business manager of each decision (never the supported school, the leader or others)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.choices import Role
from funding import services
from tests.factories.accounts import MembershipFactory
from tests.factories.funding import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(setting, django_capture_on_commit_callbacks):
    setting.log_days(2)
    with django_capture_on_commit_callbacks(execute=True):
        return make_claim(setting, by=setting.head)


def recipients(mailoutbox) -> set[str]:
    return {address for message in mailoutbox for address in message.to}


def school_people(setting) -> set[str]:
    return {setting.head.email, setting.business_manager.email}


def commissioner_people(setting) -> set[str]:
    return {setting.commissioner.email, setting.second_commissioner.email}


def test_a_submitted_claim_goes_to_the_commissioners_people(setting, claim, mailoutbox):
    [message] = mailoutbox
    assert set(message.to) == commissioner_people(setting)
    assert claim.reference in message.subject
    assert f"/claims/{claim.pk}/" in message.body
    assert message.alternatives


def test_the_submitter_is_not_told_of_their_own_claim(
    setting, mailoutbox, django_capture_on_commit_callbacks
):
    MembershipFactory(user=setting.head, organisation=setting.deployment.commissioner, role=Role.COMMISSIONER)
    setting.log_days(1)
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(setting, by=setting.head)
    assert recipients(mailoutbox) == commissioner_people(setting)


def test_a_second_approval_is_asked_of_the_others_not_the_first_approver(
    setting, claim, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "500"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(claim, actor=setting.commissioner)
    [message] = mailoutbox
    assert message.to == [setting.second_commissioner.email]
    assert "second approval" in message.subject


@pytest.mark.parametrize("decision", ["information", "reject", "approve", "pay"])
def test_decisions_go_to_the_claiming_schools_head_and_business_manager(
    setting, claim, decision, mailoutbox, django_capture_on_commit_callbacks
):
    if decision == "pay":
        services.approve(claim, actor=setting.commissioner)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "information":
            services.request_information(claim, actor=setting.commissioner, note="Which weeks, please?")
        elif decision == "reject":
            services.reject(claim, actor=setting.commissioner, reason="Outside the agreement")
        elif decision == "approve":
            services.approve(claim, actor=setting.commissioner)
        else:
            services.pay(claim, actor=setting.commissioner, paid_on=timezone.localdate(), reference="BACS-9")
    [message] = mailoutbox
    assert set(message.to) == school_people(setting)
    assert recipients(mailoutbox).isdisjoint(
        {setting.supported_head.email, setting.deployment.leader.email, *commissioner_people(setting)}
    )
    expected = {"information": "Which weeks, please?", "reject": "Outside the agreement", "pay": "BACS-9"}
    if decision in expected:
        assert expected[decision] in message.body


def test_a_resubmitted_claim_goes_back_to_the_commissioner(
    setting, claim, mailoutbox, django_capture_on_commit_callbacks
):
    services.request_information(claim, actor=setting.commissioner, note="Which weeks?")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.give_information(claim, actor=setting.business_manager, note="November")
    assert recipients(mailoutbox) == commissioner_people(setting)


def test_a_school_leader_who_is_neither_head_nor_business_manager_is_not_told(
    setting, claim, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = setting.head.memberships.get().organisation
    leader = MembershipFactory(organisation=organisation, role=Role.SCHOOL_LEADER).user
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(claim, actor=setting.commissioner)
    assert leader.email not in recipients(mailoutbox)
