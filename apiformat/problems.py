"""Every API error as RFC 9457 problem details, whichever part of the stack refused the request:

    {"type": "about:blank", "title": "Bad request", "status": 400, "detail": "<one sentence>",
     "errors": [{"code": "required", "message": "This field is required.", "field": "title"}]}

served as ``application/problem+json``. ``field`` is dotted for nested data (``costs.0.days``) and
null for the request as a whole. A 409 adds ``state``, the record's current state."""

from __future__ import annotations

from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PATH_PREFIX = "/api/"
NON_FIELD_KEYS = frozenset({"non_field_errors", "__all__", "detail"})
NOT_FOUND_MESSAGE = "There is no such record, or you may not see it."


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PATH_PREFIX)


def title_of(status: int) -> str:
    """The status's reason phrase in sentence case: "Bad request", "Too many requests"."""
    return HTTPStatus(status).phrase.capitalize()


def problem_error(code: str, message: str, field: str | None = None) -> dict:
    return {"code": code, "message": str(message), "field": field}


def problem_body(status: int, errors: list[dict], *, detail: str = "", **extra) -> dict:
    """The problem document for ``status``; ``detail`` defaults to a summary of ``errors``."""
    return {
        "type": "about:blank",
        "title": title_of(status),
        "status": status,
        "detail": detail or summary_of(errors, status),
        "errors": errors,
        **extra,
    }


def summary_of(errors: list[dict], status: int) -> str:
    if len(errors) == 1:
        return errors[0]["message"]
    if errors:
        return f"The request has {len(errors)} errors: each is listed in errors."
    return title_of(status) + "."


def flatten_errors(detail, code: str, field: str | None = None) -> list[dict]:
    """DRF's nested error detail (dicts of lists of ``ErrorDetail``) as a flat list of errors, each
    on its dotted field (``objectives.0.title``)."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            name = field if key in NON_FIELD_KEYS else _join(field, key)
            errors.extend(flatten_errors(value, code, name))
        return errors
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [problem_error(getattr(item, "code", None) or code, item, field) for item in detail]
        errors = []
        for index, item in enumerate(detail):
            errors.extend(flatten_errors(item, code, _join(field, str(index))))
        return errors
    return [problem_error(getattr(detail, "code", None) or code, detail, field)]


def _join(prefix: str | None, name) -> str:
    return f"{prefix}.{name}" if prefix else str(name)


def problem_exception_handler(exc, context) -> Response | None:
    """DRF's EXCEPTION_HANDLER: DRF's handling (its statuses, Retry-After, WWW-Authenticate), with
    the body as problem details. Anything else propagates to the 500 handler (``server_error``)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND_MESSAGE)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None:
        return None
    response.data = problem_body(response.status_code, flatten_errors(exc.detail, exc.default_code))
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_json_response(status: int, code: str, message: str) -> JsonResponse:
    """A problem answered outside DRF (unrouted paths, uncaught exceptions) under /api/."""
    return JsonResponse(
        problem_body(status, [problem_error(code, message)]), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
