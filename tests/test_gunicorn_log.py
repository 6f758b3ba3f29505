"""The gunicorn access log holds no token of an emailed link, no query string and no Referer."""

import datetime
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from config import gunicorn as gunicorn_settings
from config.gunicorn import RedactingLogger, redact


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/accounts/invitations/MQ:1tQ:abc-def/", "/accounts/invitations/[token]/"),
        ("/accounts/request-access/confirm/Mg:1tQ:xyz/", "/accounts/request-access/confirm/[token]/"),
        ("/accounts/set-password/eyJ1Ijo:1tQ:sig/", "/accounts/set-password/[token]/"),
        ("/applications/reference/NQ:1tQ:sig/", "/applications/reference/[token]/"),
        ("/accounts/password-reset/MTI/cv1x2-0a1b2c3d/", "/accounts/password-reset/MTI/[token]/"),
        ("/accounts/password-reset/MTI/set-password/", "/accounts/password-reset/MTI/set-password/"),
        ("/accounts/password-reset/sent/", "/accounts/password-reset/sent/"),
        ("/schools/?q=Ada+Lovelace", "/schools/"),
        ("/accounts/invitations/", "/accounts/invitations/"),
    ],
)
def test_tokens_and_queries_are_redacted(path, logged):
    assert redact(f"GET {path} HTTP/1.1") == f"GET {logged} HTTP/1.1"


def test_the_access_log_line_holds_no_token_query_or_referer(capsys):
    config = Config()
    config.set("accesslog", gunicorn_settings.accesslog)
    config.set("access_log_format", gunicorn_settings.access_log_format)
    logger = RedactingLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/applications/reference/NQ:1tQ:secret-sig/?utm=ada@example.org",
        "PATH_INFO": "/applications/reference/NQ:1tQ:secret-sig/",
        "QUERY_STRING": "utm=ada@example.org",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.2",
        "HTTP_REFERER": "https://syslead.example.org/accounts/set-password/other-secret/",
    }
    resp = SimpleNamespace(status="302 Found", headers=[], sent=0)
    req = SimpleNamespace(headers=[("X-FORWARDED-FOR", "203.0.113.1"), ("REFERER", environ["HTTP_REFERER"])])

    logger.access(resp, req, environ, datetime.timedelta(milliseconds=12))

    line = capsys.readouterr().out
    assert "/applications/reference/[token]/" in line
    assert "203.0.113.1" in line
    for secret in ("secret-sig", "other-secret", "ada@example.org"):
        assert secret not in line
