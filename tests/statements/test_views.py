"""The accessibility statement and the cookies page: linked from every page, open to everyone, and
true to the settings (who runs the service, how to reach them, which cookies it sets)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from statements.cookies import duration, service_cookies
from tests.factories.accounts import DEFAULT_PASSWORD

ACCESSIBILITY = reverse("statements:accessibility")
COOKIES = reverse("statements:cookies")


def footer(html: str) -> str:
    return html[html.index('<footer class="govuk-footer">'):]


@pytest.mark.parametrize("path", [ACCESSIBILITY, COOKIES])
def test_each_statement_is_readable_signed_out(client, db, path):
    response = client.get(path)

    assert response.status_code == 200
    assert f'href="{ACCESSIBILITY}"' in footer(response.content.decode())


@pytest.mark.parametrize("path", [ACCESSIBILITY, COOKIES])
def test_each_statement_is_readable_signed_in(client, la_officer, path):
    client.force_login(la_officer)

    assert client.get(path).status_code == 200


SIGNED_OUT_PAGES = ["/", reverse("accounts:sign-in"), reverse("accounts:request-access"), "/nowhere/"]


@pytest.mark.parametrize("path", SIGNED_OUT_PAGES)
def test_every_page_signed_out_links_both_statements_from_its_footer(client, db, path):
    html = footer(client.get(path, follow=True).content.decode())

    assert f'<a class="govuk-footer__link" href="{ACCESSIBILITY}">Accessibility</a>' in html
    assert f'<a class="govuk-footer__link" href="{COOKIES}">Cookies</a>' in html


@pytest.mark.parametrize("path", ["/", reverse("schools:school-list"), reverse("accounts:you"), "/nowhere/"])
def test_every_page_signed_in_links_both_statements_from_its_footer(client, la_officer, path):
    client.force_login(la_officer)

    html = footer(client.get(path).content.decode())

    assert f'href="{ACCESSIBILITY}">Accessibility</a>' in html
    assert f'href="{COOKIES}">Cookies</a>' in html


def test_the_statement_names_the_organisation_and_its_contact_details_from_the_settings(client, db, settings):
    settings.SERVICE_ORGANISATION = "Department for Testing"
    settings.SERVICE_CONTACT_EMAIL = "access@testing.example.org"
    settings.SERVICE_CONTACT_PHONE = "0300 123 4567"

    html = client.get(ACCESSIBILITY).content.decode()

    assert "This service is run by Department for Testing." in html
    assert 'href="mailto:access@testing.example.org"' in html
    assert "call 0300 123 4567" in html


def test_the_statement_gives_the_model_statements_parts(client, db):
    html = client.get(ACCESSIBILITY).content.decode()

    for heading in (
        "How accessible this service is", "Feedback and contact information",
        "Reporting accessibility problems with this service", "Enforcement procedure", "Compliance status",
        "Non-accessible content", "Preparation of this accessibility statement",
    ):
        assert f">{heading}</h" in html
    assert "Equality and Human Rights Commission" in html
    assert "Equality Commission for Northern Ireland" in html
    assert "<code>/api/docs/</code>" in html
    assert "prepared on 2 December 2026" in html


def test_without_a_phone_number_the_statement_offers_email_only(client, db, settings):
    settings.SERVICE_CONTACT_PHONE = ""

    assert "call " not in client.get(ACCESSIBILITY).content.decode()


def test_the_cookies_page_lists_each_cookie_with_the_lifetime_its_settings_give(client, db, settings):
    settings.SESSION_COOKIE_NAME = "syslead_session"
    settings.SESSION_COOKIE_AGE = 4 * 60 * 60
    settings.SESSION_IDLE_MINUTES = 20
    settings.CSRF_COOKIE_NAME = "syslead_csrf"
    settings.CSRF_COOKIE_AGE = 7 * 24 * 60 * 60

    html = client.get(COOKIES).content.decode()

    rows = re.findall(r"<th scope=\"row\" class=\"govuk-table__header\"><code>([^<]+)</code></th>", html)
    assert rows == ["syslead_csrf", "syslead_session", "messages"]
    assert "1 week" in html
    assert "after 20 minutes without activity, or 4 hours after you sign in" in html


def test_the_messages_cookie_is_listed_only_while_messages_are_kept_in_a_cookie(settings):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

    names = [cookie.name for cookie in service_cookies()]

    assert names == [settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(31449600, "52 weeks"), (86400, "1 day"), (28800, "8 hours"), (1800, "30 minutes"), (90, "90 seconds")],
)
def test_a_lifetime_reads_in_its_largest_whole_unit(seconds, text):
    assert duration(seconds) == text


def test_signing_in_working_and_signing_out_sets_no_cookie_the_cookies_page_does_not_list(la_officer):
    """Through the real forms, with CSRF checks on: every cookie any response sets is listed."""
    client = Client(enforce_csrf_checks=True)
    set_names: set[str] = set()

    def record(response):
        set_names.update(response.cookies.keys())
        return response

    def csrf() -> str:
        return client.cookies[service_cookies()[0].name].value

    record(client.get(reverse("accounts:sign-in")))
    record(client.post(
        reverse("accounts:sign-in"),
        {"username": la_officer.email, "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": csrf()},
    ))
    for path in ("/", reverse("schools:school-list"), reverse("accounts:you"), ACCESSIBILITY, COOKIES):
        assert record(client.get(path)).status_code == 200
    saved = record(client.post(
        reverse("accounts:you"),
        {"form": "details", "full_name": "Lee Officer", "phone": "", "csrfmiddlewaretoken": csrf()},
    ))
    assert saved.status_code == 302
    assert "Your details have been saved." in record(client.get(saved.url)).content.decode()
    record(client.post(reverse("accounts:sign-out"), {"csrfmiddlewaretoken": csrf()}))
    record(client.get(reverse("accounts:sign-in")))

    listed = {cookie.name for cookie in service_cookies()}
    assert set_names - listed == set()
    assert {"sessionid", "csrftoken", "messages"} <= set_names


def test_the_beta_banner_offers_a_feedback_link_anyone_can_use(client, db, settings):
    settings.SERVICE_CONTACT_EMAIL = "feedback@testing.example.org"

    html = client.get(reverse("accounts:sign-in")).content.decode()

    assert 'href="mailto:feedback@testing.example.org?subject=Feedback%20on%20' in html
    assert "national administrator" not in html


def test_the_feedback_link_goes_to_the_feedback_page_when_one_is_set(client, db, settings):
    settings.FEEDBACK_URL = "https://forms.example.org/syslead-feedback"

    html = client.get(reverse("accounts:sign-in")).content.decode()

    assert '<a class="govuk-link" href="https://forms.example.org/syslead-feedback">feedback</a>' in html
