"""Error responses shared by every API view: described once for the OpenAPI schema, and a refused
domain action answered the same way whichever app refused it."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.response import Response

from refusals import Refusal


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True, help_text="Why the request was refused.")


_ERROR_RESPONSES = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Invalid query or data: each field name maps to a list of messages.",
    ),
    401: OpenApiResponse(ErrorSerializer, description="No token, or an invalid or revoked token."),
    403: OpenApiResponse(ErrorSerializer, description="Authenticated but not allowed."),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not visible to this caller."),
    429: OpenApiResponse(
        ErrorSerializer, description="Too many requests for this token; see the Retry-After header."
    ),
}


def error_responses(*status_codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses for the given status codes, for ``extend_schema``."""
    return {code: _ERROR_RESPONSES[code] for code in status_codes}


def refusal_body(refusal: Refusal) -> dict[str, list[str]]:
    """A refused action as the API's field errors: its message under the field at fault."""
    return {refusal.field or "non_field_errors": [refusal.message]}


def refusal_response(refusal: Refusal) -> Response:
    """A refused action answered with the status it carries (400 bad data, 403 not independent,
    409 not from this state) and its message on the field at fault."""
    return Response(refusal_body(refusal), status=refusal.http_status)
