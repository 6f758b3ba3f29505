"""``/signed-in/``: the base template for a signed-in person and nothing else, so the cost every
page pays (session, user, navigation, task count) can be measured on its own (``make bench``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@login_required
@require_safe
def signed_in(request: HttpRequest) -> HttpResponse:
    return render(request, "signed_in.html")
