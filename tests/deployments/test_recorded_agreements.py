"""Recording an agreement a party gave outside the service: who may (the broker, a national
administrator) and who may not (a party for itself, the leader, an outsider, a broker who is also
the leader); what is checked (the date, the file); the confirmation step; what is audited; and that
it goes through the agreement service, so the last signoff completes the agreement."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from deployments import services
from deployments.choices import (
    AgreementMethod,
    AgreementStatus,
    DeploymentState,
    Party,
    RecordedSignoffStatus,
)
from deployments.errors import DeploymentError, InvalidTransition
from deployments.models import RecordedSignoff, Signoff
from tests.factories import MembershipFactory
from tests.factories.deployments import AgreementFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n% an emailed agreement\n"


@pytest.fixture
def waiting(proposed_deployment):
    """Version 1, sent to the parties three days ago, nobody has agreed yet."""
    starts_on = TODAY + datetime.timedelta(days=14)
    agreement = AgreementFactory(
        deployment=proposed_deployment,
        status=AgreementStatus.AWAITING_AGREEMENT,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=180),
        days_per_week=Decimal("1.0"),
        agreed_at=None,
        sent_at=timezone.now() - datetime.timedelta(days=3),
    )
    ObjectiveFactory(agreement=agreement)
    return agreement


def record_url(agreement) -> str:
    return reverse("deployments:agreement-record", args=[agreement.deployment_id, agreement.version])


def confirm_url(record) -> str:
    return reverse(
        "deployments:recorded-signoff-confirm",
        args=[record.agreement.deployment_id, record.agreement.version, record.pk],
    )


def answers(**overrides) -> dict:
    return {
        "party": Party.SUPPORTED_SCHOOL,
        "agreed_by_name": "Jo Head",
        "agreed_by_role": "Headteacher",
        "agreed_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "method": AgreementMethod.EMAIL,
        **overrides,
    }


def record(agreement, actor, **overrides) -> RecordedSignoff:
    data = {
        "party": Party.SUPPORTED_SCHOOL,
        "agreed_by_name": "Jo Head",
        "agreed_by_role": "Headteacher",
        "agreed_on": TODAY - datetime.timedelta(days=1),
        "method": AgreementMethod.EMAIL,
        **overrides,
    }
    return services.record_outside_agreement(agreement, actor=actor, **data)


@pytest.fixture
def broker_leader(leader, home_la_org):
    """The leader also brokers for the organisation that brokers their deployment."""
    MembershipFactory(user=leader, organisation=home_la_org, role=Role.LA_OFFICER)
    return leader


# --- who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("la_officer", 200),
        ("national_admin", 200),
        ("school_leader", 403),
        ("commissioner", 403),
        ("leader", 403),
        ("broker_leader", 403),
        ("outsider", 404),
        ("other_la_officer", 404),
    ],
)
def test_who_may_open_the_record_page(client, request, waiting, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(record_url(waiting)).status_code == expected
    if expected != 200:
        client.post(record_url(waiting), answers())
        assert not RecordedSignoff.objects.exists()


@pytest.mark.parametrize("persona", ["school_leader", "commissioner", "leader", "broker_leader", "outsider"])
def test_the_service_refuses_people_who_may_not_record(request, waiting, persona):
    with pytest.raises(DeploymentError, match="Only the deployment's broker or a national administrator"):
        record(waiting, request.getfixturevalue(persona))


def test_nobody_records_for_a_party_they_act_for(la_officer, waiting):
    """Norfolk's officer brokers, and acts for Norfolk as the commissioner: they agree for it."""
    with pytest.raises(DeploymentError, match="agree for it yourself") as error:
        record(waiting, la_officer, party=Party.COMMISSIONER)
    assert error.value.field == "party"


def test_the_form_offers_only_parties_the_user_may_record_for(client, la_officer, national_admin, waiting):
    client.force_login(la_officer)
    choices = dict(client.get(record_url(waiting)).context["form"].fields["party"].choices)
    assert set(choices) == {Party.SUPPORTED_SCHOOL, Party.LEADER_SCHOOL}
    client.force_login(national_admin)
    choices = dict(client.get(record_url(waiting)).context["form"].fields["party"].choices)
    assert set(choices) == set(Party.values)


