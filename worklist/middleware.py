"""After a signed-in person's POST (they may just have done a task), count their tasks again.

Counting here, once the action is committed, rather than on the next page keeps every page's
own query count the same whatever the state of the cache."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts.principals import acting_person

from .providers import refresh_count


class RecountTasksAfterPost:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A partner system's token (set as the user by the API's authentication) has no tasks.
        person = acting_person(getattr(request, "user", None))
        counted = getattr(request, "tasks_counted", False)
        if request.method == "POST" and person is not None and not counted and response.status_code < 500:
            refresh_count(person)
        return response
