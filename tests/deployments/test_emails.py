"""Who hears of a deployment's agreement and state changes, and the links they follow."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from deployments import emails, services
from deployments.choices import AgreementStatus, DeploymentState, Party, StateReason, TimeBasis
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import AgreementFactory, DeploymentFactory
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db
SITE = "https://syslead.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def member(organisation, role, email, **user):
    return MembershipFactory(user=UserFactory(email=email, **user), organisation=organisation, role=role).user


@dataclass
class Cast:
    deployment: object
    broker_org: object
    commissioner_org: object
    broker: object
    commissioner: object
    supported_head: object
    leader: object
    leader_head: object

    @property
    def parties(self) -> set[str]:
        return {p.email for p in (self.supported_head, self.leader, self.leader_head, self.commissioner)}


@pytest.fixture
def cast(db) -> Cast:
    """A deployment whose every organisation has people in and out of the roles that are told."""
    supported = SchoolFactory(name="Supported Primary")
    supported_org = OrganisationFactory(kind=OrganisationKind.SCHOOL, school=supported, name=supported.name)
    supported_head = member(supported_org, Role.SCHOOL_LEADER, "head@supported.example.org")
    member(supported_org, Role.SCHOOL_LEADER, "left@supported.example.org", is_active=False)
    leader_school = SchoolFactory(name="Leader Academy")
    leader_org = OrganisationFactory(
        kind=OrganisationKind.SCHOOL, school=leader_school, name=leader_school.name
    )
    leader_head = member(leader_org, Role.SCHOOL_LEADER, "head@leader.example.org")
    broker_org = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, name="Broker council")
    broker = member(broker_org, Role.LA_OFFICER, "officer@broker.example.org")
    member(broker_org, Role.COMMISSIONER, "not-a-broker@broker.example.org")
    commissioner_org = OrganisationFactory(kind=OrganisationKind.DIOCESE, name="Diocese of Ely")
    commissioner = member(commissioner_org, Role.COMMISSIONER, "commissioner@diocese.example.org")
    leader = UserFactory(email="leader@leader.example.org")
    designation = DesignationFactory(holder=leader, school=leader_school)
    request = SupportRequestFactory(school=supported, commissioner=commissioner_org, broker=broker_org)
    deployment = DeploymentFactory(support_request=request, designation=designation)
    return Cast(
        deployment, broker_org, commissioner_org, broker, commissioner, supported_head, leader, leader_head
    )


def only_message():
    (message,) = mail.outbox
    return message


def html(message) -> str:
    return message.alternatives[0][0]


def deployment_link(deployment) -> str:
    return f"{SITE}{reverse('deployments:deployment-detail', args=[deployment.pk])}"


def agreement_link(agreement) -> str:
    return (
        f"{SITE}{reverse('deployments:agreement-version', args=[agreement.deployment_id, agreement.version])}"
    )


def test_links_go_to_the_deployment_and_the_agreement_version(cast):
    agreement = AgreementFactory(deployment=cast.deployment, version=2)
    assert f"/deployments/{cast.deployment.pk}/" in emails.deployment_link(cast.deployment)
    assert emails.deployment_link(cast.deployment) == deployment_link(cast.deployment)
    assert emails.agreement_link(agreement) == agreement_link(agreement)
    assert emails.agreement_link(agreement).startswith(f"{SITE}/deployments/{cast.deployment.pk}/")


def test_an_agreement_sent_goes_to_the_three_parties_not_the_broker(cast):
    agreement = AgreementFactory(deployment=cast.deployment, status=AgreementStatus.AWAITING_AGREEMENT)

    emails.agreement_sent(agreement)

    message = only_message()
    assert set(message.to) == cast.parties
    assert len(message.to) == 4
    assert agreement_link(agreement) in message.body and agreement_link(agreement) in html(message)
    assert "Please agree: version 1" in message.subject


def test_changes_requested_go_to_the_broker_with_the_reason(cast):
    agreement = AgreementFactory(deployment=cast.deployment, status=AgreementStatus.DRAFT)

    emails.changes_requested(agreement, cast.supported_head, "Start after half term.")

    message = only_message()
    assert message.to == [cast.broker.email]
    assert "Start after half term." in message.body and "Start after half term." in html(message)
    assert str(cast.supported_head) in message.body
    assert agreement_link(agreement) in message.body


def test_an_agreement_agreed_goes_to_the_parties_and_the_broker(cast):
    agreement = AgreementFactory(deployment=cast.deployment)

    emails.agreement_agreed(agreement)

    message = only_message()
    assert set(message.to) == cast.parties | {cast.broker.email}
    assert agreement_link(agreement) in message.body


def test_an_escalation_goes_to_the_commissioner_only(cast):
    emails.escalated(cast.deployment, "The school has cancelled three visits.", cast.broker)

    message = only_message()
    assert message.to == [cast.commissioner.email]
    assert "The school has cancelled three visits." in message.body
    assert deployment_link(cast.deployment) in message.body and deployment_link(cast.deployment) in html(
        message
    )


def test_a_commissioners_shared_inbox_replaces_its_members(cast):
    cast.commissioner_org.email = "support@diocese.example.org"
    cast.commissioner_org.save()

    emails.escalated(cast.deployment, "No engagement.", cast.broker)

    assert only_message().to == ["support@diocese.example.org"]


def test_a_state_change_goes_to_the_broker_and_the_parties_with_the_reason(cast):
    deployment = cast.deployment
    deployment.state, deployment.state_reason = DeploymentState.PAUSED, StateReason.LEADER_UNAVAILABLE
    deployment.save()

    emails.state_changed(deployment, DeploymentState.ACTIVE)

    message = only_message()
    assert set(message.to) == cast.parties | {cast.broker.email}
    assert message.subject.startswith("Paused:")
    assert "was active and is now paused" in message.body
    assert "The leader is unavailable" in message.body
    assert deployment_link(deployment) in message.body


def test_being_agreed_is_told_by_the_agreement_email_not_again_as_a_state_change(cast):
    deployment = cast.deployment
    deployment.state = DeploymentState.AGREED
    deployment.save()

    emails.state_changed(deployment, DeploymentState.PROPOSED)
    emails.state_changed(deployment, DeploymentState.AGREED)

    assert mail.outbox == []


def test_someone_in_two_parts_is_told_once(cast):
    MembershipFactory(user=cast.leader_head, organisation=cast.commissioner_org, role=Role.COMMISSIONER)
    MembershipFactory(user=cast.leader_head, organisation=cast.broker_org, role=Role.LA_OFFICER)

    emails.agreement_agreed(AgreementFactory(deployment=cast.deployment))

    message = only_message()
    assert sorted(message.to) == sorted(set(message.to))
    assert message.to.count(cast.leader_head.email) == 1


def test_inactive_people_and_organisations_are_skipped(cast):
    cast.leader.is_active = False
    cast.leader.save()
    cast.commissioner_org.is_active = False
    cast.commissioner_org.save()

    emails.agreement_sent(AgreementFactory(deployment=cast.deployment))

    assert set(only_message().to) == {cast.supported_head.email, cast.leader_head.email}


def test_nothing_is_sent_when_there_is_no_one_to_tell(cast):
    cast.commissioner.is_active = False
    cast.commissioner.save()

    emails.escalated(cast.deployment, "No engagement.", cast.broker)

    assert mail.outbox == []


def test_the_services_email_once_their_change_is_committed(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.pause(cast.deployment, actor=cast.broker, reason=StateReason.SCHOOL_WILL_NOT_ENGAGE)
    with django_capture_on_commit_callbacks(execute=True):
        services.escalate(cast.deployment, actor=cast.broker, note="The head will not meet the leader.")

    paused, escalated = mail.outbox
    assert paused.subject.startswith("Paused:") and "The school will not engage" in paused.body
    assert escalated.to == [cast.commissioner.email]
    assert "The head will not meet the leader." in escalated.body


def test_the_agreement_flow_tells_each_person_at_each_step(cast, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    request = cast.deployment.support_request
    request.designation_types.set([cast.deployment.designation.designation_type])
    designation = DesignationFactory(
        designation_type=cast.deployment.designation.designation_type,
        holder=UserFactory(email="second-leader@leader.example.org"),
        school=cast.deployment.leader_school,
        availability_days_per_week=Decimal("2.0"),
    )
    deployment = services.propose(request, designation, actor=cast.broker, today=today)
    terms = {
        "expected_impact": "Leaders sustain improvement.", "support_approach": "Coaching the head.",
        "school_participants": "Headteacher", "time_basis": TimeBasis.DAYS_PER_WEEK,
        "days_per_week": Decimal("0.5"), "total_days": None,
        "starts_on": today, "ends_on": today + datetime.timedelta(days=90),
        "rate_basis": "day_rate", "day_rate": Decimal("400"), "total_amount": None,
        "payer": deployment.commissioner, "payee_school": deployment.leader_school, "backfill_note": "",
    }  # fmt: skip
    objectives = [
        services.ObjectiveData("Improve governance", "Governors challenge", today + datetime.timedelta(30))
    ]
    agreement = services.save_draft(deployment, actor=cast.broker, terms=terms, objectives=objectives)
    parties = {cast.supported_head.email, "second-leader@leader.example.org", cast.leader_head.email,
               cast.commissioner.email}  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        services.send_for_agreement(agreement, actor=cast.broker)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(agreement, actor=cast.supported_head, reason="Add a reading objective.")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_for_agreement(agreement, actor=cast.broker)
        for person, party in [
            (cast.supported_head, Party.SUPPORTED_SCHOOL),
            (cast.leader_head, Party.LEADER_SCHOOL),
            (cast.commissioner, Party.COMMISSIONER),
        ]:
            services.agree(agreement, actor=person, party=party, today=today)

    sent, changes, sent_again, *on_agreement = mail.outbox
    assert set(sent.to) == parties and set(sent_again.to) == parties
    assert changes.to == [cast.broker.email] and "Add a reading objective." in changes.body
    # Agreed (and, starting today, started): being agreed is not told a second time as a state change.
    by_subject = {m.subject.split(":")[0]: m for m in on_agreement}
    assert sorted(by_subject) == ["Active", "Agreed"] and len(on_agreement) == 2
    assert set(by_subject["Agreed"].to) == parties | {cast.broker.email}
    assert agreement_link(agreement) in by_subject["Agreed"].body
