"""Deprecated operations and query parameters, and the headers that announce them.

An answer from a deprecated operation (or to a request that uses a deprecated parameter) carries:

- ``Deprecation: @<Unix time>`` – when it was deprecated (RFC 9745);
- ``Sunset: <HTTP date>`` – after which it may stop working (RFC 8594);
- ``Link: <guidance>; rel="deprecation"; type="text/html"`` – where the guidance says what to use
  instead (and a ``rel="sunset"`` link to the same place).

The versioning policy (templates/apiguide/versioning.html) lists each entry of ``DEPRECATIONS``; a
new one is added here with its changelog entry (apiguide/changelog.py).
"""

from __future__ import annotations

import datetime as dt
from calendar import timegm
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import http_date

from apiformat.problems import is_api_request


@dataclass(frozen=True)
class Deprecation:
    """One deprecated operation (``url_name``, any of ``methods``) or, with ``parameter``, one
    deprecated query parameter of it. ``slug`` anchors its entry on the versioning page."""

    slug: str
    url_name: str
    methods: frozenset[str]
    deprecated_on: dt.date
    sunset_on: dt.date
    use_instead: str
    parameter: str = ""

    @property
    def what(self) -> str:
        operation = f"{'/'.join(sorted(self.methods))} {self.path}"
        return f"the {self.parameter} parameter of {operation}" if self.parameter else operation

    @property
    def path(self) -> str:
        return reverse(self.url_name)

    def applies_to(self, request: HttpRequest) -> bool:
        match = request.resolver_match
        if match is None or request.method not in self.methods:
            return False
        if self.parameter and self.parameter not in request.GET:
            return False
        try:
            path = reverse(self.url_name, kwargs=match.kwargs)
        except NoReverseMatch:
            return False
        # Each path also answers without its trailing slash (apiformat.routers).
        return request.path.rstrip("/") == path.rstrip("/")

    def headers(self, guidance_url: str) -> dict[str, str]:
        deprecated_at = timegm(self.deprecated_on.timetuple())
        sunset_at = timegm(self.sunset_on.timetuple())
        return {
            "Deprecation": f"@{deprecated_at}",
            "Sunset": http_date(sunset_at),
            "Link": f'<{guidance_url}>; rel="deprecation"; type="text/html", '
            f'<{guidance_url}>; rel="sunset"; type="text/html"',
        }


# Announced with the change feed and updated_since (changelog, December 2026); a year's notice.
DEPRECATIONS: tuple[Deprecation, ...] = (
    Deprecation(
        slug="deployment-transitions-feed",
        url_name="deployments-api:deployment-transition-list",
        methods=frozenset({"GET"}),
        deprecated_on=dt.date(2026, 12, 2),
        sunset_on=dt.date(2027, 12, 31),
        use_instead="the change feed, GET /api/v1/events/?since=, whose deployment.created and "
        "deployment.state_changed events include every proposal and change of state in commit order",
    ),
    Deprecation(
        slug="deployments-changed-since",
        url_name="deployments-api:deployment-list",
        methods=frozenset({"GET"}),
        parameter="changed_since",
        deprecated_on=dt.date(2026, 12, 2),
        sunset_on=dt.date(2027, 12, 31),
        use_instead="updated_since with sort=updated_at, which every list takes",
    ),
    Deprecation(
        slug="claims-changed-since",
        url_name="funding-api:claim-list",
        methods=frozenset({"GET"}),
        parameter="changed_since",
        deprecated_on=dt.date(2026, 12, 2),
        sunset_on=dt.date(2027, 12, 31),
        use_instead="updated_since with sort=updated_at, which every list takes",
    ),
)


def deprecations() -> tuple[Deprecation, ...]:
    """The registry in force (``API_DEPRECATIONS`` in settings replaces it, for tests)."""
    return getattr(settings, "API_DEPRECATIONS", DEPRECATIONS)


def guidance_url(request: HttpRequest, deprecation: Deprecation) -> str:
    return request.build_absolute_uri(reverse("apiguide:versioning") + f"#{deprecation.slug}")


class DeprecationHeadersMiddleware:
    """Adds the headers of the first deprecation that applies to an API request to its answer."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_request(request):
            return response
        deprecation = next((d for d in deprecations() if d.applies_to(request)), None)
        if deprecation is not None:
            for name, value in deprecation.headers(guidance_url(request, deprecation)).items():
                existing = response.headers.get(name)
                response.headers[name] = f"{existing}, {value}" if existing and name == "Link" else value
        return response


def mark_deprecated_in_schema(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: ``deprecated: true`` on each deprecated operation, or on
    the deprecated parameter of it."""
    for deprecation in deprecations():
        item = result["paths"].get(deprecation.path, {})
        for method in deprecation.methods:
            operation = item.get(method.lower())
            if operation is None:
                continue
            if not deprecation.parameter:
                operation["deprecated"] = True
                continue
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") == "query" and parameter["name"] == deprecation.parameter:
                    parameter["deprecated"] = True
    return result
