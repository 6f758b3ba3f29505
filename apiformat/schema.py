"""The schema's error responses, added to every operation by a drf-spectacular postprocessing hook:

- 401, 403 and 429 on every authenticated operation;
- 404 on every operation with a path parameter or a page number;
- 400 wherever input is taken (query parameters or a body), 415 wherever a body is;
- 409 on state changes (a POST to ``.../{id}/<action>/``);

each as ``application/problem+json`` with the ``Problem`` component (``ConflictProblem`` for 409).
An operation's own description of a status (``error_responses``) is kept. The same hook gives every
date-time query parameter the pattern of the offsets the API takes."""

from __future__ import annotations

import re

from .problems import PROBLEM_CONTENT_TYPE
from .responses import ERROR_DESCRIPTIONS

PROBLEM_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {
            "type": "string",
            "description": "A machine code, e.g. required, invalid, blank, does_not_exist, not_found, "
            "permission_denied, not_authenticated, authentication_failed, conflict, throttled.",
        },
        "message": {"type": "string", "description": "For a person to read."},
        "field": {
            "type": "string",
            "nullable": True,
            "description": "The field or parameter at fault, dotted for nested data (costs.0.days); "
            "null for the request as a whole.",
        },
    },
    "required": ["code", "message", "field"],
}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details, served as application/problem+json.",
    "properties": {
        "type": {"type": "string", "description": "about:blank: the status says what happened."},
        "title": {"type": "string", "description": "The status's name, e.g. Bad request."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "A one-sentence summary."},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemError"}},
    },
    "required": ["type", "title", "status", "detail", "errors"],
}
CONFLICT_PROBLEM_SCHEMA = {
    "allOf": [
        {"$ref": "#/components/schemas/Problem"},
        {
            "type": "object",
            "properties": {"state": {"type": "string", "description": "The record's current state."}},
            "required": ["state"],
        },
    ]
}
STATE_CHANGE_PATH = re.compile(r"\{[^}]+\}/[a-z-]+/?$")
#: A date-time parameter's offset, as the API takes it: Z, or at most ±15:59 (PostgreSQL's limit;
#: RFC 3339 allows ±23:59). apiformat.filters refuses the rest with a 400.
DATE_TIME_OFFSET_PATTERN = r"(Z|z|[+-](0[0-9]|1[0-5]):[0-5][0-9])$"
METHODS = ("get", "put", "patch", "post", "delete")


def add_error_responses(result: dict, generator, request, public) -> dict:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ProblemError"] = PROBLEM_ERROR_SCHEMA
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["ConflictProblem"] = CONFLICT_PROBLEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method in METHODS:
                _document_errors(path, method, operation)
                _bound_date_time_offsets(operation)
    return result


def _bound_date_time_offsets(operation: dict) -> None:
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "query" and schema.get("format") == "date-time":
            schema.setdefault("pattern", DATE_TIME_OFFSET_PATTERN)
            description = parameter.get("description", "")
            note = "The time-zone offset is Z or between -15:59 and +15:59."
            parameter["description"] = f"{description} {note}".strip()


def _document_errors(path: str, method: str, operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    for status in expected_error_statuses(path, method, operation):
        responses.setdefault(str(status), {"description": ERROR_DESCRIPTIONS[status]})
    for status, response in responses.items():
        if status.isdigit() and int(status) >= 400:
            component = "ConflictProblem" if status == "409" else "Problem"
            schema = {"$ref": f"#/components/schemas/{component}"}
            response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": schema}}


def expected_error_statuses(path: str, method: str, operation: dict) -> list[int]:
    parameters = operation.get("parameters", [])
    statuses = []
    if any(p.get("in") == "query" for p in parameters) or "requestBody" in operation:
        statuses.append(400)
    if operation.get("security") != [{}]:
        statuses += [401, 403]
    if "{" in path or any(p.get("name") == "page" for p in parameters):
        statuses.append(404)
    if method == "post" and STATE_CHANGE_PATH.search(path):
        statuses.append(409)
    if "requestBody" in operation:
        statuses.append(415)
    statuses.append(429)
    return statuses
