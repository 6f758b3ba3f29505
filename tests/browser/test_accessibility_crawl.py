"""The accessibility crawl: every page each demo person reaches passes axe-core (WCAG 2.2 AA), does not
scroll sideways at 320 px wide, and has a title of its own that says "Error: " first when the page
shows errors.

Signs in through the sign-in form as each demo person of ``seed_demo`` (and looks at the signed-out
pages first), visits the home page, every page of their navigation and the pages those link to, and
on each page sends every form that has something to answer once, emptied; each page, and each page
a form sends back, is checked as it is. Pages of one kind (one URL pattern: another school's page
is the same template) are checked once, by the first person to reach them, which keeps the crawl
within a few minutes. Left out: Django's admin and the API (the
statement names the API reference as a developer tool), files and downloads, and forms with nothing
to answer (buttons that act: sign out, resend, mark contacted). It fails listing every problem
found, and prints the figures the accessibility statement quotes (statements/views.py).
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from io import StringIO
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from demo.dataset import SIGN_INS
from navigation.menu import navigation_for
from schools import demo as schools_demo
from statements.cookies import service_cookies

from .conftest import WCAG_TAGS

SCHOOLS_PER_AREA_IN_TESTS = 24  # as the link crawl (tests/navigation/test_crawl.py)
NOT_FOLLOWED = ("/admin/", "/api/", "/assets/", "/static/", "/media/", "/accounts/session/")
DOWNLOADS = (".csv", "/download/", "/copy/", "/evidence/", "/export/")
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 800}
SIGNED_OUT_PAGES = (
    "/accounts/sign-in/", "/accounts/password-reset/", "/accounts/request-access/",
    "/accessibility/", "/cookies/",
)

# The links on the page, resolved to this site's paths (with their query), fragments dropped.
_LINKS = "() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href)"
# The forms a person could answer: posted, outside the timeout dialog, with a field to fill in.
_ANSWERABLE_FORMS = """() => Array.from(document.forms).map((form, index) => ({form, index}))
  .filter(({form}) => form.method === 'post' && !form.closest('dialog') &&
    form.querySelector('input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea'))
  .map(({index}) => index)"""
# Empty the form as someone who answers nothing would send it, and send it with its first button.
_SEND_EMPTY = """(index) => {
  const form = document.forms[index]
  form.noValidate = true
  for (const input of form.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button'].includes(input.type)) continue
    if (input.type === 'checkbox' || input.type === 'radio') input.checked = false
    else if (input.type === 'file') input.value = ''
    else input.value = ''
  }
  const button = form.querySelector('button[type=submit], button:not([type]), input[type=submit]')
  form.requestSubmit(button || undefined)
}"""
# What sticks out past a narrow screen, outside a table's own scrolling region.
_TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth
  const inside = '.app-table-region, .govuk-visually-hidden'
  return Array.from(document.querySelectorAll('body *'))
    .filter((element) => element.getBoundingClientRect().right > width + 1 && !element.closest(inside))
    .slice(0, 3)
    .map((element) => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
      (element.className ? '.' + String(element.className).split(' ').join('.') : ''))
}"""


@dataclass
class Findings:
    pages: set[str] = field(default_factory=set)
    runs: int = 0
    violations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def report(self) -> str:
        return "\n".join([*self.violations, *self.problems])


