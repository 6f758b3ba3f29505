"""Idempotent API writes: a POST under /api/ with an ``Idempotency-Key`` header runs once; a repeat
with the same key and body gets the first response back (``Idempotent-Replayed: true``)."""
