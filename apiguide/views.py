"""The API guidance pages: public (partners' developers read them before they hold a token), in
the GOV.UK style, with a side navigation of every page of the section."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .changelog import CHANGELOG
from .deprecations import deprecations, guidance_url
from .errors import ERRORS
from .navigation import side_navigation
from .pages import GUIDES
from .resources import RESOURCES


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {
        **context, "side_navigation": side_navigation(request.path), "active_nav": "api-guidance",
    })


PERIODS = {"s": ("a second", 1), "m": ("a minute", 60), "h": ("an hour", 3600), "d": ("a day", 86400)}


def rate_limit_context() -> dict:
    """The token rate in force (API_THROTTLE_RATE, e.g. "1000/hour"), as the page states it."""
    number, period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"].split("/")
    words, seconds = PERIODS[period[0]]
    return {
        "rate_limit": f"{int(number):,} {words}",
        "rate_number": number,
        "rate_policy": f"{number};w={seconds}",
    }


def guide(request: HttpRequest, slug: str) -> HttpResponse:
    page = GUIDES.get(slug)
    if page is None:
        raise Http404
    context = {"page": page, "errors": ERRORS, "sandbox_mode": settings.SANDBOX_MODE}
    if slug == "rate-limits":
        context |= rate_limit_context()
    return _render(request, page.template, context)


def resource_list(request: HttpRequest) -> HttpResponse:
    return _render(request, "apiguide/resource_list.html", {"resources": RESOURCES.values()})


def resource_detail(request: HttpRequest, name: str) -> HttpResponse:
    resource = RESOURCES.get(name)
    if resource is None:
        raise Http404
    return _render(request, "apiguide/resource_detail.html", {"resource": resource})


def changelog(request: HttpRequest) -> HttpResponse:
    return _render(request, "apiguide/changelog.html", {"entries": CHANGELOG})


def versioning(request: HttpRequest) -> HttpResponse:
    registry = deprecations()
    example = registry[0].headers(guidance_url(request, registry[0])) if registry else {}
    return _render(
        request, "apiguide/versioning.html", {"deprecations": registry, "example_headers": example}
    )
