from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive the system's Debian Chromium rather than a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run",
        ],
    }



WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.2 AA failure on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = [
        f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]
    assert not violations, f"{page.url}: " + "; ".join(violations)


# Every page the browser tests drive reports Content-Security-Policy violations (the event, and
# Chromium's console message), and the test fails on any: the policy is tested with the journeys.
_REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  const blocked = event.blockedURI || 'inline'
  window.__cspViolation(`${event.violatedDirective} blocked ${blocked} on ${document.URL}`)
})
"""


def watch_for_csp_violations(page, violations: list[str]) -> None:
    def report(text: str) -> None:
        violations.append(text)

    page.expose_function("__cspViolation", report)
    page.add_init_script(_REPORT_VIOLATIONS)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)


# Not the service's own pages (the API, its Swagger UI, the Django admin, files): not revisited.
NOT_REVISITED = ("/api/", "/admin/", "/static/", "/assets/", "/media/")


def record_visits(page) -> list[str]:
    """Every address the page's main frame shows during the test, in order."""
    visited: list[str] = []

    def on_navigated(frame) -> None:
        if frame == page.main_frame:
            visited.append(frame.url)

    page.on("framenavigated", on_navigated)
    return visited


def assert_visited_pages_accessible(page, visited: list[str]) -> None:
    """Open again each page the test showed, as the test left its person, and check it with axe:
    so every browser test checks every page it visits, not only those it names. (A page that a
    form's answer showed is opened by its address; the crawl sends every form empty.)"""
    origin = next((urlsplit(url).netloc for url in visited if url.startswith("http")), None)
    checked: set[str] = set()
    failures: list[str] = []
    for url in dict.fromkeys(visited):
        parts = urlsplit(url)
        if parts.netloc != origin or parts.path.startswith(NOT_REVISITED):
            continue
        try:
            response = page.goto(url)
        except PlaywrightError:
            continue  # an address only a form posts to: a GET there has no page to show
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if page.url in checked:
            continue
        checked.add(page.url)
        try:
            assert_accessible(page)
        except AssertionError as failure:
            failures.append(str(failure))
    assert not failures, "axe found WCAG 2.2 AA failures: " + " | ".join(failures)


@pytest.fixture
def csp_violations():
    violations: list[str] = []
    yield violations
    assert not violations, "Content-Security-Policy violations: " + "; ".join(dict.fromkeys(violations))


@pytest.fixture
def page(page, csp_violations, live_server):
    """The test's page, watched for CSP violations; afterwards each page it showed is checked
    with axe (the live server is still up: this fixture depends on it)."""
    watch_for_csp_violations(page, csp_violations)
    visited = record_visits(page)
    yield page
    if not page.is_closed():
        assert_visited_pages_accessible(page, visited)


@pytest.fixture
def new_page(browser, csp_violations, live_server):
    """A page in a new browser context (another person), watched and checked like `page`."""
    pages = []

    def make():
        context = browser.new_context()
        fresh = context.new_page()
        watch_for_csp_violations(fresh, csp_violations)
        pages.append((context, fresh, record_visits(fresh)))
        return fresh

    yield make
    for context, fresh, visited in pages:
        if not fresh.is_closed():
            assert_visited_pages_accessible(fresh, visited)
        context.close()
