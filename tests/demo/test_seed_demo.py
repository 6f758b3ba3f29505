"""The demo data set: one command builds every app's part, the same on every run, and prints the
sign-ins (one per role here; every party of every flow in test_demo_parties.py) and none of the
demo's emails."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import AccessRequest, Invitation, Membership, Organisation, User
from schools import demo as schools_demo
from schools.models import Diocese, Inspection, Judgement, LocalAuthority, School, Trust

SCHOOLS_PER_AREA_IN_TESTS = 12


@pytest.fixture
def seeded(db, monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The selection logic is the same at any size; a small sample keeps the test quick.
    monkeypatch.setattr(schools_demo, "SCHOOLS_PER_AREA", SCHOOLS_PER_AREA_IN_TESTS)
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def _counts() -> dict[str, int]:
    models = (
        LocalAuthority, School, Inspection, Judgement, Trust, Diocese, Organisation, User, Membership,
        Invitation, AccessRequest,
        School.history.model, User.history.model,
    )
    return {model.__name__: model.objects.count() for model in models}


def _snapshot() -> list[tuple]:
    return list(School.objects.order_by("urn").values_list(
        "urn", "phase", "type_name", "easting", "northing", "number_of_pupils", "head_last_name",
        "trust__name", "diocese__name", "latest_inspection__start_date",
    ))


def test_seeding_again_creates_and_changes_nothing(seeded):
    counts, snapshot = _counts(), _snapshot()

    call_command("seed_demo", stdout=StringIO())

    assert _counts() == counts
    assert _snapshot() == snapshot


def test_the_command_prints_every_demo_sign_in(seeded):
    for user in DEMO_USERS:
        assert user.email in seeded
        assert user.try_this in seeded
    assert DEMO_PASSWORD in seeded


def test_seeding_prints_the_sign_ins_and_none_of_the_demo_emails(db, monkeypatch, settings, capsys):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    monkeypatch.setattr(schools_demo, "SCHOOLS_PER_AREA", SCHOOLS_PER_AREA_IN_TESTS)

    call_command("seed_demo")

    printed = capsys.readouterr().out
    assert "Demo sign-ins" in printed
    assert "Subject:" not in printed
