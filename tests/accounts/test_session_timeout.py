"""A session ends after SESSION_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after signing
in however active; the sign-in page says why."""

import re
import time

import pytest
from django.urls import reverse

from accounts.middleware import LAST_ACTIVITY, SIGNED_IN_AT
from tests.factories import UserFactory

HOME = reverse("home")
SIGN_IN = reverse("accounts:sign-in")
KEEP_ALIVE = reverse("accounts:keep-alive")


@pytest.fixture
def signed_in(client, db):
    client.force_login(UserFactory(email="ada@example.org"))
    client.get(HOME)
    return client


def _age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_a_request_records_the_activity_and_the_sign_in(signed_in):
    assert abs(signed_in.session[LAST_ACTIVITY] - time.time()) < 5
    assert abs(signed_in.session[SIGNED_IN_AT] - time.time()) < 5


def test_a_session_idle_for_longer_than_the_limit_is_ended(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 30
    _age_session(signed_in, **{LAST_ACTIVITY: 31 * 60})

    response = signed_in.get(HOME)

    assert response.status_code == 302
    assert response.url == f"{SIGN_IN}?next={HOME}"
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response.url).content.decode()
    assert "You were signed out after 30 minutes without activity" in page


def test_a_session_used_within_the_idle_limit_carries_on(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 30
    _age_session(signed_in, **{LAST_ACTIVITY: 29 * 60})

    assert signed_in.get(HOME).status_code == 200
    assert abs(signed_in.session[LAST_ACTIVITY] - time.time()) < 5


def test_activity_does_not_stretch_the_absolute_limit(signed_in, settings):
    _age_session(signed_in, **{SIGNED_IN_AT: settings.SESSION_COOKIE_AGE + 60, LAST_ACTIVITY: 5})

    response = signed_in.get(HOME)

    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_the_session_expiry_is_fixed_at_sign_in_not_moved_by_each_request(signed_in, settings):
    first_expiry = signed_in.session.get_expiry_date()
    time.sleep(1.1)
    _age_session(signed_in, **{LAST_ACTIVITY: 60})

    signed_in.get(HOME)

    assert signed_in.session.get_expiry_date() == first_expiry


def test_an_idle_api_session_is_ended_and_refused_not_redirected(signed_in):
    _age_session(signed_in, **{LAST_ACTIVITY: 31 * 60})

    response = signed_in.get("/api/v1/schools/")

    assert response.status_code in {401, 403}
    assert "_auth_user_id" not in signed_in.session


def test_keep_alive_counts_as_activity(signed_in):
    _age_session(signed_in, **{LAST_ACTIVITY: 25 * 60})

    response = signed_in.post(KEEP_ALIVE)

    assert response.status_code == 204
    assert abs(signed_in.session[LAST_ACTIVITY] - time.time()) < 5


def test_keep_alive_after_the_end_does_not_bring_the_session_back(signed_in):
    _age_session(signed_in, **{LAST_ACTIVITY: 31 * 60})

    response = signed_in.post(KEEP_ALIVE)

    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_signed_in_pages_carry_the_timeout_warning_with_the_configured_times(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 20

    page = signed_in.get(HOME).content.decode()

    assert 'id="session-timeout-warning"' in page
    assert 'data-idle-minutes="20"' in page
    left = int(re.search(r'data-idle-seconds-left="(\d+)"', page)[1])
    assert 1190 <= left <= 1200


def test_pages_tell_the_warning_the_time_the_server_has_left(signed_in, settings):
    settings.SESSION_IDLE_MINUTES = 30
    _age_session(signed_in, **{LAST_ACTIVITY: 50})  # recorded 50 seconds ago, not rewritten yet

    page = signed_in.get(HOME).content.decode()

    left = int(re.search(r'data-idle-seconds-left="(\d+)"', page)[1])
    assert 30 * 60 - 55 <= left <= 30 * 60 - 50
    assert "js/session-timeout.js" in page


def test_signed_out_pages_have_no_timeout_warning(client, db):
    assert 'id="session-timeout-warning"' not in client.get(SIGN_IN).content.decode()
