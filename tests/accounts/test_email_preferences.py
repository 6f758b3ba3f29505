"""The informational emails a person turned off on /accounts/you/ are not sent to them; emails that
need them to act are sent whatever they chose; shared inboxes are always sent to."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts import emails as account_emails
from accounts import services
from accounts.choices import EmailKind, OrganisationKind, Role
from accounts.emails import informational_recipients
from accounts.models import AccessRequest, Invitation
from brokerage import emails as brokerage_emails
from brokerage import partnerships
from brokerage.choices import PartnershipStatus
from deployments import emails as deployment_emails
from deployments.choices import DeploymentState, ReminderKind
from designations import emails as designation_emails
from designations.choices import ApplicationState, DesignationStatus
from designations.choices import ReminderKind as ReviewReminderKind
from designations.models import Review
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.brokerage import ProfessionalPartnershipFactory, SupportRequestFactory
from tests.factories.deployments import AgreementFactory, DeploymentFactory
from tests.factories.designations import (
    ApplicationFactory,
    DeDesignationCaseFactory,
    DesignationFactory,
    RefereeRequestFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)
EVERYTHING = list(EmailKind.values)


def person(email: str, *opt_outs: str, **fields):
    return UserFactory(email=email, email_opt_outs=list(opt_outs), **fields)


def member(organisation, role, email: str, *opt_outs: str):
    user = person(email, *opt_outs)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def sent_to() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def others(kind: str) -> list[str]:
    """Every kind but this one: a person who turned off everything else still wants this."""
    return [k for k in EmailKind.values if k != kind]


# --- the shared filter -----------------------------------------------------------------------------


def test_the_filter_drops_only_the_people_who_turned_the_kind_off():
    person("off@example.org", EmailKind.DEPLOYMENT_UPDATES)
    person("on@example.org", *others(EmailKind.DEPLOYMENT_UPDATES))
    person("gone@example.org", is_active=False)
    to = ["off@example.org", "on@example.org", "gone@example.org", "referee@elsewhere.example.org"]

    assert informational_recipients(to, EmailKind.DEPLOYMENT_UPDATES) == [
        "on@example.org",
        "referee@elsewhere.example.org",
    ]


def test_the_filter_keeps_a_shared_inbox_even_if_a_person_has_that_address():
    person("office@school.example.org", *EVERYTHING)
    OrganisationFactory(kind=OrganisationKind.SCHOOL, email="Office@School.example.org")

    assert informational_recipients(["office@school.example.org"], EmailKind.DEPLOYMENT_UPDATES) == [
        "office@school.example.org"
    ]


def test_the_filter_matches_addresses_whatever_their_case(django_assert_num_queries):
    person("off@example.org", EmailKind.PEOPLE_UPDATES)

    with django_assert_num_queries(1):
        assert informational_recipients(["Off@Example.org", "x@example.org"], EmailKind.PEOPLE_UPDATES) == [
            "x@example.org"
        ]


# --- accounts ----------------------------------------------------------------------------------


@pytest.fixture
def school_org(home_school):
    return OrganisationFactory(kind=OrganisationKind.SCHOOL, school=home_school, name=home_school.name)


def make_invitation(organisation, invited_by=None, email="new@example.org"):
    now = timezone.now()
    return Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=Role.SCHOOL_LEADER,
        invited_by=invited_by,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=7),
    )


def test_invitation_accepted_is_not_sent_to_an_inviter_who_turned_people_updates_off(school_org):
    off = person("off@example.org", EmailKind.PEOPLE_UPDATES)
    on = person("on@example.org", *others(EmailKind.PEOPLE_UPDATES))

    account_emails.invitation_accepted(make_invitation(school_org, off), to=[off.email])
    account_emails.invitation_accepted(make_invitation(school_org, on, "b@example.org"), to=[on.email])

    assert sent_to() == {"on@example.org"}


def test_accepting_an_invitation_tells_only_an_inviter_who_wants_it(
    school_org, django_capture_on_commit_callbacks
):
    inviter = person("inviter@example.org", EmailKind.PEOPLE_UPDATES)
    invitee = person("invitee@example.org")
    invitation = make_invitation(school_org, inviter, invitee.email)

    with django_capture_on_commit_callbacks(execute=True):
        services._mark_accepted(invitation, invitee)

    assert mail.outbox == []


def make_access_request(home_school, email="asker@example.org"):
    return AccessRequest.objects.create(
        full_name="Asker",
        email=email,
        organisation_kind=OrganisationKind.SCHOOL,
        school=home_school,
        role=Role.SCHOOL_LEADER,
        reason="I am the new deputy head.",
    )


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(
            lambda o, u, ar: account_emails.invitation(make_invitation(o, email=u.email), link="https://x/"),
            id="invitation",
        ),
        pytest.param(
            lambda o, u, ar: account_emails.access_request_confirm(ar, link="https://x/", has_account=True),
            id="access-request-confirm",
        ),
        pytest.param(
            lambda o, u, ar: account_emails.access_request_to_answer(ar, to=[u.email]),
            id="access-request-to-answer",
        ),
        pytest.param(
            lambda o, u, ar: account_emails.access_request_declined(ar), id="access-request-declined"
        ),
        pytest.param(
            lambda o, u, ar: account_emails.set_password(u, link="https://x/", reason="invited"),
            id="set-password",
        ),
    ],
)
def test_account_emails_that_need_action_are_sent_to_someone_who_turned_everything_off(
    send, school_org, home_school
):
    user = person("asker@example.org", *EVERYTHING)

    send(school_org, user, make_access_request(home_school, user.email))

    assert sent_to() == {"asker@example.org"}


# --- designations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "send", [designation_emails.application_submitted, designation_emails.application_decided]
)
def test_application_updates_are_not_sent_to_an_applicant_who_turned_them_off(send):
    off = ApplicationFactory(
        applicant=person("off@example.org", EmailKind.APPLICATION_UPDATES), state=ApplicationState.REJECTED
    )
    on = ApplicationFactory(
        applicant=person("on@example.org", *others(EmailKind.APPLICATION_UPDATES)),
        state=ApplicationState.REJECTED,
    )

    send(off)
    send(on)

    assert sent_to() == {"on@example.org"}


@pytest.mark.parametrize(
    "send",
    [
        designation_emails.designation_made,
        lambda d: designation_emails.designation_status_changed(d, DesignationStatus.ACTIVE, "Moved school"),
    ],
    ids=["designation-made", "designation-status-changed"],
)
def test_designation_updates_are_not_sent_to_a_holder_who_turned_them_off(send):
    send(DesignationFactory(holder=person("off@example.org", EmailKind.DESIGNATION_UPDATES)))
    send(DesignationFactory(holder=person("on@example.org", *others(EmailKind.DESIGNATION_UPDATES))))

    assert sent_to() == {"on@example.org"}


def test_a_school_designation_tells_the_designating_leads_who_want_it(teaching_school_org):
    member(
        teaching_school_org, Role.TEACHING_SCHOOL_LEAD, "off@ts.example.org", EmailKind.DESIGNATION_UPDATES
    )
    member(teaching_school_org, Role.TEACHING_SCHOOL_LEAD, "on@ts.example.org")

    designation_emails.designation_made(
        DesignationFactory(holder=None, designating_organisation=teaching_school_org)
    )

    assert sent_to() == {"on@ts.example.org"}


def test_a_case_decided_reaches_the_designating_body_but_not_a_holder_who_turned_it_off(national_body):
    national_body.email = "designations@college.example.org"
    national_body.save()
    holder = person("off@example.org", EmailKind.DESIGNATION_UPDATES)
    case = DeDesignationCaseFactory(
        designation=DesignationFactory(holder=holder, designating_organisation=national_body),
        decision_notes="Kept after review.",
    )

    designation_emails.case_decided(case)

    assert sent_to() == {"designations@college.example.org"}


@pytest.mark.parametrize(
    "send",
    [
        lambda d, lead: designation_emails.referee_request(
            RefereeRequestFactory(email=lead.email, application=ApplicationFactory()), link="https://x/"
        ),
        lambda d, lead: designation_emails.review_reminder(
            Review.objects.create(designation=d, due_on=TODAY), ReviewReminderKind.OVERDUE, today=TODAY
        ),
        lambda d, lead: designation_emails.case_opened(DeDesignationCaseFactory(designation=d)),
    ],
    ids=["referee-request", "review-reminder", "case-opened"],
)
def test_designation_emails_that_need_action_are_sent_to_someone_who_turned_everything_off(
    send, teaching_school_org
):
    lead = member(teaching_school_org, Role.TEACHING_SCHOOL_LEAD, "lead@ts.example.org", *EVERYTHING)

    send(DesignationFactory(designating_organisation=teaching_school_org), lead)

    assert sent_to() == {"lead@ts.example.org"}


# --- brokerage ---------------------------------------------------------------------------------


def test_partnership_answered_is_not_sent_to_a_new_head_who_turned_it_off():
    partnerships.partnership_answered(
        ProfessionalPartnershipFactory(new_head=person("off@example.org", EmailKind.PARTNERSHIP_UPDATES))
    )
    partnerships.partnership_answered(
        ProfessionalPartnershipFactory(
            new_head=person("on@example.org", *others(EmailKind.PARTNERSHIP_UPDATES)),
            status=PartnershipStatus.DECLINED,
        )
    )

    assert sent_to() == {"on@example.org"}


def test_brokerage_emails_that_need_action_are_sent_to_someone_who_turned_everything_off(home_school):
    broker_org = OrganisationFactory(
        kind=OrganisationKind.LOCAL_AUTHORITY, local_authority=home_school.local_authority
    )
    member(broker_org, Role.LA_OFFICER, "broker@la.example.org", *EVERYTHING)
    lle = person("lle@example.org", *EVERYTHING)

    brokerage_emails.request_raised(SupportRequestFactory(school=home_school, broker=broker_org))
    partnerships.partnership_requested(
        ProfessionalPartnershipFactory(
            partner=DesignationFactory(holder=lle), status=PartnershipStatus.REQUESTED
        )
    )

    assert sent_to() == {"broker@la.example.org", "lle@example.org"}


# --- deployments -------------------------------------------------------------------------------


@pytest.fixture
def deployment(db):
    """A deployment whose broker, leader, leader's head and commissioner turned everything off,
    and whose supported school's head wants everything."""
    supported = SchoolFactory(name="Supported Primary")
    supported_org = OrganisationFactory(kind=OrganisationKind.SCHOOL, school=supported, name=supported.name)
    member(supported_org, Role.SCHOOL_LEADER, "head@supported.example.org")
    leader_school = SchoolFactory(name="Leader Academy")
    leader_org = OrganisationFactory(
        kind=OrganisationKind.SCHOOL, school=leader_school, name=leader_school.name
    )
    member(leader_org, Role.SCHOOL_LEADER, "head@leader.example.org", *EVERYTHING)
    broker_org = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, name="Broker council")
    member(broker_org, Role.LA_OFFICER, "officer@broker.example.org", *EVERYTHING)
    commissioner_org = OrganisationFactory(kind=OrganisationKind.DIOCESE, name="Diocese of Ely")
    member(commissioner_org, Role.COMMISSIONER, "commissioner@diocese.example.org", *EVERYTHING)
    designation = DesignationFactory(
        holder=person("leader@leader.example.org", *EVERYTHING), school=leader_school
    )
    request = SupportRequestFactory(school=supported, commissioner=commissioner_org, broker=broker_org)
    return DeploymentFactory(
        support_request=request,
        designation=designation,
        state=DeploymentState.ACTIVE,
        ends_on=TODAY - datetime.timedelta(days=1),
    )


