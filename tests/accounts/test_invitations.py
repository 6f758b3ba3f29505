"""Joining by invitation: the link, new and existing accounts, resend, cancel, double submits."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.choices import OrganisationKind, Role
from accounts.errors import AccountsError, LinkUnusable
from accounts.models import Invitation, Membership, User
from accounts.queries import invitations_pending_for

from ..factories import OrganisationFactory, UserFactory
from ..links import opened

NEW_PASSWORD = "a-long-unusual-phrase-42"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://syslead.test"
    settings.INVITATION_DAYS = 14


@pytest.fixture
def school_org(home_school):
    return OrganisationFactory(
        kind=OrganisationKind.SCHOOL,
        name=home_school.name,
        school=home_school,
        local_authority=home_school.local_authority,
    )


@pytest.fixture
def head(school_org):
    from ..factories import MembershipFactory

    return MembershipFactory(
        user=UserFactory(email="head@home.example.org", full_name="Hana Head"),
        organisation=school_org,
        role=Role.HEADTEACHER,
    ).user


@pytest.fixture
def invite(school_org, head, django_capture_on_commit_callbacks):
    def make(email="new.teacher@home.example.org", role=Role.SCHOOL_LEADER):
        with django_capture_on_commit_callbacks(execute=True):
            return services.invite(email=email, organisation=school_org, role=role, invited_by=head)

    return make


def link_in(message) -> str:
    return re.search(r"https://syslead\.test(/accounts/invitations/[^\s]+/)", message.body).group(1)


def test_an_invitation_emails_a_signed_link_that_expires_in_invitation_days(invite, school_org):
    invitation = invite()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.teacher@home.example.org"]
    assert school_org.name in message.subject
    token = link_in(message).removeprefix("/accounts/invitations/").rstrip("/")
    assert services.invitation_from_token(token) == invitation
    assert invitation.expires_at.date() == (timezone.now() + datetime.timedelta(days=14)).date()


def test_a_new_person_sets_name_and_password_and_joins(
    client, invite, school_org, django_capture_on_commit_callbacks
):
    invite()
    link = opened(client, link_in(mail.outbox[0]))
    mail.outbox.clear()

    page = client.get(link)
    assert page.status_code == 200
    assert b"Create your account" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            link, {"full_name": "Nia New", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )

    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@home.example.org")
    assert user.full_name == "Nia New" and user.check_password(NEW_PASSWORD)
    assert Membership.objects.filter(user=user, organisation=school_org, role=Role.SCHOOL_LEADER).exists()
    assert client.get(reverse("accounts:you")).wsgi_request.user == user
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at
    assert [m.to for m in mail.outbox] == [["head@home.example.org"]]  # the inviter is told


def test_the_password_rules_apply_with_the_message_on_the_field(client, invite):
    invite()
    link = opened(client, link_in(mail.outbox[0]))

    response = client.post(link, {"full_name": "Nia New", "new_password1": "short", "new_password2": "short"})

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert "new_password1" in response.context["form"].errors
    assert not User.objects.filter(email="new.teacher@home.example.org").exists()


def test_a_used_link_says_so_and_whom_to_ask(client, invite):
    invite()
    emailed = link_in(mail.outbox[0])
    link = opened(client, emailed)
    client.post(link, {"full_name": "Nia New", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()

    response = client.get(opened(client, emailed))

    assert response.status_code == 410
    assert b"already been used" in response.content
    assert b"head@home.example.org" in response.content


def test_an_expired_link_says_so_and_whom_to_ask(client, invite, settings):
    invite()
    link = opened(client, link_in(mail.outbox[0]))
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.get(link)

    assert response.status_code == 410
    assert b"expired" in response.content
    assert b"Hana Head" in response.content


def test_a_link_older_than_invitation_days_is_expired_even_if_the_row_says_otherwise(invite, settings):
    invitation = invite()
    token = services.invitation_token(invitation)
    settings.INVITATION_DAYS = 0

    with pytest.raises(LinkUnusable, match="expired"):
        services.invitation_from_token(token)


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-2] + "xx", lambda t: "nonsense", lambda t: t.replace(":", "9:", 1)]
)
def test_a_tampered_link_says_it_is_not_valid(client, invite, tamper):
    invitation = invite()
    token = tamper(services.invitation_token(invitation))

    response = client.get(reverse("accounts:invitation-link", kwargs={"token": token}), follow=True)

    assert response.status_code == 404
    assert b"not valid" in response.content


def test_a_link_signed_for_another_purpose_is_refused(invite):
    invitation = invite()
    token = signing.TimestampSigner(salt="accounts.access-request").sign(str(invitation.pk))

    with pytest.raises(LinkUnusable, match="not valid"):
        services.invitation_from_token(token)


def test_someone_with_an_account_signs_in_then_accepts(client, invite, school_org):
    existing = UserFactory(email="new.teacher@home.example.org")
    invite()
    link = opened(client, link_in(mail.outbox[0]))

    signed_out = client.get(link)
    assert b"Sign in to accept" in signed_out.content
    assert f"next={link}" in signed_out.context["sign_in_url"]

    client.force_login(existing)
    assert b"Accept and join" in client.get(link).content
    response = client.post(link)

    assert response.status_code == 302
    assert Membership.objects.filter(user=existing, organisation=school_org, role=Role.SCHOOL_LEADER).exists()


def test_a_signed_in_person_with_another_email_cannot_accept(client, invite, outsider):
    invite()
    link = opened(client, link_in(mail.outbox[0]))
    client.force_login(outsider)

    assert b"but you are signed in as" in client.get(link).content
    response = client.post(link)

    assert response.status_code == 200
    assert not outsider.memberships.exists()
    assert Invitation.objects.get().accepted_at is None


def test_accepting_twice_makes_one_membership(client, invite, school_org):
    existing = UserFactory(email="new.teacher@home.example.org")
    invite()
    link = opened(client, link_in(mail.outbox[0]))
    client.force_login(existing)

    client.post(link)
    invitation = Invitation.objects.get()
    services.accept_invitation(invitation, user=existing)

    assert Membership.objects.filter(user=existing, organisation=school_org).count() == 1


def test_a_double_submitted_new_account_makes_one_user_and_one_membership(client, invite, school_org):
    invite()
    emailed = link_in(mail.outbox[0])
    link = opened(client, emailed)
    data = {"full_name": "Nia New", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    first = client.post(link, data)
    client.logout()
    second = client.post(opened(client, emailed), data)

    assert first.status_code == 302 and second.status_code == 410
    assert User.objects.filter(email="new.teacher@home.example.org").count() == 1
    assert (
        Membership.objects.filter(organisation=school_org, user__email="new.teacher@home.example.org").count()
        == 1
    )


def test_inviting_the_same_person_twice_resends_the_one_invitation(invite):
    first = invite()
    second = invite(email="NEW.teacher@home.example.org ")

    assert first.pk == second.pk
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 2


def test_a_different_role_is_a_different_invitation(invite):
    invite(role=Role.SCHOOL_LEADER)
    invite(role=Role.COMMISSIONER)

    assert Invitation.objects.count() == 2


def test_a_role_the_organisation_kind_does_not_allow_is_refused(invite):
    with pytest.raises(AccountsError, match="cannot belong"):
        invite(role=Role.LA_OFFICER)


def test_someone_who_already_has_the_role_is_not_invited(invite, head):
    with pytest.raises(AccountsError, match="already"):
        invite(email=head.email, role=Role.HEADTEACHER)


def test_the_database_refuses_two_pending_invitations_for_the_same_thing(invite):
    from django.db import IntegrityError, transaction

    invitation = invite()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            email=invitation.email,
            organisation=invitation.organisation,
            role=invitation.role,
            sent_at=timezone.now(),
            expires_at=timezone.now(),
        )


def test_the_head_resends_a_pending_invitation_from_the_people_page(
    client, invite, head, school_org, django_capture_on_commit_callbacks
):
    invitation = invite()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    mail.outbox.clear()
    client.force_login(head)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:invitation-resend", args=[school_org.pk, invitation.pk]))

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert not invitation.is_expired
    assert client.get(opened(client, link_in(mail.outbox[0]))).status_code == 200


def test_the_head_cancels_after_a_confirmation_page_and_the_link_stops_working(
    client, invite, head, school_org
):
    invitation = invite()
    emailed = link_in(mail.outbox[0])
    client.force_login(head)
    url = reverse("accounts:invitation-cancel", args=[school_org.pk, invitation.pk])

    assert b"Cancel the invitation" in client.get(url).content
    client.post(url)
    client.logout()

    invitation.refresh_from_db()
    assert invitation.cancelled_at and invitation.cancelled_by == head
    response = client.get(opened(client, emailed))
    assert response.status_code == 410 and b"cancelled" in response.content


def test_after_cancelling_the_same_invitation_can_be_made_again(invite, head):
    invitation = invite()
    services.cancel_invitation(invitation, actor=head)

    again = invite()

    assert again.pk != invitation.pk


def test_an_outsider_cannot_resend_or_cancel(client, invite, school_org, outsider):
    invitation = invite()
    client.force_login(outsider)

    assert (
        client.post(reverse("accounts:invitation-resend", args=[school_org.pk, invitation.pk])).status_code
        == 403
    )
    assert (
        client.post(reverse("accounts:invitation-cancel", args=[school_org.pk, invitation.pk])).status_code
        == 403
    )


def test_invitations_pending_for_lists_usable_invitations_to_the_users_email(
    invite, django_assert_num_queries
):
    person = UserFactory(email="new.teacher@home.example.org")
    usable = invite()
    expired = invite(role=Role.COMMISSIONER)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    invite(email="someone.else@home.example.org")

    with django_assert_num_queries(1):
        found = [(i.pk, i.organisation.name, i.invited_by.email) for i in invitations_pending_for(person)]

    assert [pk for pk, *_ in found] == [usable.pk]
