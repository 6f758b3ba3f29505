"""Look-ups shared by the API token commands, refusing anything ambiguous."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import Q

from accounts.models import ApiToken, Organisation


def find_organisation(name_or_id: str) -> Organisation:
    """The organisation with this id or (case-insensitively) this exact name."""
    value = name_or_id.strip()
    condition = Q(name__iexact=value)
    if value.isascii() and value.isdigit():
        condition |= Q(pk=int(value))
    matches = list(Organisation.objects.filter(condition))
    if not matches:
        raise CommandError(f"No organisation has the name or id “{value}”.")
    if len(matches) > 1:
        listed = "; ".join(f"{o.pk}: {o.name} ({o.get_kind_display()})" for o in matches)
        raise CommandError(f"“{value}” matches several organisations ({listed}): give the id.")
    return matches[0]


def find_token(prefix_or_id: str) -> ApiToken:
    """The token with this key prefix (the first 8 characters of its key) or this id."""
    value = prefix_or_id.strip()
    condition = Q(prefix=value)
    if value.isascii() and value.isdigit():
        condition |= Q(pk=int(value))
    matches = list(ApiToken.objects.filter(condition).select_related("organisation"))
    if not matches:
        raise CommandError(f"No API token has the prefix or id “{value}”.")
    if len(matches) > 1:
        listed = "; ".join(f"id {t.pk}: {t}" for t in matches)
        raise CommandError(f"“{value}” matches several tokens ({listed}): give the id.")
    return matches[0]
