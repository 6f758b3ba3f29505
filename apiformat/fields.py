"""Serializer fields whose schema says all that the API checks, so a request the schema allows is
never refused for a reason the schema does not give."""

from __future__ import annotations

from django.core.validators import RegexValidator
from rest_framework import serializers

#: Something besides spaces, as a JSON Schema ``pattern`` (a search, like RegexValidator's).
NOT_ONLY_SPACES = r"\S"


def required_text(message: str, **kwargs) -> serializers.CharField:
    """Text that must say something: missing, blank or only spaces is refused with ``message`` (the
    domain's words, e.g. "Give the reason for rejecting the claim."). The schema gives it
    ``minLength: 1`` and the pattern ``\\S``; spaces around it are trimmed."""
    return serializers.CharField(
        allow_blank=False,
        validators=[RegexValidator(NOT_ONLY_SPACES, message=message)],
        error_messages={"blank": message, "required": message},
        **kwargs,
    )
