"""The API's changelog, newest first: what partners see change, dated as it was released.

Each change is one of ``KINDS``; a deprecation's entry names the same thing as its entry in
apiguide/deprecations.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.text import slugify

KINDS = {"added": "Added", "changed": "Changed", "deprecated": "Deprecated", "fixed": "Fixed"}


@dataclass(frozen=True)
class Change:
    kind: str
    text: str

    @property
    def label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class Entry:
    released_on: dt.date
    title: str
    changes: tuple[Change, ...]

    @property
    def anchor(self) -> str:
        return f"{self.released_on:%Y-%m-%d}-{slugify(self.title)}"


CHANGELOG: tuple[Entry, ...] = (
    Entry(dt.date(2026, 12, 2), "Guidance, sandbox and deprecation headers", (
        Change("added", "These guidance pages, with a worked example for every resource."),
        Change("added", "The partner sandbox: with the sandbox's tokens, X-With-Server-Date runs a request "
               "as if it were another date. Elsewhere the header is refused with a 400."),
        Change("added", "Deprecation, Sunset and Link headers on the answers of deprecated operations and "
               "parameters (see the versioning policy)."),
        Change("deprecated", "GET /api/v1/deployment-transitions/ (use the change feed) and the "
               "changed_since parameter of deployments and claims (use updated_since): both work until "
               "31 December 2027."),
    )),
    Entry(dt.date(2026, 12, 2), "Keeping a copy in sync", (
        Change("added", "GET /api/v1/events/?since=: the change feed of every creation and change of state "
               "you may see, in commit order."),
        Change("added", "Webhooks (/api/v1/webhooks/), signed per Standard Webhooks, with a delivery log "
               "and a test event."),
        Change("added", "created_at and updated_at on every resource; updated_since and sort on every list."),
        Change("added", "GET /api/v1/ lists every resource; GET /api/v1/me/ says what your token may "
               "commission and broker; GET /api/v1/organisations/ finds brokers' and commissioners' ids."),
        Change("added", "Idempotency-Key on POST; ETag and 304 Not Modified on GET; RateLimit headers on "
               "every answer; Location on every 201."),
        Change("added", "Tokens may have an expiry date; an expired token is a 401 that says so."),
        Change("changed", "Every error is RFC 9457 problem details (application/problem+json), unknown "
               "paths and server errors included."),
        Change("changed", "An unknown or malformed query parameter is a 400 naming it, never an unfiltered "
               "list; an empty date, an offset beyond ±15:59 or a range given backwards is a 400."),
        Change("changed", "Paths answer with or without their trailing slash: nothing under /api/ "
               "redirects."),
        Change("changed", "A teaching school's token lists its alliance partners among its schools."),
        Change("changed", "A second waiting support request for the same school and designation type is "
               "refused with a 409 naming the first."),
    )),
    Entry(dt.date(2026, 12, 1), "Claims and money", (
        Change("added", "Claims: read claims, claim a period (with costs and their evidence as "
               "multipart/form-data), and the commissioner's approve, request-information, reject and pay."),
        Change("added", "Candidates and excluded candidates of a support request, a page at a time."),
        Change("changed", "Every amount is a decimal string; candidates' scores and distances are rounded."),
        Change("changed", "Schools leave out closed establishments unless include_closed=true or a status "
               "is given."),
    )),
    Entry(dt.date(2026, 11, 22), "Version 1", (
        Change("added", "Organisation tokens (Authorization: Token <key>)."),
        Change("added", "Schools, designation types, rounds, designations and applications (with their "
               "transitions)."),
        Change("added", "Support requests and deployments, with the broker's changes of state."),
    )),
)
