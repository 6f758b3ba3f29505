"""Signing in and out, and resetting a forgotten password, through the real forms."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.accounts import DEFAULT_PASSWORD

SIGN_IN_URL = reverse("accounts:sign-in")
RESET_URL = reverse("accounts:password-reset")
WRONG_DETAILS = "Enter a correct email address and password"
NEW_PASSWORD = {"new_password1": "a-brand-new-secret", "new_password2": "a-brand-new-secret"}


@pytest.fixture
def person(db):
    return UserFactory(email="ada@norfolk.example.org")


@pytest.fixture
def ask_reset(client, django_capture_on_commit_callbacks, eager_celery):
    """Ask for a reset link as the page does; the email goes from a task after commit."""

    def ask(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET_URL, {"email": email})

    return ask


def sign_in(client, email, password, **extra):
    return client.post(SIGN_IN_URL, {"username": email, "password": password, **extra})


def test_sign_in_with_correct_details_goes_to_their_tasks(client, person):
    response = sign_in(client, "ada@norfolk.example.org", DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "Your tasks" in client.get(reverse("home")).content.decode()


def test_sign_in_ignores_case_and_spaces_in_the_email(client, person):
    response = sign_in(client, "  Ada@Norfolk.Example.org ", DEFAULT_PASSWORD)

    assert response.status_code == 302


def test_sign_in_returns_to_the_page_asked_for(client, person):
    wanted = reverse("schools:school-list") + "?phase=primary"

    response = sign_in(client, person.email, DEFAULT_PASSWORD, next=wanted)

    assert response.url == wanted


def test_wrong_password_and_unknown_email_get_the_same_message(client, person):
    wrong_password = sign_in(client, person.email, "not-the-password")
    unknown_email = sign_in(client, "nobody@example.org", DEFAULT_PASSWORD)

    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [WRONG_DETAILS]
        assert "govuk-error-summary" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_form_names_each_missing_field(client, db):
    response = sign_in(client, "", "")

    errors = response.context["form"].errors
    assert errors["username"] == ["Enter your email address"]
    assert errors["password"] == ["Enter your password"]
    assert 'class="govuk-input govuk-input--error"' in response.content.decode()


def test_inactive_person_cannot_sign_in(client, db):
    UserFactory(email="left@example.org", is_active=False)

    response = sign_in(client, "left@example.org", DEFAULT_PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_out(client, person, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        sign_in(client, person.email, "not-the-password")

    response = sign_in(client, person.email, DEFAULT_PASSWORD)

    assert "You cannot sign in at the moment" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_that_ends_the_session(client, person):
    sign_in(client, person.email, DEFAULT_PASSWORD)

    response = client.post(reverse("accounts:sign-out"), follow=True)

    assert "_auth_user_id" not in client.session
    assert response.redirect_chain[-1][0] == SIGN_IN_URL
    assert "You have signed out." in response.content.decode()


def test_sign_out_by_get_is_refused(client, person):
    client.force_login(person)

    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert "_auth_user_id" in client.session


def _reset_link_from(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password-reset/[^\s]+/)", message.body).group(1)


def test_password_reset_emails_a_link_that_sets_a_new_password(client, person, ask_reset):
    response = ask_reset("ADA@norfolk.example.org")

    assert response.url == reverse("accounts:password-reset-done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert "Reset your password" in message.subject
    assert message.alternatives, "the email has an HTML part"

    form_page = client.get(_reset_link_from(message), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, NEW_PASSWORD)

    assert done.url == reverse("accounts:password-reset-complete")
    person.refresh_from_db()
    assert person.check_password("a-brand-new-secret")
    assert sign_in(client, person.email, "a-brand-new-secret").status_code == 302


def test_password_reset_link_works_only_once(client, person, ask_reset):
    ask_reset(person.email)
    link = _reset_link_from(mail.outbox[0])
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, NEW_PASSWORD)

    again = client.get(link, follow=True)

    assert "The link has expired" in again.content.decode()


def test_new_password_must_match_and_be_strong(client, person, ask_reset):
    ask_reset(person.email)
    set_password_url = client.get(_reset_link_from(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    mismatch = client.post(set_password_url, {**NEW_PASSWORD, "new_password2": "other"})
    weak = client.post(set_password_url, {"new_password1": "password", "new_password2": "password"})

    assert mismatch.context["form"].errors["new_password2"] == ["The passwords do not match"]
    assert weak.context["form"].errors["new_password2"]
    person.refresh_from_db()
    assert person.check_password(DEFAULT_PASSWORD)


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, db, ask_reset):
    response = ask_reset("nobody@example.org")

    assert response.url == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_password_reset_asks_for_a_valid_email(client, db, ask_reset):
    response = ask_reset("not an email")

    assert response.context["form"].errors["email"] == [
        "Enter an email address in the correct format, like name@example.com"
    ]


def test_a_person_with_no_password_yet_can_choose_one_through_the_reset(client, db, ask_reset):
    leader = UserFactory(email="leader@leaders.example.org")
    leader.set_unusable_password()
    leader.save()

    ask_reset(leader.email)

    assert [m.to for m in mail.outbox] == [[leader.email]]
    set_password_url = client.get(_reset_link_from(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_password_url, NEW_PASSWORD)
    leader.refresh_from_db()
    assert leader.check_password("a-brand-new-secret")


def test_an_inactive_account_gets_no_reset_email(client, db, ask_reset):
    UserFactory(email="gone@example.org", is_active=False)

    ask_reset("gone@example.org")

    assert mail.outbox == []
