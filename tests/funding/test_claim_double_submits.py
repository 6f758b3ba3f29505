"""A claim or a payment posted twice (a double click, the back button) is acted on once.
Sequential cases on SQLite; five posts at the same moment on PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.models import Claim, Payment
from tests.concurrency import run_at_once
from tests.factories.funding import make_claim


def token_of(page) -> str:
    found = re.search(r'name="submission_token" value="([^"]+)"', page.content.decode())
    assert found, "the form carries no one-time token"
    return found.group(1)


def claim_page_and_data(client, setting) -> tuple[str, dict]:
    start, end = setting.period()
    page = reverse("claims:claim-new", args=[setting.deployment.pk])
    shown = client.get(page, {"period_start": start.isoformat(), "period_end": end.isoformat()})
    data = {
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "confirm": "on",
        "submission_token": token_of(shown),
    }
    return page, data


def payment_page_and_data(client, claim) -> tuple[str, dict]:
    page = reverse("claims:claim-action", args=[claim.pk, "pay"])
    data = {"paid_on": timezone.localdate().isoformat(), "reference": "BACS-1"}
    return page, data | {"submission_token": token_of(client.get(page))}


@pytest.mark.django_db
def test_a_claim_posted_twice_is_made_once(client, setting):
    setting.log_days(2)
    client.force_login(setting.head)
    page, data = claim_page_and_data(client, setting)
    first, again = client.post(page, data), client.post(page, data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Claim.objects.count() == 1


@pytest.mark.django_db
def test_a_payment_posted_twice_is_recorded_once(client, setting):
    setting.log_days(1)
    claim = services.approve(make_claim(setting), actor=setting.commissioner)
    client.force_login(setting.commissioner)
    page, data = payment_page_and_data(client, claim)
    client.post(page, data)
    client.post(page, data)
    assert Payment.objects.count() == 1


def five_posts(user, path: str, data: dict) -> list[str]:
    clients = []
    for _ in range(5):
        browser = Client()
        browser.force_login(user)
        clients.append(browser)
    return run_at_once(*[lambda browser=browser: browser.post(path, data) for browser in clients])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_posts_of_one_claim_at_once_make_it_once(setting):
    assert connection.vendor == "postgresql"
    setting.log_days(2)
    client = Client()
    client.force_login(setting.head)
    page, data = claim_page_and_data(client, setting)
    assert five_posts(setting.head, page, data) == ["done"] * 5
    assert Claim.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_claiming_the_same_time_at_once_claim_it_once(setting):
    assert connection.vendor == "postgresql"
    setting.log_days(2)
    pages = []
    for user in (setting.head, setting.business_manager):
        client = Client()
        client.force_login(user)
        page, data = claim_page_and_data(client, setting)
        pages.append((client, page, data))
    run_at_once(*[lambda c=c, p=p, d=d: c.post(p, d) for c, p, d in pages])
    assert Claim.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_posts_of_one_payment_at_once_record_it_once(setting):
    assert connection.vendor == "postgresql"
    setting.log_days(1)
    claim = services.approve(make_claim(setting), actor=setting.commissioner)
    client = Client()
    client.force_login(setting.commissioner)
    page, data = payment_page_and_data(client, claim)
    five_posts(setting.commissioner, page, data)
    assert Payment.objects.count() == 1
