"""An LA officer, from a signed-out start, finds "API tokens" in the navigation, creates a token
with an expiry (correcting a blank name first), copies the key from the one page that shows it,
and revokes the token after confirming: the API takes the key until then and refuses it at once
after. Every page on the way is checked with axe-core."""

import datetime

import pytest
import requests
from playwright.sync_api import Page, expect

from accounts.models import ApiToken, hash_token_key

from .conftest import assert_accessible
from .test_designation_journey import sign_in

pytestmark = pytest.mark.browser


def api_status(base_url: str, key: str) -> int:
    return requests.get(
        f"{base_url}/api/v1/schools/", headers={"Authorization": f"Token {key}"}, timeout=30
    ).status_code


def test_an_officer_creates_a_token_sees_its_key_once_and_revokes_it(page: Page, live_server, la_officer):
    base = live_server.url
    sign_in(page, base, la_officer.email)
    page.get_by_role("link", name="Your account").first.click()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="There are no API tokens yet")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Create an API token").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the token")
    assert_accessible(page)

    expiry = datetime.date.today() + datetime.timedelta(days=90)
    page.get_by_label("Name").fill("MIS nightly sync")
    page.get_by_label("Day").fill(str(expiry.day))
    page.get_by_label("Month").fill(str(expiry.month))
    page.get_by_label("Year").fill(str(expiry.year))
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="API token created")).to_be_visible()
    assert_accessible(page)
    key = page.get_by_label("Key").input_value()
    token = ApiToken.objects.get()
    assert token.key_digest == hash_token_key(key)
    assert api_status(base, key) == 200

    page.get_by_role("link", name="I have copied the key").click()
    expect(page.get_by_role("heading", name="MIS nightly sync")).to_be_visible()
    assert key not in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Revoke token").click()
    expect(page.get_by_role("heading", name="Revoke the API token “MIS nightly sync”?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Revoke token").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is revoked")
    expect(page.get_by_role("cell", name="Revoked", exact=True)).to_be_visible()
    assert_accessible(page)
    assert api_status(base, key) == 401

    page.get_by_role("link", name="Back to API tokens").click()
    expect(page.locator("tbody .govuk-tag")).to_have_text("Revoked")
    assert key not in page.content()
    assert_accessible(page)
