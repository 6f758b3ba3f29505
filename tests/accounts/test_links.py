"""Emailed links move their token into the session and redirect to a URL without it, so no token
reaches an access log, a Referer header or Django's own log of refused pages."""

import datetime
import logging

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services
from accounts.choices import Role
from accounts.models import Invitation

from ..factories import OrganisationFactory, UserFactory


@pytest.fixture
def invitation_token(db):
    organisation = OrganisationFactory()
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=organisation, email="new@example.org", full_name="Nia New", role=Role.SCHOOL_LEADER,
        invited_by=UserFactory(), sent_at=now, expires_at=now + datetime.timedelta(days=14),
    )
    return services.invitation_token(invitation)


def _set_password_token():
    user = UserFactory(email="leader@example.org")
    user.set_unusable_password()
    user.save()
    return services.set_password_token(user)


LINKS = {
    "invitation": ("accounts:invitation-link", "accounts:invitation"),
    "set-password": ("accounts:set-password-link", "accounts:set-password"),
    "access-request": ("accounts:request-access-confirm-link", "accounts:request-access-confirm"),
}


@pytest.mark.parametrize("kind", LINKS)
def test_an_emailed_link_redirects_to_a_url_without_its_token(client, db, kind, caplog):
    token = "a-signed-token-" + kind
    tokened, clean = LINKS[kind]

    with caplog.at_level(logging.DEBUG):
        response = client.get(reverse(tokened, kwargs={"token": token}))
        page = client.get(response.url)

    assert response.status_code == 302
    assert response.url == reverse(clean)
    assert token not in response.url
    # The token is not valid, and Django logs the refused page by its path: without the token.
    assert page.status_code == 404
    assert token not in caplog.text


def test_the_invitation_page_reads_the_token_from_the_session(client, invitation_token):
    link = reverse("accounts:invitation-link", kwargs={"token": invitation_token})

    response = client.get(link, follow=True)

    assert response.status_code == 200
    assert "Nia New" in response.content.decode()


def test_the_set_password_page_reads_the_token_from_the_session(client, db):
    response = client.get(reverse("accounts:set-password-link", kwargs={"token": _set_password_token()}))

    assert client.get(response.url).status_code == 200


def test_the_password_reset_link_moves_its_token_into_the_session(client, db):
    user = UserFactory()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)

    response = client.get(reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token}))

    assert response.status_code == 302
    assert token not in response.url
    assert client.get(response.url).status_code == 200
