"""Signals other apps listen to, so that schools never imports them."""

from django.dispatch import Signal

# Sent after an import has written its rows: ``kind`` and ``urns`` (the schools it touched).
schools_imported = Signal()
