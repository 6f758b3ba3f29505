"""The Content-Security-Policy holds in the browser (and the tests notice when it is broken), the
API docs work under it, and the GOV.UK timeout warning warns, keeps the session, and signs out."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Page, expect

from accounts.middleware import LAST_ACTIVITY

from .conftest import assert_accessible, watch_for_csp_violations
from .test_designation_journey import sign_in

pytestmark = pytest.mark.browser


def test_the_violation_watch_notices_an_inline_script(live_server, browser, db):
    context = browser.new_context()
    page = context.new_page()
    caught: list[str] = []
    watch_for_csp_violations(page, caught)
    page.goto(f"{live_server.url}/accounts/sign-in/")

    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1'; "
        "document.body.append(s) }"
    )

    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.wait_for_timeout(500)
    context.close()
    assert caught, "an inline script without the nonce is reported"


def test_the_api_docs_render_under_the_policy(live_server, page: Page, national_admin):
    sign_in(page, live_server.url, national_admin.email)

    page.goto(f"{live_server.url}/api/docs/")

    expect(page.locator(".swagger-ui .title")).to_contain_text("syslead API")


def _session_key(page: Page) -> str:
    return next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "sessionid")


def test_the_timeout_warning_keeps_the_session_or_signs_out(live_server, page: Page, la_officer, settings):
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_WARNING_SECONDS = 120
    page.clock.install()
    sign_in(page, live_server.url, la_officer.email)
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_hidden()
    # The warning's timers are set by a deferred script: moving the clock on before they are set
    # would leave them 28 minutes in the future.
    expect(page.locator("#session-timeout-warning[data-timing=started]")).to_have_count(1)

    page.clock.fast_forward("28:01")

    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("we will sign you out in 2 minutes")
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page)
    page.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()

    # Nobody comes back: the server's idle time has run out by the time the page's has.
    session = SessionStore(session_key=_session_key(page))
    session[LAST_ACTIVITY] = time.time() - 31 * 60
    session.save()
    page.clock.fast_forward("30:01")

    expect(page.get_by_text("You were signed out after 30 minutes without activity")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
