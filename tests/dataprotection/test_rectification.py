"""Rectification: a person corrects their own name and phone; a national administrator corrects
anyone else's name, email address (how they sign in) and phone, refusing an address in use."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory
from tests.factories.accounts import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(db):
    return UserFactory(full_name="Ada Lovelace", email="ada@subject.example.org")


def _url(person):
    return reverse("dataprotection:person-details", args=[person.pk])


def test_a_person_corrects_their_own_name_and_phone(client, ada):
    client.force_login(ada)
    response = client.post(reverse("accounts:you"), {"form": "details", "full_name": "Ada King",
                                                     "phone": "01632 960 001"})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert (ada.full_name, ada.phone) == ("Ada King", "01632 960 001")


def test_a_person_is_told_how_to_change_their_email(client, ada):
    client.force_login(ada)
    page = client.get(reverse("accounts:you")).content.decode()
    assert "to change it, ask a national administrator" in page


def test_an_administrator_corrects_an_email_address_and_the_person_signs_in_with_it(
    client, national_admin, ada
):
    client.force_login(national_admin)
    response = client.post(_url(ada), {"full_name": "Ada King", "email": "Ada.King@Subject.example.org",
                                       "phone": ""})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert (ada.full_name, ada.email) == ("Ada King", "ada.king@subject.example.org")
    change = User.history.filter(id=ada.pk).latest("history_date")
    assert change.email == "ada.king@subject.example.org" and change.history_user == national_admin
    client.logout()
    signed_in = client.post(
        reverse("accounts:sign-in"),
        {"username": "ada.king@subject.example.org", "password": DEFAULT_PASSWORD},
    )
    assert signed_in.status_code == 302 and int(client.session["_auth_user_id"]) == ada.pk


def test_an_address_someone_else_has_is_refused(client, national_admin, ada):
    UserFactory(email="taken@example.org")
    client.force_login(national_admin)
    response = client.post(_url(ada), {"full_name": "Ada", "email": "TAKEN@example.org", "phone": ""})
    assert response.status_code == 400
    assert "Someone else already has an account with this email address" in response.content.decode()
    assert User.objects.get(pk=ada.pk).email == "ada@subject.example.org"


def test_a_bad_phone_number_is_refused(client, national_admin, ada):
    client.force_login(national_admin)
    response = client.post(_url(ada), {"full_name": "Ada", "email": ada.email, "phone": "12"})
    assert response.status_code == 400
    assert "<title>Error: Correct Ada Lovelace" in response.content.decode()


@pytest.mark.parametrize("persona", ["la_officer", "school_leader", "commissioner", "outsider"])
def test_only_national_administrators_correct_other_peoples_details(client, request, persona, ada):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(ada)).status_code == 403
    assert client.post(_url(ada), {"full_name": "X", "email": "x@example.org"}).status_code == 403


def test_an_administrator_does_not_correct_their_own_email_here(client, national_admin):
    client.force_login(national_admin)
    assert client.get(_url(national_admin)).status_code == 403
