"""The import page follows a running import and shows the report once it finishes, or that it was
interrupted once it stops reporting progress."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from schools.choices import ImportKind, ImportStatus
from schools.models import ImportRun
from tests.factories.accounts import DEFAULT_PASSWORD


@pytest.mark.browser
def test_import_page_updates_itself_when_the_import_finishes(live_server, page: Page, national_admin):
    run = ImportRun.objects.create(kind=ImportKind.GIAS, status=ImportStatus.RUNNING, rows_read=0)
    page.goto(f"{live_server.url}/schools/imports/{run.pk}/")
    page.get_by_label("Email address").fill(national_admin.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("This import is still running")).to_be_visible()

    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.SUCCEEDED, rows_read=120, created=118, rejected=2,
        errors=[{"row": 7, "reason": "URN is missing"}, {"row": 9, "reason": "URN is missing"}],
    )

    expect(page.get_by_role("heading", name="Report")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("table", name="Rejected rows")).to_contain_text("URN is missing")
    expect(page.get_by_text("This import is still running")).to_have_count(0)


@pytest.mark.browser
def test_import_page_shows_an_import_that_stops_reporting_progress_as_interrupted(
    live_server, page: Page, national_admin, settings
):
    settings.IMPORT_STALE_MINUTES = 0.25
    now = timezone.now()
    run = ImportRun.objects.create(
        kind=ImportKind.GIAS, status=ImportStatus.RUNNING, started_at=now, last_progress_at=now, attempts=1,
    )
    page.goto(f"{live_server.url}/schools/imports/{run.pk}/")
    page.get_by_label("Email address").fill(national_admin.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("This import is still running")).to_be_visible()

    expect(page.get_by_text("This import stopped before it finished")).to_be_visible(timeout=30_000)
    expect(page.locator(".govuk-tag", has_text="Interrupted")).to_be_visible()
    expect(page.get_by_text("This import is still running")).to_have_count(0)
