"""Every link a demo user can follow answers 200.

Signs in as each demo user of ``seed_demo`` and follows, with GET only, every same-site link on
the home page and in the navigation, then every link on each navigation page (one level deeper).
Left out, and why:

- signing out is a form that POSTs, never a link; every other form is left alone too (GET only);
- ``/admin/``: Django's own admin (staff only), whose pages are Django's, not ours: its index is
  fetched when the navigation offers it, but its links are not followed;
- ``/static/``, ``/assets/`` and ``/media/``: files, not pages;
- ``/api/``: the API docs page is fetched where offered (its Swagger UI then loads the schema and
  the JSON API, which have their own tests), its links are not followed.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import User
from demo.dataset import SIGN_INS
from navigation.menu import navigation_for
from schools import demo as schools_demo

# Enough schools for the brokerage demo (requests, deployments, partnerships), which a smaller
# dataset skips; the full 120 per area would only make the seeding slower.
SCHOOLS_PER_AREA_IN_TESTS = 24
NOT_FOLLOWED = ("/admin/", "/static/", "/assets/", "/media/", "/api/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def same_site_links(html: str, page_path: str) -> list[str]:
    """The page's links to this site, as paths with their query string, without fragments."""
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        href, _ = urldefrag(href)
        parts = urlsplit(urljoin(page_path, href))
        if not href or parts.scheme or parts.netloc:
            continue  # just a fragment of this page, or another site (GOV.UK, the licence)
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The demo data, seeded once for the module inside a transaction rolled back afterwards.

    Each test's own transaction is a savepoint inside it, so nothing leaks to other modules.
    """
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(schools_demo, "SCHOOLS_PER_AREA", SCHOOLS_PER_AREA_IN_TESTS)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def check(client, path: str, failures: dict[str, str]) -> tuple[str, str]:
    """GET the path, following redirects, and note anything but 200; the HTML of an HTML page and
    the path it came from (where its relative links start)."""
    response = client.get(path, follow=True)
    if response.status_code != 200:
        failures[path] = str(response.status_code)
        return "", path
    final_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    if "text/html" not in response.get("Content-Type", ""):
        return "", final_path
    return response.content.decode(), final_path


def followed(path: str) -> bool:
    return not path.startswith(NOT_FOLLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("email", [user.email for user in SIGN_INS])
def test_every_link_from_home_the_navigation_and_its_pages_answers_200(demo_site, client, email):
    user = User.objects.get(email=email)
    client.force_login(user)
    failures: dict[str, str] = {}
    seen: set[str] = set()

    home, home_path = check(client, "/", failures)
    section_pages = navigation_for(User.objects.get(pk=user.pk)).urls()
    first_level = [*same_site_links(home, home_path), *section_pages]
    second_level: list[str] = []
    for path in dict.fromkeys(first_level):
        seen.add(path)
        html, final_path = check(client, path, failures)
        if path in section_pages and followed(path):
            second_level += same_site_links(html, final_path)
    for path in dict.fromkeys(second_level):
        if path not in seen and followed(path):
            seen.add(path)
            check(client, path, failures)

    assert not failures, f"{email}: links that do not answer 200: {failures}"
    assert len(seen) > len(section_pages), "the crawl should reach beyond the navigation"