def test_the_agreement_page_offers_recording_to_the_broker_only(client, la_officer, school_leader, waiting):
    link = record_url(waiting)
    client.force_login(la_officer)
    page = client.get(reverse("deployments:agreement-version", args=[waiting.deployment_id, 1]))
    assert f"{link}?party=supported_school" in page.content.decode()
    assert f"{link}?party=commissioner" not in page.content.decode()
    client.force_login(school_leader)
    page = client.get(reverse("deployments:agreement-version", args=[waiting.deployment_id, 1]))
    assert link not in page.content.decode()


def test_nothing_is_recorded_before_the_version_is_sent(client, la_officer, waiting):
    waiting.status = AgreementStatus.DRAFT
    waiting.save()
    with pytest.raises(InvalidTransition, match="not waiting for agreement"):
        record(waiting, la_officer)
    client.force_login(la_officer)
    assert client.get(record_url(waiting)).status_code == 302


# --- what is checked ---------------------------------------------------------------------------------


def post_answers(client, agreement, **overrides):
    return client.post(record_url(agreement), answers(**overrides))


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"agreed_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "agreed_on",
            "The date they agreed must be today or in the past",
        ),
        ({"agreed_on": "31/02/2026"}, "agreed_on", "When did they agree? must be a real date"),
        ({"agreed_by_name": ""}, "agreed_by_name", "Enter the name of the person who agreed"),
        ({"agreed_by_role": ""}, "agreed_by_role", "Enter their role"),
        ({"method": ""}, "method", "Choose how they agreed"),
        ({"party": ""}, "party", "Choose the party that agreed"),
    ],
)
def test_the_form_explains_what_is_wrong(client, la_officer, waiting, overrides, field, message):
    client.force_login(la_officer)
    response = post_answers(client, waiting, **overrides)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not RecordedSignoff.objects.exists()


