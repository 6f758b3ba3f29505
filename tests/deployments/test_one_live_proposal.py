"""One live proposal per leader per request, proposing and withdrawing under the request's lock, and
a request's status following its deployments (parallel cases on PostgreSQL)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from brokerage import services as brokerage_services
from brokerage.choices import RequestStatus, ShortlistStatus
from brokerage.errors import InvalidTransition
from brokerage.models import RequestTransition, ShortlistEntry
from deployments import services
from deployments.choices import DeploymentState, StateReason
from deployments.errors import InvalidTransition as ProposalRefused
from deployments.models import Deployment
from designations.models import DesignationType
from tests.concurrency import run_at_once
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import DeploymentFactory
from tests.factories.designations import DesignationFactory

TODAY = timezone.localdate()


@pytest.fixture
def lle(db):
    return DesignationType.objects.get(code="LLE")


@pytest.fixture
def request_for_lle(home_school, home_la_org, lle):
    return SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle]
    )


def an_lle(lle):
    return DesignationFactory(designation_type=lle, availability_days_per_week=Decimal("2.0"))


def propose(request, designation, broker):
    return services.propose(request, designation, actor=broker, today=TODAY)


# --- one live proposal per leader per request ----------------------------------------------------


def test_proposing_the_same_leader_twice_in_a_row_is_refused(request_for_lle, lle, la_officer):
    designation = an_lle(lle)
    propose(request_for_lle, designation, la_officer)
    with pytest.raises(ProposalRefused, match="already been proposed"):
        propose(request_for_lle, designation, la_officer)
    assert Deployment.objects.filter(support_request=request_for_lle).count() == 1


def test_the_database_refuses_a_second_live_deployment_of_a_leader_on_a_request(request_for_lle, lle):
    designation = an_lle(lle)
    on_request = {"support_request": request_for_lle, "designation": designation}
    DeploymentFactory(**on_request, state=DeploymentState.PROPOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeploymentFactory(**on_request, state=DeploymentState.AGREED)


def test_finished_deployments_do_not_count_as_live(request_for_lle, lle):
    designation = an_lle(lle)
    for state in (DeploymentState.ENDED_EARLY, DeploymentState.COMPLETED, DeploymentState.PROPOSED):
        DeploymentFactory(support_request=request_for_lle, designation=designation, state=state)
    assert Deployment.objects.filter(support_request=request_for_lle).count() == 3


def test_a_leader_whose_proposal_ended_early_may_be_proposed_again(request_for_lle, lle, la_officer):
    designation = an_lle(lle)
    first = propose(request_for_lle, designation, la_officer)
    services.end_early(first, actor=la_officer, reason=StateReason.LEADER_UNAVAILABLE)
    again = propose(request_for_lle, designation, la_officer)
    assert again.pk != first.pk
    assert again.state == DeploymentState.PROPOSED


def test_the_databases_refusal_reads_as_a_refused_proposal(request_for_lle, lle, la_officer, monkeypatch):
    """Should a duplicate get past the service's own check, the constraint's error is translated."""
    designation = an_lle(lle)
    propose(request_for_lle, designation, la_officer)
    monkeypatch.setattr("deployments.services.agreements.LIVE_STATES", set())  # the check finds nothing
    with pytest.raises(ProposalRefused, match="already been proposed"):
        propose(request_for_lle, designation, la_officer)
    assert Deployment.objects.filter(support_request=request_for_lle).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_parallel_proposals_of_one_leader_make_one_deployment(request_for_lle, lle, la_officer):
    assert connection.vendor == "postgresql"
    designation = an_lle(lle)
    outcomes = run_at_once(*[lambda: propose(request_for_lle, designation, la_officer)] * 5)
    assert sorted(outcomes) == ["InvalidTransition"] * 4 + ["done"]
    assert Deployment.objects.filter(support_request=request_for_lle, leader=designation.holder).count() == 1


# --- proposing and withdrawing lock the request --------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_proposal_lands_on_a_request_being_withdrawn(request_for_lle, lle, la_officer, commissioner):
    """One leader is proposed; the commissioner withdraws the request as the broker proposes a
    second. Either the proposal came first, or it is refused: never one after the withdrawal."""
    assert connection.vendor == "postgresql"
    propose(request_for_lle, an_lle(lle), la_officer)
    request_for_lle.refresh_from_db()  # "Leader proposed", as the broker's page loads it
    second = an_lle(lle)
    outcomes = run_at_once(
        lambda: brokerage_services.withdraw(request_for_lle, actor=commissioner, reason="No longer needed."),
        lambda: propose(request_for_lle, second, la_officer),
    )
    assert sorted(outcomes) in (["done", "done"], ["InvalidTransition", "done"])
    withdrawal = RequestTransition.objects.get(request=request_for_lle, to_status=RequestStatus.WITHDRAWN)
    late = Deployment.objects.filter(
        support_request=request_for_lle, leader=second.holder, created_at__gt=withdrawal.at
    )
    assert not late.exists()
    live = Deployment.objects.filter(support_request=request_for_lle).exclude(
        state=DeploymentState.ENDED_EARLY
    )
    assert not live.exists()  # what was proposed before the withdrawal ended with it


def test_shortlisting_on_a_withdrawn_request_is_refused(request_for_lle, lle, la_officer, commissioner):
    stale = type(request_for_lle).objects.get(pk=request_for_lle.pk)
    brokerage_services.withdraw(request_for_lle, actor=commissioner, reason="No longer needed.")
    with pytest.raises(InvalidTransition, match="withdrawn"):
        brokerage_services.shortlist(stale, an_lle(lle), actor=la_officer)


def test_proposing_on_a_request_withdrawn_meanwhile_is_refused(
    request_for_lle, lle, la_officer, commissioner
):
    propose(request_for_lle, an_lle(lle), la_officer)
    stale = type(request_for_lle).objects.get(pk=request_for_lle.pk)
    brokerage_services.withdraw(request_for_lle, actor=commissioner, reason="No longer needed.")
    second = an_lle(lle)
    with pytest.raises(ProposalRefused, match="withdrawn"):
        propose(stale, second, la_officer)
    assert not Deployment.objects.filter(leader=second.holder).exists()


# --- withdrawing or closing a request ends its live proposals -----------------------------------


def test_withdrawing_a_request_ends_its_proposals_and_tells_the_leader(
    request_for_lle, lle, la_officer, commissioner, mailoutbox, django_capture_on_commit_callbacks
):
    deployment = propose(request_for_lle, an_lle(lle), la_officer)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        brokerage_services.withdraw(request_for_lle, actor=commissioner, reason="Found support elsewhere.")
    deployment.refresh_from_db()
    request_for_lle.refresh_from_db()
    assert request_for_lle.status == RequestStatus.WITHDRAWN
    assert deployment.state == DeploymentState.ENDED_EARLY
    assert deployment.state_note == "The support request was withdrawn: Found support elsewhere."
    assert deployment.transitions.get().actor == commissioner
    assert any(deployment.leader.email in message.to for message in mailoutbox)
    entry = ShortlistEntry.objects.get(request=request_for_lle, designation=deployment.designation)
    assert entry.status == ShortlistStatus.PROPOSAL_ENDED
    # The request stays withdrawn: it does not go back to finding a leader.
    assert not RequestTransition.objects.filter(to_status=RequestStatus.SHORTLISTING).exists()


def test_closing_a_request_without_support_ends_its_proposals(request_for_lle, lle, la_officer):
    first = propose(request_for_lle, an_lle(lle), la_officer)
    second = propose(request_for_lle, an_lle(lle), la_officer)
    brokerage_services.close(request_for_lle, actor=la_officer, reason="Nobody suitable is free.")
    states = set(Deployment.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == {DeploymentState.ENDED_EARLY}


def test_a_request_with_agreed_support_cannot_be_withdrawn_around_it(request_for_lle, lle, commissioner):
    """Should a request still say "Leader proposed" with an agreed deployment on it, withdrawing it
    is refused and nothing changes."""
    request_for_lle.status = RequestStatus.PROPOSED
    request_for_lle.save(update_fields=["status"])
    agreed = DeploymentFactory(
        support_request=request_for_lle, designation=an_lle(lle), state=DeploymentState.AGREED
    )
    with pytest.raises(InvalidTransition, match="Support has been agreed"):
        brokerage_services.withdraw(request_for_lle, actor=commissioner, reason="No longer needed.")
    request_for_lle.refresh_from_db()
    agreed.refresh_from_db()
    assert (request_for_lle.status, agreed.state) == (RequestStatus.PROPOSED, DeploymentState.AGREED)


# --- the request's status follows its deployments ------------------------------------------------


def test_the_shortlist_entry_says_the_proposal_ended_and_says_proposed_again_when_re_proposed(
    request_for_lle, lle, la_officer
):
    designation = an_lle(lle)
    deployment = propose(request_for_lle, designation, la_officer)
    services.end_early(deployment, actor=la_officer, reason=StateReason.LEADER_UNAVAILABLE)
    entry = ShortlistEntry.objects.get(request=request_for_lle, designation=designation)
    assert entry.status == ShortlistStatus.PROPOSAL_ENDED
    propose(request_for_lle, designation, la_officer)
    entry.refresh_from_db()
    assert entry.status == ShortlistStatus.PROPOSED


def test_the_request_page_offers_to_propose_a_leader_again_once_their_proposal_ended(
    client, request_for_lle, lle, la_officer
):
    designation = an_lle(lle)
    deployment = propose(request_for_lle, designation, la_officer)
    client.force_login(la_officer)
    url = reverse("brokerage:request-detail", args=[request_for_lle.pk])
    propose_url = reverse("proposals:propose", args=[request_for_lle.pk, designation.pk])
    assert propose_url not in client.get(url).content.decode()
    services.end_early(deployment, actor=la_officer, reason=StateReason.LEADER_UNAVAILABLE)
    body = client.get(url).content.decode()
    assert propose_url in body
    assert "Proposal ended" in body
    assert "Leader proposed" not in body


def test_when_the_only_proposal_ends_early_the_request_goes_back_to_finding_a_leader(
    request_for_lle, lle, la_officer
):
    deployment = propose(request_for_lle, an_lle(lle), la_officer)
    services.end_early(deployment, actor=la_officer, reason=StateReason.LEADER_UNAVAILABLE)
    request_for_lle.refresh_from_db()
    assert request_for_lle.status == RequestStatus.SHORTLISTING
    change = RequestTransition.objects.filter(request=request_for_lle).latest("pk")
    assert (change.from_status, change.to_status) == (RequestStatus.PROPOSED, RequestStatus.SHORTLISTING)
    assert change.actor == la_officer
    assert "the leader is unavailable" in change.reason
    assert str(deployment.leader) in change.reason


def test_the_request_stays_proposed_while_another_proposal_is_live(request_for_lle, lle, la_officer):
    first = propose(request_for_lle, an_lle(lle), la_officer)
    propose(request_for_lle, an_lle(lle), la_officer)
    services.end_early(first, actor=la_officer, reason=StateReason.LEADER_UNAVAILABLE)
    request_for_lle.refresh_from_db()
    assert request_for_lle.status == RequestStatus.PROPOSED


def test_an_agreed_request_stays_agreed_when_its_deployment_ends_early(request_for_lle, lle, la_officer):
    deployment = DeploymentFactory(support_request=request_for_lle, designation=an_lle(lle))
    request_for_lle.status = RequestStatus.AGREED
    request_for_lle.save(update_fields=["status"])
    services.end_early(deployment, actor=la_officer, reason=StateReason.FUNDING_ENDED)
    request_for_lle.refresh_from_db()
    assert request_for_lle.status == RequestStatus.AGREED


def test_an_early_end_by_the_service_itself_is_recorded_without_a_person(request_for_lle, lle, la_officer):
    deployment = propose(request_for_lle, an_lle(lle), la_officer)
    services.transition(deployment, DeploymentState.ENDED_EARLY, reason=StateReason.DESIGNATION_ENDED)
    change = RequestTransition.objects.filter(request=request_for_lle).latest("pk")
    assert change.to_status == RequestStatus.SHORTLISTING
    assert change.actor is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ending_the_only_proposal_as_another_is_made_leaves_the_request_proposed(
    request_for_lle, lle, la_officer
):
    """The early end and the new proposal both lock the request, so whichever goes second sees the
    other: the request ends up "Leader proposed" with one live proposal."""
    assert connection.vendor == "postgresql"
    first = propose(request_for_lle, an_lle(lle), la_officer)
    request_for_lle.refresh_from_db()
    second = an_lle(lle)
    outcomes = run_at_once(
        lambda: services.end_early(first, actor=la_officer, reason=StateReason.LEADER_UNAVAILABLE),
        lambda: propose(request_for_lle, second, la_officer),
    )
    assert outcomes == ["done", "done"]
    request_for_lle.refresh_from_db()
    assert request_for_lle.status == RequestStatus.PROPOSED
    assert Deployment.objects.get(support_request=request_for_lle, state=DeploymentState.PROPOSED).leader == (
        second.holder
    )
