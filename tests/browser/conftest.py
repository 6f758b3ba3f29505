import pytest


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


@pytest.fixture
def csp_violations():
    violations: list[str] = []
    yield violations
    assert not violations, "Content-Security-Policy violations: " + "; ".join(dict.fromkeys(violations))


@pytest.fixture
def page(page, csp_violations):
    watch_for_csp_violations(page, csp_violations)
    return page


@pytest.fixture
def new_page(browser, csp_violations):
    """A page in a new browser context (another person), watched like `page`."""
    contexts = []

    def make():
        context = browser.new_context()
        contexts.append(context)
        fresh = context.new_page()
        watch_for_csp_violations(fresh, csp_violations)
        return fresh

    yield make
    for context in contexts:
        context.close()
