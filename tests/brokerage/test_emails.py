"""The broker hears of a request raised for them, with a link to it."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.choices import OrganisationKind, Role
from brokerage import emails, services
from designations.models import DesignationType
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.brokerage import SupportRequestFactory

pytestmark = pytest.mark.django_db
SITE = "https://syslead.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def member(organisation, role, email, **user):
    return MembershipFactory(user=UserFactory(email=email, **user), organisation=organisation, role=role).user


def test_the_brokers_officers_are_told_with_a_link_to_the_request(
    home_school, home_la_org, la_officer, commissioner
):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)

    emails.request_raised(request)

    (message,) = mail.outbox
    assert message.to == [la_officer.email]  # the commissioner is not a broker
    link = f"{SITE}{reverse('brokerage:request-detail', args=[request.pk])}"
    assert link in message.body and link in message.alternatives[0][0]
    assert home_school.name in message.subject and request.title in message.subject


def test_a_teaching_school_broker_tells_its_leads(
    home_school, home_la_org, teaching_school_org, teaching_school_lead
):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=teaching_school_org)
    member(teaching_school_org, Role.COMMISSIONER, "ts-commissioner@teaching.example.org")

    emails.request_raised(request)

    assert [m.to for m in mail.outbox] == [[teaching_school_lead.email]]


def test_a_shared_inbox_is_used_instead_of_the_members(home_school, home_la_org, la_officer):
    home_la_org.email = "brokerage@norfolk.example.org"
    home_la_org.save()
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)

    emails.request_raised(request)

    assert [m.to for m in mail.outbox] == [["brokerage@norfolk.example.org"]]


def test_inactive_people_are_skipped_and_nothing_is_sent_to_no_one(home_school):
    broker = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, name="Quiet council")
    member(broker, Role.LA_OFFICER, "gone@quiet.example.org", is_active=False)
    request = SupportRequestFactory(school=home_school, commissioner=broker, broker=broker)

    emails.request_raised(request)

    assert mail.outbox == []


def test_two_officers_are_each_told_once(home_school, home_la_org, la_officer):
    second = member(home_la_org, Role.LA_OFFICER, "second@norfolk.example.org")
    MembershipFactory(user=second, organisation=home_la_org, role=Role.COMMISSIONER)
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)

    emails.request_raised(request)

    (message,) = mail.outbox
    assert message.to == sorted([la_officer.email, second.email])


def test_raising_a_request_tells_the_broker_once_committed(
    commissioner, la_officer, home_school, home_la_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.raise_request(
            actor=commissioner,
            school=home_school,
            commissioner=home_la_org,
            broker=home_la_org,
            title="Help",
            needs_description="Maths leadership.",
            designation_types=[DesignationType.objects.get(code="LLE")],
        )

    (message,) = mail.outbox
    assert message.to == [la_officer.email]
    assert "Wanted: Local leader of education" in message.body
    assert reverse("brokerage:request-detail", args=[request.pk]) in message.body
