"""Error responses shared by every API view, described once for the OpenAPI schema."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


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
