"""The router of every app's API."""

from __future__ import annotations

from django.urls import URLPattern, re_path
from rest_framework.routers import DefaultRouter


class SlashOptionalRouter(DefaultRouter):
    """Paths answer with or without their trailing slash: a redirect would turn a POST into a GET.
    URLs are reversed, and the schema lists them, with the slash: each path also has an unnamed
    twin without it (``without_trailing_slash``), which the schema leaves out."""

    def get_urls(self) -> list[URLPattern]:
        urls = super().get_urls()
        return urls + without_trailing_slash(urls)


def without_trailing_slash(urls: list[URLPattern]) -> list[URLPattern]:
    """An unnamed twin of each pattern ending in a slash, answering without it."""
    twins = []
    for url in urls:
        regex = getattr(url.pattern, "regex", None)
        if regex is not None and regex.pattern.endswith("/$"):
            twins.append(re_path(regex.pattern[:-2] + "$", url.callback, url.default_args))
    return twins


def leave_out_slashless_twins(endpoints: list[tuple], **kwargs) -> list[tuple]:
    """drf-spectacular preprocessing hook: document each path once, with its slash."""
    return [endpoint for endpoint in endpoints if endpoint[0].endswith("/")]
