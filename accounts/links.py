"""Emailed links (invitations, access-request confirmations, set-password and referee links) carry a
token in their path. Their first request moves the token into the session and redirects to the
same page without it, so the token never reaches an access log, a Referer header sent from the
page or the browser's history; the page reads it back from the session."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def _key(kind: str) -> str:
    return f"link-token:{kind}"


def stash_token(request: HttpRequest, kind: str, token: str, clean_url_name: str) -> HttpResponse:
    """Keep `token` in the session and redirect to `clean_url_name`. Nothing is checked here, so
    the tokened URL always answers the same redirect and no error about it is logged either. The
    token stays in the session after use (it is single-use), so the page can say it was used."""
    request.session[_key(kind)] = token
    return redirect(clean_url_name)


def stashed_token(request: HttpRequest, kind: str) -> str:
    """The token the link left in the session; empty (an unusable link) when there is none."""
    return request.session.get(_key(kind), "")
