"""Emails to people who must act link straight to the page where they act."""

import datetime

import pytest
from django.core import mail

from designations import emails
from designations.choices import CaseReason, ReminderKind
from designations.models import DeDesignationCase, Review
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def designation(settings, national_body):
    settings.SITE_URL = "https://syslead.example.org"
    national_body.email = "designations@college.example.org"
    national_body.save()
    return DesignationFactory(designating_organisation=national_body)


def test_case_opened_email_links_to_the_page_that_decides_the_case(designation):
    case = DeDesignationCase.objects.create(
        designation=designation, reason=CaseReason.SCHOOL_CLOSED, detail="Closed on 31 August 2026."
    )

    emails.case_opened(case)

    (message,) = mail.outbox
    assert message.to == ["designations@college.example.org"]
    assert f"https://syslead.example.org/designations/manage/cases/{case.pk}/" in message.body


def test_review_reminder_links_to_the_page_that_records_the_review(designation):
    review = Review.objects.create(designation=designation, due_on=datetime.date(2026, 12, 1))

    emails.review_reminder(review, ReminderKind.DUE_IN_7_DAYS, today=datetime.date(2026, 11, 24))

    (message,) = mail.outbox
    expected = f"https://syslead.example.org/designations/manage/{designation.pk}/reviews/{review.pk}/"
    assert expected in message.body
    assert expected in message.alternatives[0][0]