def route_of(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return path


def followed(path: str) -> bool:
    return not path.startswith(NOT_FOLLOWED) and not any(part in path for part in DOWNLOADS)


def same_site_paths(page: Page, base: str) -> list[str]:
    paths = []
    for href in page.evaluate(_LINKS):
        href, _ = urldefrag(href)
        parts = urlsplit(urljoin(base, href))
        if parts.netloc != urlsplit(base).netloc:
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


class Crawl:
    def __init__(self, base: str, findings: Findings) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.base = base
        self.findings = findings
        self.suffix = f" – {settings.SERVICE_NAME} – GOV.UK"
        self.kinds: set[str] = set()  # the URL patterns checked so far, by anyone

    def check(self, page: Page, who: str, titles: dict[str, set[str]]) -> None:
        """axe, the narrow screen and the title, on the page as it is now."""
        path = urlsplit(page.url).path + (f"?{urlsplit(page.url).query}" if urlsplit(page.url).query else "")
        self.findings.pages.add(path)
        self.findings.runs += 1
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        for violation in results.response["violations"]:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            self.findings.violations.append(
                f"{who} {path}: {violation['id']}: {violation['help']} ({targets})"
            )
        page.set_viewport_size(NARROW)  # 400% zoom of a 1280 px screen
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > NARROW["width"]:
            wide = page.evaluate(_TOO_WIDE)  # px wide, and what sticks out
            self.findings.problems.append(f"{who} {path}: scrolls at 320 px ({scroll_width}, {wide})")
        page.set_viewport_size(DESKTOP)
        title = page.title()
        has_errors = page.locator(".govuk-error-summary").count() > 0
        if not title.endswith(self.suffix):
            self.findings.problems.append(f"{who} {path}: title {title!r} does not end {self.suffix!r}")
        if has_errors != title.startswith("Error: "):
            self.findings.problems.append(
                f"{who} {path}: title {title!r} {'lacks' if has_errors else 'has'} \"Error: \" "
                f"with{'' if has_errors else 'out'} an error summary"
            )
        titles[title].add(route_of(path))

    def open(self, page: Page, path: str, who: str) -> bool:
        """Go to the path; False for what is not an HTML page (a download, a file)."""
        try:
            response = page.goto(self.base + path)
        except PlaywrightError as error:  # a download starts instead of a page
            if "Download is starting" in str(error):
                return False
            raise
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            return False
        if response.status != 200:
            self.findings.problems.append(f"{who} {path}: answered {response.status}")
        return True

    def visit(self, page: Page, path: str, who: str, titles: dict[str, set[str]]) -> bool:
        if not self.open(page, path, who):
            return False
        self.check(page, who, titles)
        return True

    def send_forms_empty(self, page: Page, path: str, who: str, titles: dict[str, set[str]]) -> None:
        for index in page.evaluate(_ANSWERABLE_FORMS):
            if urlsplit(page.url).path != urlsplit(path).path:
                page.goto(self.base + path)
            if index >= page.evaluate("document.forms.length"):
                continue
            with page.expect_navigation():
                page.evaluate(_SEND_EMPTY, index)
            self.check(page, f"{who} (form {index} sent empty)", titles)

    def new_kind(self, path: str) -> bool:
        kind = route_of(path)
        if kind in self.kinds or not followed(path):
            return False
        self.kinds.add(kind)
        return True

    def crawl(self, page: Page, who: str, first: list[str]) -> None:
        titles: dict[str, set[str]] = defaultdict(set)
        second: list[str] = []
        for path in dict.fromkeys(first):
            if not followed(path):
                continue
            # A navigation page is read for its links even when its kind was checked already.
            checking = self.new_kind(path)
            if not (self.visit(page, path, who, titles) if checking else self.open(page, path, who)):
                continue
            second += same_site_paths(page, page.url)
            if checking:
                self.send_forms_empty(page, path, who, titles)
        for path in dict.fromkeys(second):
            if self.new_kind(path) and self.visit(page, path, who, titles):
                self.send_forms_empty(page, path, who, titles)
        print(f"{who}: {self.findings.runs} runs so far", file=sys.stderr, flush=True)  # noqa: T201
        for title, routes in titles.items():
            if len(routes) > 1:
                self.findings.problems.append(f"{who}: pages {sorted(routes)} share the title {title!r}")


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def demo_site(transactional_db, monkeypatch):
    monkeypatch.setattr(schools_demo, "SCHOOLS_PER_AREA", SCHOOLS_PER_AREA_IN_TESTS)
    call_command("seed_demo", stdout=StringIO())


@pytest.mark.browser
def test_every_page_each_demo_person_reaches_passes_axe_reflows_and_titles_itself(
    live_server, demo_site, new_page
):
    started = time.monotonic()
    findings = Findings()
    crawl = Crawl(live_server.url, findings)
    listed_cookies = {cookie.name for cookie in service_cookies()}

    page = new_page()
    page.set_viewport_size(DESKTOP)
    crawl.crawl(page, "signed out", list(SIGNED_OUT_PAGES))

    for person in SIGN_INS:
        page = new_page()
        page.set_viewport_size(DESKTOP)
        sign_in(page, live_server.url, person.email)
        assert urlsplit(page.url).path == "/", f"{person.email} did not sign in"
        user = User.objects.get(email=person.email)
        home_links = same_site_paths(page, page.url)
        crawl.crawl(page, person.email, ["/", *navigation_for(user).urls(), *home_links])
        unlisted = {cookie["name"] for cookie in page.context.cookies()} - listed_cookies
        if unlisted:
            findings.problems.append(f"{person.email}: cookies not on the cookies page: {sorted(unlisted)}")

    print(  # noqa: T201 - the figures the accessibility statement quotes
        f"\naccessibility crawl: {len(findings.pages)} pages, {findings.runs} axe runs, "
        f"{len(findings.violations)} violations, {len(findings.problems)} other problems, "
        f"{time.monotonic() - started:.0f} s"
    )
    assert not findings.report(), "\n" + findings.report()
