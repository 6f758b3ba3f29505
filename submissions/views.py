"""The view side of acting on a form once (see ``services``)."""

from django.http import HttpRequest, HttpResponse

from .services import submit_once


class SubmitOnceMixin:
    """Put first in a view's bases when its POST creates or changes something: a repeated post of
    the same rendered form (by the same signed-in person) is redirected to the first post's
    result instead of being acted on again. The view's template puts ``{% submission_token %}``
    in the form. Wraps ``dispatch``, so it holds whichever class defines ``post``."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        proceed = super().dispatch
        if request.method != "POST" or not request.user.is_authenticated:
            return proceed(request, *args, **kwargs)
        return submit_once(request, lambda: proceed(request, *args, **kwargs))
