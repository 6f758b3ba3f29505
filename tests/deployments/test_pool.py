"""The pool page's deployment figures: each leader's live and completed deployments, and the share
of SLEs deployed within three months of designation against the national target of half."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deployments import pool
from deployments.choices import DeploymentState
from designations.models import DesignationType
from designations.queries import pool_for
from designations.services.lifecycle import add_months
from tests.factories.deployments import DeploymentFactory
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db

POOL = reverse("pool:index")


def today() -> datetime.date:
    return timezone.localdate()


def months_ago(months: int, days: int = 0) -> datetime.date:
    return add_months(today(), -months) - datetime.timedelta(days=days)


def sle(teaching_school_org, designated_on, **kwargs):
    return DesignationFactory(
        designation_type=DesignationType.objects.get(code="SLE"),
        designating_organisation=teaching_school_org,
        designated_on=designated_on,
        **kwargs,
    )


def deploy(designation, starts_on, state=DeploymentState.ACTIVE, **kwargs):
    return DeploymentFactory(designation=designation, starts_on=starts_on, state=state, **kwargs)


def summarise(teaching_school_org):
    members = list(pool_for(teaching_school_org))
    return members, pool.summarise(members, today())


# --- the computation ------------------------------------------------------------------------------


def test_share_counts_sles_designated_three_months_ago_or_more(teaching_school_org):
    designated = months_ago(6)
    quick = sle(teaching_school_org, designated)
    deploy(quick, designated + datetime.timedelta(days=30))
    slow = sle(teaching_school_org, designated)
    deploy(slow, add_months(designated, 3) + datetime.timedelta(days=1))  # a day late
    on_the_day = sle(teaching_school_org, designated)
    deploy(on_the_day, add_months(designated, 3), state=DeploymentState.COMPLETED)
    never = sle(teaching_school_org, designated)
    only_proposed = sle(teaching_school_org, designated)
    deploy(only_proposed, designated + datetime.timedelta(days=10), state=DeploymentState.PROPOSED)
    ended_early = sle(teaching_school_org, designated)
    deploy(ended_early, designated + datetime.timedelta(days=10), state=DeploymentState.ENDED_EARLY)
    recent = sle(teaching_school_org, months_ago(2, days=25))  # under 3 months: excluded
    exactly_three = sle(teaching_school_org, months_ago(3))  # exactly 3 months: included, not deployed

    members, share = summarise(teaching_school_org)

    stats = {d.pk: d.deployment_stats for d in members}
    assert stats[quick.pk].deployed_in_window is True
    assert stats[slow.pk].deployed_in_window is False
    assert stats[on_the_day.pk].deployed_in_window is True
    assert stats[only_proposed.pk].deployed_in_window is False
    assert stats[ended_early.pk].deployed_in_window is False
    assert stats[recent.pk].counts_towards_target is False
    assert stats[exactly_three.pk].counts_towards_target is True
    assert (share.eligible, share.deployed_in_window) == (7, 2)
    assert share.percent == 29
    assert share.meets_target is False
    assert {d.pk for d in share.never_deployed} == {
        never.pk,
        only_proposed.pk,
        ended_early.pk,
        exactly_three.pk,
    }
    assert stats[slow.pk].never_deployed_flag is False  # deployed, just late


def test_half_meets_the_target(teaching_school_org):
    designated = months_ago(4)
    deploy(sle(teaching_school_org, designated), designated + datetime.timedelta(days=5))
    sle(teaching_school_org, designated)
    _, share = summarise(teaching_school_org)
    assert (share.percent, share.meets_target) == (50, True)


def test_no_eligible_sles_means_no_share(teaching_school_org):
    recent = sle(teaching_school_org, months_ago(1))
    deploy(recent, today())
    DesignationFactory(  # an LLE is not counted towards the SLE target
        designation_type=DesignationType.objects.get(code="LLE"),
        designating_organisation=teaching_school_org,
        designated_on=months_ago(12),
    )
    members, share = summarise(teaching_school_org)
    assert (share.eligible, share.share, share.percent, share.meets_target) == (0, None, None, None)
    assert share.never_deployed == []
    assert all(not d.deployment_stats.counts_towards_target for d in members)


def test_live_and_completed_counts_and_last_deployment(teaching_school_org):
    leader = sle(teaching_school_org, months_ago(12))
    deploy(leader, months_ago(11), state=DeploymentState.COMPLETED)
    deploy(leader, months_ago(5), state=DeploymentState.COMPLETED)
    deploy(leader, months_ago(1), state=DeploymentState.ACTIVE)
    deploy(leader, months_ago(0), state=DeploymentState.PAUSED)
    deploy(  # no start date: the day it was proposed counts
        leader, None, state=DeploymentState.PROPOSED, ends_on=None, next_review_on=None
    )
    deploy(leader, months_ago(2), state=DeploymentState.ENDED_EARLY)
    (member,), _ = summarise(teaching_school_org)
    stats = member.deployment_stats
    assert (stats.live, stats.completed) == (3, 2)
    assert stats.last_on == today()
    assert stats.deployed_in_window is True


# --- the page ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teaching_school_lead", 200),
        ("national_admin", 403),
        ("la_officer", 403),
        ("school_leader", 403),
        ("commissioner", 403),
        ("outsider", 403),
    ],
)
def test_pool_page_permissions(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(POOL).status_code == status


def test_pool_page_shows_share_and_flags(client, teaching_school_lead, teaching_school_org):
    designated = months_ago(5)
    deployed = sle(teaching_school_org, designated)
    deploy(deployed, designated + datetime.timedelta(days=20))
    deploy(deployed, designated + datetime.timedelta(days=90), state=DeploymentState.COMPLETED)
    sle(teaching_school_org, designated, holder__full_name="Idle Sle")
    sle(teaching_school_org, designated, holder__full_name="Third Sle")
    client.force_login(teaching_school_lead)
    content = client.get(POOL).content.decode()
    assert "33%" in content
    assert "1 of 3 SLEs designated 3 months ago or more" in content
    assert "Below target" in content
    assert "at least 50%" in content
    assert "Never deployed, 3 months or more after designation: Idle Sle; Third Sle." in content
    assert "1 live, 1 completed" in content
    assert "Deployed within 3 months" in content


def test_pool_page_with_nothing_to_measure(client, teaching_school_lead, teaching_school_org):
    sle(teaching_school_org, months_ago(1))
    client.force_login(teaching_school_lead)
    content = client.get(POOL).content.decode()
    assert "nothing to measure yet" in content
    assert "Designated under 3 months ago" in content


# Session, user, memberships, the pool and its prefetches (specialisms, training records, training
# requirements), and the pool's deployments.
POOL_QUERIES = 8  # the navigation's facts come with the user


def test_pool_page_query_count_is_constant(
    client, teaching_school_lead, teaching_school_org, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            leader = sle(teaching_school_org, months_ago(6))
            deploy(leader, months_ago(5))

    client.force_login(teaching_school_lead)
    add(2)
    with django_assert_num_queries(POOL_QUERIES):
        client.get(POOL)
    add(18)
    with django_assert_num_queries(POOL_QUERIES):
        response = client.get(POOL)
    assert len(response.context["pools"][0]["designations"]) == 20
