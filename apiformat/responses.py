"""Error responses shared by every API view: described once for the OpenAPI schema, and a refused
domain action answered the same way whichever app refused it (as problem details, see problems)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.response import Response

from refusals import Refusal

from .problems import PROBLEM_CONTENT_TYPE, problem_body, problem_error

#: What each error status means, whichever operation answers it. The schema's postprocessing hook
#: (apiformat.schema) gives every error response the problem schema.
ERROR_DESCRIPTIONS = {
    400: "Invalid query or data, or refused by a rule: each error names its field.",
    401: "No token, or an invalid or revoked token.",
    403: "Authenticated but not allowed.",
    404: "Not found, not visible to this caller, or a page number beyond the last page.",
    409: "The record's current state (given as `state`) does not allow this change.",
    415: "The request body's content type is not accepted.",
    429: "Too many requests for this token; see the Retry-After header.",
}

#: The Location header of a 201, for ``extend_schema(parameters=...)``.
LOCATION_HEADER = OpenApiParameter(
    "Location", OpenApiTypes.URI, location=OpenApiParameter.HEADER, response=[201],
    description="The URL of the record created.",
)


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses for the given status codes, for ``extend_schema``."""
    return {c: OpenApiResponse(OpenApiTypes.OBJECT, description=ERROR_DESCRIPTIONS[c]) for c in codes}


REFUSAL_CODES = {403: "permission_denied", 409: "conflict"}


def refusal_body(refusal: Refusal, **extra) -> dict:
    """A refused action as problem details: its message on the field at fault."""
    code = REFUSAL_CODES.get(refusal.http_status, "invalid")
    return problem_body(refusal.http_status, [problem_error(code, refusal.message, refusal.field)], **extra)


def refusal_response(refusal: Refusal, *, state: str | None = None) -> Response:
    """A refused action answered with the status it carries (400 bad data, 403 not independent,
    409 not from this state, then with the record's current ``state``) and its message on the
    field at fault."""
    extra = {"state": state} if state is not None else {}
    return Response(
        refusal_body(refusal, **extra), status=refusal.http_status, content_type=PROBLEM_CONTENT_TYPE
    )
