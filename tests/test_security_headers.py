"""Every answer Django gives carries no-store, a Permissions-Policy and a Content-Security-Policy
that allows only the service's own files and the nonce of its inline scripts."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_are_never_stored(client, db, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    response = client.get(reverse("home") if signed_in else reverse("accounts:sign-in"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_responses_are_never_stored(client, db):
    client.force_login(UserFactory())

    response = client.get("/api/v1/schools/")

    assert "no-store" in response["Cache-Control"]


def test_pages_turn_off_browser_features_the_service_does_not_use(client, db):
    policy = client.get(reverse("accounts:sign-in"))["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_the_content_security_policy_allows_only_the_service_itself(client, db):
    directives = _directives(client.get(reverse("accounts:sign-in")))

    assert directives["default-src"] == ["'self'"]
    for name in ("style-src", "font-src", "img-src", "connect-src", "form-action"):
        assert directives[name] == ["'self'"], name
    assert directives["script-src"][0] == "'self'"
    assert re.fullmatch(r"'nonce-[^']+'", directives["script-src"][1])
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in " ".join(sum(directives.values(), []))


def test_every_inline_script_carries_the_policy_nonce(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()

    inline = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", html)
    assert inline, "base.html has inline scripts"
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_no_page_template_has_inline_styles_handlers_or_scripts_without_the_nonce():
    from django.conf import settings

    offenders = []
    for template in (settings.BASE_DIR / "templates").rglob("*.html"):
        if "emails" in template.parts:  # emails are not pages: mail clients need inline styles
            continue
        text = template.read_text()
        scripts = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", text)
        if re.search(r"\sstyle=|<style(?![^>]*nonce)|\son[a-z]+=", text) or any(
            "csp_nonce" not in attributes for attributes in scripts
        ):
            offenders.append(str(template.relative_to(settings.BASE_DIR)))

    assert offenders == []
