import datetime
from io import StringIO

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind
from accounts.models import ApiToken, hash_token_key

from ..factories import ApiTokenFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("schools-api:school-list")


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def api_status_with(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(LIST_URL).status_code


def issued_key(output: str) -> str:
    return output.strip().splitlines()[-1]


# create_api_token


def test_create_prints_the_key_once_and_stores_only_its_digest(home_la_org):
    output = run("create_api_token", "--organisation", "Norfolk County Council", "--name", "MIS sync")

    key = issued_key(output)
    token = ApiToken.objects.get()
    assert output.count(key) == 1
    assert token.key_digest == hash_token_key(key)
    assert key not in {token.key_digest, token.prefix}
    assert token.prefix == key[:8]
    assert (token.organisation, token.name) == (home_la_org, "MIS sync")


def test_created_key_authenticates_with_the_api(home_la_org, home_school):
    key = issued_key(run("create_api_token", "--organisation", str(home_la_org.pk), "--name", "Sync"))

    assert api_status_with(key) == 200


def test_organisation_name_is_matched_whatever_its_case(home_la_org):
    run("create_api_token", "--organisation", "norfolk county COUNCIL", "--name", "Sync")

    assert ApiToken.objects.get().organisation == home_la_org


def test_unknown_organisation_is_refused_by_name(db):
    with pytest.raises(CommandError, match="No organisation has the name or id “Atlantis”"):
        run("create_api_token", "--organisation", "Atlantis", "--name", "Sync")
    assert not ApiToken.objects.exists()


def test_organisation_name_shared_by_two_kinds_is_ambiguous(home_la_org):
    OrganisationFactory(kind=OrganisationKind.NATIONAL_BODY, name=home_la_org.name)

    with pytest.raises(CommandError, match="matches several organisations"):
        run("create_api_token", "--organisation", home_la_org.name, "--name", "Sync")


@pytest.mark.parametrize("name", ["   ", "x" * 101])
def test_blank_or_overlong_purpose_is_refused(home_la_org, name):
    with pytest.raises(CommandError, match="--name"):
        run("create_api_token", "--organisation", home_la_org.name, "--name", name)


def test_create_with_expires_stops_the_token_as_that_day_starts(home_la_org):
    day = timezone.localdate() + datetime.timedelta(days=30)

    output = run(
        "create_api_token", "--organisation", home_la_org.name, "--name", "Sync", "--expires", str(day)
    )

    token = ApiToken.objects.get()
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    assert timezone.localtime(token.expires_at) == starts
    assert f"expires {day:%Y-%m-%d}" in output


OUT_OF_RANGE = "in the future and at most two years ahead"


@pytest.mark.parametrize(
    "expires, message",
    [
        (str(datetime.date.today()), OUT_OF_RANGE),
        (str(datetime.date.today() + datetime.timedelta(days=732)), OUT_OF_RANGE),
        ("31/12/2027", "give it as YYYY-MM-DD"),
        ("2027-02-30", "give it as YYYY-MM-DD"),
    ],
    ids=["today", "beyond two years", "not ISO", "no such day"],
)
def test_create_refuses_an_expiry_out_of_range_or_malformed(home_la_org, expires, message):
    with pytest.raises(CommandError, match=message):
        run("create_api_token", "--organisation", home_la_org.name, "--name", "Sync", "--expires", expires)
    assert not ApiToken.objects.exists()


# revoke_api_token


def test_revoke_by_prefix_refuses_the_key_afterwards(home_la_org, home_school):
    token, key = ApiTokenFactory.create(home_la_org)

    output = run("revoke_api_token", token.prefix)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert f"Revoked token {token.pk}" in output
    assert api_status_with(key) == 401


def test_revoke_by_id(home_la_org):
    token, _ = ApiTokenFactory.create(home_la_org)

    run("revoke_api_token", str(token.pk))

    token.refresh_from_db()
    assert not token.is_active


def test_revoking_twice_keeps_the_first_revocation_time(home_la_org):
    token, _ = ApiTokenFactory.create(home_la_org)
    token.revoke()
    first_revoked_at = token.revoked_at

    output = run("revoke_api_token", str(token.pk))

    token.refresh_from_db()
    assert token.revoked_at == first_revoked_at
    assert "already revoked" in output


def test_unknown_token_is_refused(db):
    with pytest.raises(CommandError, match="No API token has the prefix or id “nosuch12”"):
        run("revoke_api_token", "nosuch12")


def test_prefix_shared_by_two_tokens_is_ambiguous(home_la_org):
    first, _ = ApiTokenFactory.create(home_la_org)
    second, _ = ApiTokenFactory.create(home_la_org)
    ApiToken.objects.filter(pk=second.pk).update(prefix=first.prefix)

    with pytest.raises(CommandError, match="matches several tokens"):
        run("revoke_api_token", first.prefix)
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 2


# list_api_tokens


def test_list_shows_prefixes_never_keys_and_hides_revoked_tokens(home_la_org, national_body):
    active, active_key = ApiTokenFactory.create(home_la_org, name="Active sync")
    revoked, _ = ApiTokenFactory.create(national_body, name="Old sync")
    revoked.revoke()

    output = run("list_api_tokens")

    assert active.prefix in output and "Active sync" in output
    assert active_key not in output
    assert "Old sync" not in output
    assert "Old sync" in run("list_api_tokens", "--all")


def test_list_for_one_organisation(home_la_org, national_body):
    ApiTokenFactory.create(home_la_org, name="Norfolk sync")
    ApiTokenFactory.create(national_body, name="National sync")

    output = run("list_api_tokens", "--organisation", "National College")

    assert "National sync" in output
    assert "Norfolk sync" not in output


@pytest.mark.parametrize("command", ["create_api_token", "revoke_api_token", "list_api_tokens"])
def test_commands_explain_themselves(command):
    help_text = load_command_class("accounts", command).help

    assert len(help_text) > 80


def test_issued_keys_never_start_with_a_dash_so_their_prefix_works_on_the_command_line(
    home_la_org, monkeypatch
):
    keys = iter(["-starts-with-a-dash", "Abcdefgh-rest-of-key"])
    monkeypatch.setattr("accounts.models.secrets.token_urlsafe", lambda n: next(keys))

    token, key = ApiTokenFactory.create(home_la_org)

    assert key == "Abcdefgh-rest-of-key"
    assert token.prefix == "Abcdefgh"
