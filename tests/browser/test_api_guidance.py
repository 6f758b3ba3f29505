"""A partner developer, signed out, finds the API guidance from the footer and reads its pages:
each passes axe (WCAG 2.2 AA), none scrolls sideways at 320 px, and Swagger UI is one link away."""

import pytest
from playwright.sync_api import Page, expect

from apiguide.pages import GUIDES
from apiguide.resources import RESOURCES

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def _fits_at_320px(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert width <= 320, f"{page.url} is {width}px wide at 320px"


def test_a_signed_out_developer_reads_the_guidance_from_the_footer(live_server, page: Page, db):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("contentinfo").get_by_role("link", name="API documentation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Getting started")

    titles = [guide.title for guide in GUIDES.values()] + ["All resources"]
    titles += [RESOURCES[name].title for name in ("support-requests", "deployments", "events")]
    titles += ["Changelog", "Versioning and deprecation"]
    navigation = page.get_by_role("navigation", name="API guidance")
    for title in titles:
        navigation.get_by_role("link", name=title, exact=True).click()
        expect(navigation.locator("[aria-current=page]")).to_have_text(title)
        assert_accessible(page)
        _fits_at_320px(page)

    navigation.get_by_role("link", name="Swagger UI (try requests out)").click()
    # Swagger UI builds itself from the schema, generated on first request: give it time.
    expect(page.locator(".swagger-ui .title")).to_contain_text("syslead API", timeout=30_000)
