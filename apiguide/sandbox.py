"""The partner sandbox's clock: with ``SANDBOX_MODE`` on, an API request may send
``X-With-Server-Date`` and runs as if it were then, so a partner can see a deployment's review fall
due or a claim go overdue without waiting for it.

The value is a date (``2027-03-01``: that day at the present time of day in the service's time zone)
or a date and time (``2027-03-01T09:00:00Z``; without an offset it is the service's time zone), from
``EARLIEST`` to ``LATEST``. The clock keeps ticking from there for the length of the request.

``time_machine`` moves the clock of the whole process, so the sandbox runs with workers that serve
one request at a time (gunicorn's sync workers, or ``runserver --nothreading``). With the setting
off the header is refused with a 400, so a client that forgot it is told rather than silently
served today's answers.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from apiformat.problems import is_api_request, problem_json_response

HEADER = "X-With-Server-Date"
META_KEY = "HTTP_X_WITH_SERVER_DATE"
# Answers to a request that moved the clock say where it was moved to.
ECHO_HEADER = "X-Server-Date"
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)

MALFORMED_MESSAGE = (
    f"Give {HEADER} as a date (2027-03-01) or a date and time (2027-03-01T09:00:00Z), "
    f"from {EARLIEST:%Y} to {LATEST:%Y}."
)
SANDBOX_ONLY_MESSAGE = (
    f"{HEADER} is accepted only by the partner sandbox: leave it out of requests to this service."
)


class MalformedServerDate(ValueError):
    pass


def parse_server_date(value: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """The aware moment ``value`` names. A date alone keeps the time of day of ``now`` (in the
    service's time zone). Raises MalformedServerDate for anything else or out of range."""
    value = value.strip()
    try:
        moment = parse_datetime(value) if "T" in value or " " in value else None
        day = None if moment else parse_date(value)
    except ValueError as error:  # well formed but impossible, such as 2027-02-30
        raise MalformedServerDate(value) from error
    if moment is None and day is None:
        raise MalformedServerDate(value)
    local_now = timezone.localtime(now or timezone.now())
    if moment is None:
        moment = dt.datetime.combine(day, local_now.timetz().replace(tzinfo=None))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if not EARLIEST <= moment.date() <= LATEST:
        raise MalformedServerDate(value)
    return moment


class ServerDateMiddleware:
    """Runs an API request that sends ``X-With-Server-Date`` at that moment (sandbox only)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        value = request.META.get(META_KEY)
        if value is None or not is_api_request(request):
            return self.get_response(request)
        if not settings.SANDBOX_MODE:
            return problem_json_response(400, "sandbox_only", SANDBOX_ONLY_MESSAGE)
        try:
            moment = parse_server_date(value)
        except MalformedServerDate:
            return problem_json_response(400, "invalid", MALFORMED_MESSAGE)
        with time_machine.travel(moment, tick=True):
            response = self.get_response(request)
        response.headers[ECHO_HEADER] = moment.isoformat()
        return response
