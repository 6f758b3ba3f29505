"""The accessibility statement and the cookies page: open to everyone, signed in or not."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .cookies import service_cookies

# What the accessibility crawl (tests/browser/test_accessibility_crawl.py) found when the statement
# was prepared: pages checked, axe runs (a page, and again after each form on it was sent empty),
# and the kinds of page that scrolled sideways at 320 px before they were fixed (axe found no WCAG
# failure). Update them with the statement's dates.
LAST_TEST = {"axe_pages": 86, "axe_runs": 122, "reflow_pages_before": 12}


def _contact() -> dict:
    return {
        "organisation": settings.SERVICE_ORGANISATION,
        "contact_email": settings.SERVICE_CONTACT_EMAIL,
        "contact_phone": settings.SERVICE_CONTACT_PHONE,
        "site_url": settings.SITE_URL,
    }


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "statements/accessibility.html", {**_contact(), **LAST_TEST})


@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "statements/cookies.html", {**_contact(), "cookies": service_cookies()})
