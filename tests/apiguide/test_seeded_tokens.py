"""seed_demo issues the partner sandbox's tokens – a local authority, a teaching school and a
national body – new on each run, and prints their keys; each works against /api/v1/me/."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind
from schools import demo as schools_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(schools_demo, "SCHOOLS_PER_AREA", 12)

    def run() -> dict[str, str]:
        output = StringIO()
        call_command("seed_demo", stdout=output)
        printed = output.getvalue().split("Partner sandbox API tokens", 1)[1]
        return dict(re.findall(r"^  (.+?)\s{2,}(?:local authority|teaching school|national body)\s+(\S+)$",
                               printed, flags=re.M))

    return run


def _me(key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("brokerage-api:me"))


def test_each_printed_token_is_its_organisation_and_a_new_run_replaces_them(seed):
    first = seed()
    second = seed()

    assert len(second) == 3
    kinds = set()
    for name, key in second.items():
        answer = _me(key)
        assert answer.status_code == 200
        organisation = answer.json()["organisations"][0]
        assert organisation["name"] == name
        kinds.add(organisation["kind"])
        assert _me(first[name]).status_code == 401
    assert kinds == {
        OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.TEACHING_SCHOOL, OrganisationKind.NATIONAL_BODY,
    }
