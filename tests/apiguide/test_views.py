"""The API guidance pages: public, in the GOV.UK style, linked from every page's footer, one page
per resource; Swagger UI is linked only from them."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from standardwebhooks.webhooks import Webhook

from apiguide.changelog import CHANGELOG
from apiguide.deprecations import DEPRECATIONS
from apiguide.pages import GUIDES
from apiguide.resources import RESOURCES
from config.api import API_RESOURCES

pytestmark = pytest.mark.django_db

GUIDANCE_URLS = [
    *(guide.url for guide in GUIDES.values()),
    reverse("apiguide:resource-list"),
    *(reverse("apiguide:resource-detail", args=[name]) for name in API_RESOURCES),
    reverse("apiguide:changelog"),
    reverse("apiguide:versioning"),
]


@pytest.mark.parametrize("url", GUIDANCE_URLS)
def test_every_guidance_page_is_readable_signed_out(client, url):
    response = client.get(url)

    assert response.status_code == 200
    text = response.content.decode()
    assert re.search(r"<title>[^<]+ – API guidance – .+ – GOV\.UK</title>", text)
    # The side navigation marks the page itself as the current one.
    assert f'href="{url}" aria-current="page"' in text


def test_every_resource_of_the_api_has_a_page_linked_from_the_list(client):
    listing = client.get(reverse("apiguide:resource-list")).content.decode()

    assert set(RESOURCES) == set(API_RESOURCES)
    for name in API_RESOURCES:
        assert f'href="{reverse("apiguide:resource-detail", args=[name])}"' in listing


def test_a_resource_page_lists_its_operations_from_the_schema(client):
    text = client.get(reverse("apiguide:resource-detail", args=["deployments"])).content.decode()

    assert "/api/v1/deployments/{id}/pause/" in text
    assert "changed_since" in text


def test_an_unknown_guide_or_resource_is_a_page_not_found(client):
    assert client.get(reverse("apiguide:guide", args=["nothing-here"])).status_code == 404
    assert client.get(reverse("apiguide:resource-detail", args=["nothing-here"])).status_code == 404


def test_the_footer_links_the_guidance_for_everyone(client, national_admin):
    signed_out = client.get(reverse("accounts:sign-in")).content.decode()
    client.force_login(national_admin)
    signed_in = client.get(reverse("home")).content.decode()

    for page in (signed_out, signed_in):
        assert f'href="{reverse("apiguide:index")}">API documentation</a>' in page
        assert f'href="{reverse("api-docs")}"' not in page


def test_swagger_ui_is_linked_from_the_guidance(client):
    assert f'href="{reverse("api-docs")}"' in client.get(reverse("apiguide:index")).content.decode()


def test_the_changelog_lists_every_entry_newest_first(client):
    text = client.get(reverse("apiguide:changelog")).content.decode()

    dates = [entry.released_on for entry in CHANGELOG]
    assert dates == sorted(dates, reverse=True)
    for entry in CHANGELOG:
        assert f'id="{entry.anchor}"' in text


def test_the_versioning_page_lists_each_deprecation_with_its_sunset(client):
    text = client.get(reverse("apiguide:versioning")).content.decode()

    for deprecation in DEPRECATIONS:
        assert f'id="{deprecation.slug}"' in text
        assert f"{deprecation.sunset_on:%-d %B %Y}" in text
    assert "Deprecation: @" in text and "Sunset: " in text


def test_the_rate_limits_page_states_the_rate_in_force(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "250/hour"}}

    text = client.get(reverse("apiguide:guide", args=["rate-limits"])).content.decode()

    assert "250 an hour" in text and "RateLimit-Policy: 250;w=3600" in text


def test_the_errors_page_shows_an_example_of_every_status(client):
    text = client.get(reverse("apiguide:guide", args=["errors"])).content.decode()

    for status in (400, 401, 403, 404, 405, 409, 415, 422, 429, 500):
        assert f'id="status-{status}"' in text


def _code_block_defining(text: str, name: str) -> str:
    blocks = re.findall(r"<pre class=\"app-code\"><code>(.*?)</code></pre>", text, flags=re.S)
    return html.unescape(next(block for block in blocks if f"def {name}(" in block))


def test_the_webhooks_page_signature_check_accepts_a_signed_delivery_and_refuses_a_forged_one(client):
    code = _code_block_defining(client.get(reverse("apiguide:guide", args=["webhooks"])).content.decode(),
                                "is_genuine")
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the page's own example, checked against the library
    secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
    body = b'{"type": "deployment.created", "timestamp": "2026-12-02T09:00:00Z", "data": {"id": 1}}'
    now = dt.datetime.now(dt.UTC)
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign("msg_1", now, body.decode()),
    }

    assert namespace["is_genuine"](secret, headers, body)
    assert not namespace["is_genuine"](secret, headers, body.replace(b"created", b"deleted"))
