"""A token may be given an expiry, from now to two years ahead; after it the token is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.apiclients import error_messages

pytestmark = pytest.mark.django_db

SCHOOLS_URL = reverse("schools-api:school-list")


def client_with(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_before_its_expiry_is_accepted(home_la_org):
    _, key = ApiToken.issue(
        organisation=home_la_org, name="Sync", expires_at=timezone.now() + datetime.timedelta(days=1)
    )

    assert client_with(key).get(SCHOOLS_URL).status_code == 200


def test_an_expired_token_is_refused_saying_it_expired(home_la_org):
    token, key = ApiToken.issue(
        organisation=home_la_org, name="Sync", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client_with(key).get(SCHOOLS_URL)

    assert response.status_code == 401
    assert "expired" in error_messages(response)[0]
    assert ApiToken.objects.get(pk=token.pk).status == "expired"


@pytest.mark.parametrize(
    "offset", [datetime.timedelta(minutes=-1), datetime.timedelta(days=732)], ids=["past", "too far"]
)
def test_an_expiry_out_of_range_is_refused_on_the_field(home_la_org, offset):
    with pytest.raises(ValidationError) as refused:
        ApiToken.issue(organisation=home_la_org, name="Sync", expires_at=timezone.now() + offset)

    assert "expires_at" in refused.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_token_without_expiry_never_expires(home_la_org):
    token, _ = ApiToken.issue(organisation=home_la_org, name="Sync")

    assert token.status == "active"
    assert ApiToken.objects.unexpired().filter(pk=token.pk).exists()
