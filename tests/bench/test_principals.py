"""The benchmark signs its principals in by writing sessions, and calls the API with an issued token."""

import pytest
from django.urls import reverse

from accounts.models import ApiToken
from bench.principals import ANONYMOUS, api_token_for, national_body_of, sign_in, sign_out
from bench.queries import RequestFailed, client_for, count_queries

pytestmark = pytest.mark.django_db


def test_a_written_session_signs_the_user_in(national_admin):
    client, headers = client_for(sign_in(national_admin))

    response = client.get(reverse("signed-in"), headers=headers)

    assert response.status_code == 200
    assert response.wsgi_request.user == national_admin
    assert "You are signed in" in response.text


def test_the_signed_in_page_needs_a_session():
    client, headers = client_for(ANONYMOUS)

    assert client.get(reverse("signed-in"), headers=headers).status_code == 302


def test_the_trivial_floor_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("livez"))

    assert response.status_code == 200
    assert response.text == "ok"
    assert "sessionid" not in response.cookies


def test_the_token_is_issued_to_the_admins_national_body_and_reads_the_api(national_admin, national_body):
    credentials = api_token_for(national_body_of(national_admin))

    assert ApiToken.objects.get().organisation == national_body
    assert count_queries(reverse("schools-api:school-list"), credentials) > 0


def test_the_query_count_is_refused_for_a_request_that_does_not_answer(outsider):
    with pytest.raises(RequestFailed, match="answered 403"):
        count_queries(reverse("dashboard:index"), sign_in(outsider))


def test_signing_out_ends_the_session_and_revokes_the_token(national_admin):
    session, token = sign_in(national_admin), api_token_for(national_body_of(national_admin))

    sign_out(session)
    sign_out(token)

    client, headers = client_for(session)
    assert client.get(reverse("signed-in"), headers=headers).status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
