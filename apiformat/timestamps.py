"""When an API resource was created and last changed, for partners keeping a copy in sync."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Timestamped(models.Model):
    """``created_at`` and ``updated_at``, the latter kept on every save.

    ``save(update_fields=[...])`` writes ``updated_at`` too (Django's ``auto_now`` is silently
    left out of a partial save). ``QuerySet.update()`` and ``bulk_update()`` skip it: pass
    ``updated_at=timezone.now()`` there, or call ``touch``. Each model indexes (updated_at, id)
    for the lists filtered and sorted by it.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields:
            update_fields = {*update_fields, "updated_at"}
        super().save(*args, update_fields=update_fields, **kwargs)


def touch(queryset: models.QuerySet) -> int:
    """Mark rows as changed (a child row the API shows with them changed) without saving them."""
    return queryset.update(updated_at=timezone.now())