@pytest.mark.parametrize(
    "send",
    [
        lambda d: deployment_emails.state_changed(d, DeploymentState.PAUSED),
        lambda d: deployment_emails.agreement_agreed(AgreementFactory(deployment=d)),
        deployment_emails.closed_at_end,
    ],
    ids=["deployment-state-changed", "agreement-agreed", "deployment-closed-at-end"],
)
def test_deployment_updates_skip_the_parties_who_turned_them_off_but_not_the_broker(send, deployment):
    send(deployment)

    # The broker records the final evaluation and runs the deployment: always told.
    assert sent_to() == {"officer@broker.example.org", "head@supported.example.org"}


def test_deployment_updates_still_reach_a_shared_inbox(deployment):
    deployment.commissioner.email = "inbox@diocese.example.org"
    deployment.commissioner.save()

    deployment_emails.state_changed(deployment, DeploymentState.PAUSED)

    assert "inbox@diocese.example.org" in sent_to()


@pytest.mark.parametrize(
    "send, expected",
    [
        (deployment_emails.leader_proposed, {"leader@leader.example.org"}),
        (
            lambda d: deployment_emails.agreement_sent(AgreementFactory(deployment=d)),
            {
                "head@supported.example.org",
                "leader@leader.example.org",
                "head@leader.example.org",
                "commissioner@diocese.example.org",
            },
        ),
        (
            lambda d: deployment_emails.changes_requested(
                AgreementFactory(deployment=d), d.leader, "Fewer days"
            ),
            {"officer@broker.example.org"},
        ),
        (
            lambda d: deployment_emails.escalated(d, "The school will not engage.", d.leader),
            {"commissioner@diocese.example.org"},
        ),
        (
            lambda d: deployment_emails.review_reminder(d, ReminderKind.OVERDUE, due_on=TODAY, today=TODAY),
            {"officer@broker.example.org"},
        ),
        (
            lambda d: deployment_emails.stalled(d, since=TODAY - datetime.timedelta(days=30), today=TODAY),
            {"officer@broker.example.org", "commissioner@diocese.example.org"},
        ),
    ],
    ids=[
        "leader-proposed",
        "agreement-sent",
        "agreement-changes-requested",
        "deployment-escalated",
        "deployment-review-reminder",
        "deployment-stalled",
    ],
)
def test_deployment_emails_that_need_action_are_sent_to_people_who_turned_everything_off(
    send, expected, deployment
):
    send(deployment)

    assert sent_to() == expected


def test_undeployed_sles_reach_leads_who_turned_everything_off(teaching_school_org):
    member(teaching_school_org, Role.TEACHING_SCHOOL_LEAD, "lead@ts.example.org", *EVERYTHING)
    designation = DesignationFactory(designating_organisation=teaching_school_org)

    deployment_emails.undeployed_sles(teaching_school_org, [designation], today=TODAY)

    assert sent_to() == {"lead@ts.example.org"}