def test_a_date_before_the_version_was_sent_is_refused(client, la_officer, waiting):
    client.force_login(la_officer)
    sent_on = timezone.localdate(waiting.sent_at)
    response = post_answers(client, waiting, agreed_on=(sent_on - datetime.timedelta(days=1)).isoformat())
    (error,) = response.context["form"].errors["agreed_on"]
    assert (
        error == f"The date they agreed must be on or after {sent_on:%-d %B %Y}, when this version was sent"
    )
    assert not RecordedSignoff.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("agreement.pdf", b"MZ\x90\x00 not a pdf at all", "content is not a PDF file"),
        ("agreement.exe", b"MZ\x90\x00", "must be a PDF, DOCX, XLSX, PNG, JPG or TXT"),
        ("agreement.pdf", b"", "The selected file is empty."),
    ],
)
def test_a_bad_copy_is_refused_on_the_file_field(client, la_officer, waiting, name, content, message):
    client.force_login(la_officer)
    response = client.post(record_url(waiting), {**answers(), "copy": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.context["form"].errors["copy"][0]
    assert not RecordedSignoff.objects.exists()


def test_a_copy_too_big_is_refused(client, la_officer, waiting, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    client.force_login(la_officer)
    response = client.post(record_url(waiting), {**answers(), "copy": SimpleUploadedFile("a.pdf", PDF)})
    assert "must be smaller than" in response.context["form"].errors["copy"][0]


# --- recording, confirming, and what it leaves behind -------------------------------------------------


def test_recording_waits_for_confirmation_then_counts_as_the_partys_signoff(
    client, la_officer, school_leader, waiting
):
    client.force_login(la_officer)
    response = client.post(record_url(waiting), {**answers(), "copy": SimpleUploadedFile("email.pdf", PDF)})

    pending = RecordedSignoff.objects.get()
    assert response.url == confirm_url(pending)
    assert pending.status == RecordedSignoffStatus.PENDING and not Signoff.objects.exists()
    check = client.get(confirm_url(pending)).content.decode()
    assert "Check the agreement you are recording" in check and "Jo Head" in check and "email.pdf" in check

    response = client.post(confirm_url(pending), follow=True)

    pending.refresh_from_db()
    signoff = Signoff.objects.get()
    assert (signoff.party, signoff.agreed_by) == (Party.SUPPORTED_SCHOOL, la_officer)
    assert (pending.status, pending.signoff) == (RecordedSignoffStatus.CONFIRMED, signoff)
    body = response.content.decode()
    assert "Jo Head&#x27;s agreement is recorded for the supported school." in body
    assert f"Recorded by {la_officer} on behalf of Jo Head (the supported school)" in body
    waiting.refresh_from_db()
    assert waiting.status == AgreementStatus.AWAITING_AGREEMENT

    # Audited: the record's own history, the signoff's, and the deployment's history table.
    assert [h.status for h in pending.history.order_by("history_date")] == ["pending", "confirmed"]
    assert pending.history.first().history_user == la_officer
    assert signoff.history.count() == 1
    page = client.get(reverse("deployments:deployment-detail", args=[waiting.deployment_id])).content.decode()
    assert "Version 1 agreed for the supported school, recorded on its behalf" in page
    assert "Jo Head (Headteacher) agreed by email on" in page

    # The copy is served through a permission check.
    copy = reverse("deployments:recorded-signoff-copy", args=[waiting.deployment_id, pending.pk])
    assert b"".join(client.get(copy).streaming_content) == PDF
    client.force_login(school_leader)
    assert client.get(copy).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "other_la_officer"])
def test_the_copy_is_not_served_to_outsiders(client, request, la_officer, waiting, persona):
    pending = record(waiting, la_officer, copy=SimpleUploadedFile("email.pdf", PDF))
    copy = reverse("deployments:recorded-signoff-copy", args=[waiting.deployment_id, pending.pk])
    client.force_login(request.getfixturevalue(persona))
    assert client.get(copy).status_code == 404


def test_only_the_recorder_confirms_their_record(client, la_officer, national_admin, waiting):
    pending = record(waiting, la_officer)
    client.force_login(national_admin)
    assert client.get(confirm_url(pending)).status_code == 404
    assert client.post(confirm_url(pending)).status_code == 404
    with pytest.raises(DeploymentError, match="Only the person who recorded"):
        services.confirm_recorded_signoff(pending, actor=national_admin)
    assert not Signoff.objects.exists()


def test_cancelling_keeps_the_record_but_agrees_nothing(client, la_officer, waiting):
    pending = record(waiting, la_officer, copy=SimpleUploadedFile("email.pdf", PDF))
    stored = pending.copy.name
    client.force_login(la_officer)
    cancel = reverse("deployments:recorded-signoff-cancel", args=[waiting.deployment_id, 1, pending.pk])
    client.post(cancel)
    pending.refresh_from_db()
    assert pending.status == RecordedSignoffStatus.CANCELLED and not Signoff.objects.exists()
    assert not pending.copy.storage.exists(stored)
    assert "already been confirmed or cancelled" in client.post(confirm_url(pending)).content.decode()
    assert not Signoff.objects.exists()


def test_the_same_rules_apply_one_signoff_per_party(client, la_officer, school_leader, waiting):
    pending = record(waiting, la_officer)
    services.agree(waiting, actor=school_leader, party=Party.SUPPORTED_SCHOOL)

    client.force_login(la_officer)
    response = client.post(confirm_url(pending))

    assert "The supported school has already agreed this version." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == RecordedSignoffStatus.PENDING
    assert Signoff.objects.get().agreed_by == school_leader
    with pytest.raises(InvalidTransition, match="already agreed"):
        record(waiting, la_officer)


def test_a_record_made_before_changes_were_asked_for_cannot_be_confirmed(la_officer, school_leader, waiting):
    pending = record(waiting, la_officer)
    services.request_changes(waiting, actor=school_leader, reason="Fewer days, please.")
    with pytest.raises(InvalidTransition, match="no longer waiting for agreement"):
        services.confirm_recorded_signoff(pending, actor=la_officer)


def test_the_last_signoff_recorded_completes_the_agreement(
    la_officer, commissioner, leader, waiting, django_capture_on_commit_callbacks
):
    services.agree(waiting, actor=commissioner, party=Party.COMMISSIONER)
    services.agree(waiting, actor=leader, party=Party.LEADER_SCHOOL)
    pending = record(waiting, la_officer)

    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.confirm_recorded_signoff(pending, actor=la_officer)

    assert agreement.status == AgreementStatus.AGREED
    deployment = agreement.deployment
    deployment.refresh_from_db()
    assert deployment.state == DeploymentState.AGREED
    assert deployment.days_per_week == Decimal("1.0")
    assert set(agreement.signoffs.values_list("party", flat=True)) == set(Party.values)
    assert [m.subject for m in mail.outbox if "agreed" in m.subject.lower()]


def test_a_national_administrator_records_for_the_commissioner(client, national_admin, waiting):
    client.force_login(national_admin)
    response = client.post(
        record_url(waiting), answers(party=Party.COMMISSIONER, method=AgreementMethod.MEETING)
    )
    pending = RecordedSignoff.objects.get()
    client.post(confirm_url(pending))
    assert response.status_code == 302
    assert Signoff.objects.get().party == Party.COMMISSIONER
