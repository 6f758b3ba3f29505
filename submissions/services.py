"""A form is acted on once, however often it is posted.

Each form carries a one-time token (``{% submission_token %}``, a random value issued as the form
is rendered; nothing is stored then). A post claims its token by inserting a ``Submission`` row,
unique on the token, in the same transaction as the work it does, and stores the page it
redirected to. A repeated post of the same form (a double click, a resubmission from the
browser's history) finds the token claimed and is redirected to that page, with no second write
and no second email. Two posts at the same moment: the second insert waits on the first's
transaction, then finds the claim. A post whose work is refused (the page is shown again with
errors) gives up its claim, so the form can be corrected and sent.

A post without a well-formed token is acted on as before: only pages of this service render the
forms, and they always include one."""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from .models import Submission

FIELD_NAME = "submission_token"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
# Long enough for the back button and a resubmission the next day; a form is posted in minutes.
KEEP_FOR = datetime.timedelta(days=2)
REPEAT_MESSAGE = "You sent this form more than once. It was only acted on once."


def new_token() -> str:
    return secrets.token_urlsafe(32)


def submit_once(request: HttpRequest, perform: Callable[[], HttpResponse]) -> HttpResponse:
    """Run ``perform`` (the view's POST handling) once per form token.

    Side effects, in order: the claim and ``perform``'s own writes in one transaction (so its
    ``on_commit`` emails wait for the claim); on a redirect, the claim keeps its target; on any
    other answer the claim is removed. A repeat is redirected to the first post's target with a
    message saying so; a token claimed by someone else is refused (400)."""
    token = request.POST.get(FIELD_NAME, "")
    if not TOKEN_PATTERN.fullmatch(token):
        return perform()
    user_id = request.user.pk if request.user.is_authenticated else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = Submission.objects.create(token=token, user_id=user_id)
        except IntegrityError:
            return _repeat(request, Submission.objects.get(token=token), user_id)
        response = perform()
        if response.status_code in {301, 302, 303} and response.get("Location"):
            claim.result_url = response["Location"]
            claim.save(update_fields=["result_url"])
        else:
            claim.delete()
    return response


def _repeat(request: HttpRequest, first: Submission, user_id: int | None) -> HttpResponse:
    if first.user_id != user_id:
        raise SuspiciousOperation("A form token was posted by someone other than its first user.")
    messages.info(request, REPEAT_MESSAGE)
    return redirect(first.result_url or request.path)


def clear_old_submissions(now: datetime.datetime | None = None) -> int:
    """Delete claims older than ``KEEP_FOR``; returns how many went. Idempotent."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _ = Submission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
