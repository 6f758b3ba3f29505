"""Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after signing in
whatever the activity."""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils import timezone

LAST_ACTIVITY = "accounts:last-activity"
SIGNED_IN_AT = "accounts:signed-in-at"
# Recording every request would write the session on each one: a minute's precision is enough, as
# pages tell the timeout warning the exact time left (accounts.context_processors.service).
ACTIVITY_PRECISION_SECONDS = 60


def idle_seconds_left(request) -> int:
    """Seconds until this session's idle end, as the server counts them."""
    idle = settings.SESSION_IDLE_MINUTES * 60
    last_activity = request.session.get(LAST_ACTIVITY)
    if last_activity is None:
        return idle
    return max(0, int(idle - (time.time() - last_activity)))


def idle_message(minutes: int) -> str:
    return f"You were signed out after {minutes} minutes without activity. Sign in again to continue."


def start_session_clock(request, **kwargs) -> None:
    """At sign-in (the user_logged_in signal, so the sign-in's own session save records it): the
    sign-in time, the first activity, and the session's absolute end. Saving the session (as each
    activity stamp does) would otherwise push its expiry back every time."""
    session = request.session
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_ACTIVITY] = now
    session.set_expiry(timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE))


class SessionTimeoutMiddleware:
    """Runs after the authentication and message middleware. An idle or too old session is ended
    and the person sent to sign in (with a message saying why, and a way back to the page); API
    calls carry on as anonymous and are refused by the API's own permissions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            ended = self._check(request)
            # The sign-in page itself (where the warning sends people at the end) and API calls
            # carry on as anonymous.
            if ended and not request.path.startswith(("/api/", resolve_url(settings.LOGIN_URL))):
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def _check(self, request) -> bool:
        session = request.session
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT)
        last_activity = session.get(LAST_ACTIVITY)
        idle_minutes = settings.SESSION_IDLE_MINUTES
        if last_activity is not None and now - last_activity > idle_minutes * 60:
            return self._end(request, idle_message(idle_minutes))
        if signed_in_at is not None and now - signed_in_at > settings.SESSION_COOKIE_AGE:
            hours = settings.SESSION_COOKIE_AGE // 3600
            return self._end(request, f"You were signed out {hours} hours after signing in. Sign in again.")
        if signed_in_at is None:  # a session from before this middleware
            start_session_clock(request)
            return False
        if last_activity is None or now - last_activity >= ACTIVITY_PRECISION_SECONDS:
            session[LAST_ACTIVITY] = now
        return False

    @staticmethod
    def _end(request, message: str) -> bool:
        logout(request)
        messages.info(request, message)
        return True
