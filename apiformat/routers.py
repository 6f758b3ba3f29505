"""The router of every app's API."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


class SlashOptionalRouter(DefaultRouter):
    """Paths answer with or without their trailing slash: a redirect would turn a POST into a GET.
    URLs are reversed, and the schema lists them, with the slash."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # DRF reads ``trailing_slash`` as a flag; the pattern itself is set here.
        self.trailing_slash = "/?"
