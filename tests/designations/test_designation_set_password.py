"""A leader designated with an account that has no password is sent a link to choose one."""

import re

from django.urls import reverse

from designations.services.lifecycle import designate
from tests.links import opened

from .test_lifecycle import approved_application


def test_a_holder_without_a_password_is_asked_to_choose_one(
    client,
    settings,
    national_admin,
    nle_type,
    headteacher,
    outstanding_home_school,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "https://syslead.test"
    headteacher.set_unusable_password()
    headteacher.save(update_fields=["password"])
    application = approved_application(nle_type, headteacher, outstanding_home_school)

    with django_capture_on_commit_callbacks(execute=True):
        designate(application, actor=national_admin)

    subjects = sorted(m.subject for m in mailoutbox)
    assert any("Choose a password" in s for s in subjects)
    message = next(m for m in mailoutbox if "Choose a password" in m.subject)
    assert message.to == [headteacher.email]
    assert "national leader of education" in message.body
    emailed = re.search(r"https://syslead\.test(/accounts/set-password/[^\s]+/)", message.body).group(1)
    link = opened(client, emailed)
    password = "a-long-unusual-phrase-42"
    response = client.post(link, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    headteacher.refresh_from_db()
    assert headteacher.check_password(password)
    client.logout()
    assert client.get(emailed, follow=True).status_code == 410  # used once


def test_a_holder_with_a_password_gets_only_the_designation_email(
    national_admin,
    nle_type,
    headteacher,
    outstanding_home_school,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    application = approved_application(nle_type, headteacher, outstanding_home_school)

    with django_capture_on_commit_callbacks(execute=True):
        designate(application, actor=national_admin)

    assert len(mailoutbox) == 1


def test_a_tampered_set_password_link_is_not_valid(client, db):
    response = client.get(reverse("accounts:set-password-link", kwargs={"token": "nonsense"}), follow=True)

    assert response.status_code == 404
