"""The pages every visitor meets: home, the layout, and the error pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from accounts import views


def test_home_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_home_is_the_signed_in_persons_tasks(client, la_officer):
    client.force_login(la_officer)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "<h1 class=\"govuk-heading-l\">Your tasks</h1>" in response.content.decode()


def test_signed_in_person_visiting_sign_in_goes_home(client, la_officer):
    client.force_login(la_officer)

    assert client.get(reverse("accounts:sign-in")).url == reverse("home")


def test_sign_in_page_uses_the_govuk_layout(client, db):
    page = client.get(reverse("accounts:sign-in")).content.decode()

    assert 'class="govuk-skip-link"' in page
    assert "govuk-service-navigation" in page
    assert "govuk-phase-banner" in page
    assert "govuk-footer" in page
    assert "govuk/govuk-frontend.min.js" in page
    assert "govuk-frontend-supported" in page
    # Anonymous visitors see no navigation to pages they cannot open.
    assert reverse("accounts:sign-out") not in page


@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        (views.permission_denied, 403, "You do not have permission to view this page"),
        (views.page_not_found, 404, "Page not found"),
    ],
)
def test_error_pages_render_in_the_layout(db, rf: RequestFactory, handler, status, heading):
    request = rf.get("/anywhere/")
    request.user = AnonymousUser()

    response = handler(request, Exception())

    assert response.status_code == status
    assert heading in response.content.decode()


def test_a_refusal_that_says_why_is_shown_on_the_403_page(db, rf: RequestFactory):
    request = rf.get("/anywhere/")
    request.user = AnonymousUser()

    response = views.permission_denied(request, PermissionDenied("You cannot assess your own application."))

    body = response.content.decode()
    assert response.status_code == 403
    assert "You cannot do this" in body and "You cannot assess your own application." in body


def test_server_error_page_renders_without_a_request_context(rf):
    response = views.server_error(rf.get("/anywhere/"))

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_unknown_address_gets_the_styled_404_page(client, la_officer, settings):
    settings.DEBUG = False
    client.force_login(la_officer)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
