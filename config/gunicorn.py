"""gunicorn's settings (`gunicorn config.wsgi -c python:config.gunicorn`), with an access log that
never holds a token or a search: the tokens of emailed links (invitations, access-request
confirmations, set-password, password-reset and referee links) are replaced by `[token]`, and
query strings and Referer headers (which may hold names, emails or postcodes searched) are left out."""

import re

from gunicorn.glogging import Logger

bind = "0.0.0.0:8000"
workers = 3
timeout = 60
accesslog = "-"
# Client address (through the proxies: see TRUSTED_PROXY_COUNT), time, request line, status, size,
# duration in milliseconds: no Referer, no user agent, no query string.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'

TOKEN_IN_PATH = re.compile(
    r"(?P<prefix>/accounts/(?:invitations|request-access/confirm|set-password)/"
    r"|/applications/reference/"
    r"|/accounts/password-reset/[^/\s?]+/(?!set-password/))"
    r"[^/\s?]+"
)


def redact(text: str) -> str:
    """`text` with every emailed link's token replaced and any query string removed."""
    text = re.sub(r"\?[^\s\"]*", "", text)
    return TOKEN_IN_PATH.sub(r"\g<prefix>[token]", text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["q"] = "-"
        atoms["f"] = "-"
        atoms["{referer}i"] = "-"
        for name in ("r", "U"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redact(atoms[name])
        for name in [name for name in atoms if name.endswith("}e")]:
            atoms[name] = "-"  # the environ holds the raw path and query too
        return atoms


logger_class = RedactingLogger
