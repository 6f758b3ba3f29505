"""``Idempotency-Key`` on API POSTs (draft-ietf-httpapi-idempotency-key-header).

The first request with a key runs and its response is stored; a repeat (same caller, key, method,
path and body) within 24 hours gets that response again, marked ``Idempotent-Replayed: true``. The
same key with another body is a 422; a repeat while the first is still running is a 409. Responses
that say nothing about the request itself (401, 403, 429, 5xx) are not kept, so a retry runs.
"""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from .models import KEY_MAX_LENGTH, IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("Content-Type", "Location")
NOT_KEPT_STATUSES = {401, 403, 409, 429}


def problem(status: int, title: str, detail: str, code: str) -> HttpResponse:
    """An RFC 9457 problem body, like the API's other errors."""
    body = {
        "type": "about:blank", "title": title, "status": status, "detail": detail,
        "errors": [{"code": code, "message": detail, "field": None}],
    }
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


def key_problem(key: str) -> str | None:
    if not 1 <= len(key) <= KEY_MAX_LENGTH:
        return f"The {HEADER} header must be 1 to {KEY_MAX_LENGTH} characters long."
    if not (key.isascii() and key.isprintable()):
        return f"The {HEADER} header must be printable ASCII, such as a UUID."
    return None


def owner_of(request: HttpRequest) -> str | None:
    """Whose key this is, before the API's own authentication runs: the token key's digest (or a
    signed-in person). None for neither: the API refuses the request anyway."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "credential:" + hashlib.sha256(authorization.encode()).hexdigest()[:64]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def replay(stored: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(stored.response_body), status=stored.response_status)
    for name, value in stored.response_headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


class IdempotencyKeyMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        refused = key_problem(key)
        if refused:
            return problem(400, "Invalid Idempotency-Key", refused, "invalid_idempotency_key")
        owner = owner_of(request)
        if owner is None:
            return self.get_response(request)
        return self._once(request, owner, key)

    def _once(self, request: HttpRequest, owner: str, key: str) -> HttpResponse:
        digest = hashlib.sha256(request.body).hexdigest()
        record = self._claim(owner, key, request, digest)
        if not isinstance(record, IdempotentRequest):
            return record
        try:
            response = self.get_response(request)
        except Exception:
            record.delete()
            raise
        self._keep(record, response)
        return response

    def _claim(self, owner: str, key: str, request: HttpRequest, digest: str):
        """The new row for this key, or the response to give instead of running the request."""
        for _attempt in range(2):
            try:
                with transaction.atomic():
                    return IdempotentRequest.objects.create(
                        owner=owner, key=key, method=request.method, path=request.path, body_digest=digest,
                    )
            except IntegrityError:
                existing = IdempotentRequest.objects.filter(owner=owner, key=key).first()
            if existing is None:
                continue
            if existing.has_expired:
                existing.delete()
                continue
            return self._answer_repeat(existing, request, digest)
        return problem(
            409, "Request in progress", "A request with this Idempotency-Key is in progress: retry later.",
            "idempotency_key_in_progress",
        )

    @staticmethod
    def _answer_repeat(existing: IdempotentRequest, request: HttpRequest, digest: str) -> HttpResponse:
        if (existing.method, existing.path, existing.body_digest) != (request.method, request.path, digest):
            return problem(
                422, "Idempotency-Key reused",
                "This Idempotency-Key was used with a different request: use a new key for a new request.",
                "idempotency_key_reused",
            )
        if not existing.is_answered:
            return problem(
                409, "Request in progress",
                "A request with this Idempotency-Key is in progress: retry later.",
                "idempotency_key_in_progress",
            )
        return replay(existing)

    @staticmethod
    def _keep(record: IdempotentRequest, response: HttpResponse) -> None:
        if response.status_code >= 500 or response.status_code in NOT_KEPT_STATUSES or response.streaming:
            record.delete()
            return
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        record.response_status = response.status_code
        record.response_body = response.content
        record.response_headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        record.save(update_fields=["response_status", "response_body", "response_headers"])
