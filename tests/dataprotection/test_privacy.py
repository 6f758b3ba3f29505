"""The privacy notice: readable signed out, naming the controller and the data protection officer
from the settings, stating the retention periods as the rules hold them, linked from every page."""

import pytest
from django.urls import reverse

from dataprotection.choices import RetentionKind
from dataprotection.models import RetentionRule

pytestmark = pytest.mark.django_db

PRIVACY_URL = reverse("privacy")


def test_the_privacy_notice_is_readable_signed_out(client, settings):
    settings.DATA_CONTROLLER_NAME = "Department for Testing"
    settings.DATA_PROTECTION_OFFICER_EMAIL = "dpo@testing.example.org"
    response = client.get(PRIVACY_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Privacy notice – " in page
    assert "Department for Testing" in page
    assert 'href="mailto:dpo@testing.example.org"' in page
    assert "public interest" in page and "Article 6(1)(e)" in page
    assert "https://ico.org.uk/make-a-complaint/" in page
    assert reverse("your-data:your-data") in page


def test_the_retention_periods_are_the_rules_as_they_stand(client):
    page = client.get(PRIVACY_URL).content.decode()
    assert "2 years after the decision (or the withdrawal)" in page
    assert "3 years after the last sign-in" in page
    assert "7 years after the end of the deployment" in page
    RetentionRule.objects.filter(kind=RetentionKind.UNSUCCESSFUL_APPLICATIONS).update(months=30)
    assert "2 years and 6 months after the decision" in client.get(PRIVACY_URL).content.decode()


@pytest.mark.parametrize("url_name", ["accounts:sign-in", "privacy", "home"])
def test_every_page_links_to_the_privacy_notice(client, url_name, school_leader):
    if url_name == "home":
        client.force_login(school_leader)
    page = client.get(reverse(url_name)).content.decode()
    assert f'<a class="govuk-footer__link" href="{PRIVACY_URL}">Privacy</a>' in page
