"""After a signed-in person's POST (they may just have done a task), count their tasks again.

Counting here, once the action is committed, rather than on the next page keeps every page's
own query count the same whatever the state of the cache."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .providers import refresh_count


class RecountTasksAfterPost:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = getattr(user, "is_authenticated", False)
        if request.method == "POST" and signed_in and response.status_code < 500:
            refresh_count(user)
        return response
