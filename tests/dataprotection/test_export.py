"""A copy of a person's data: every kind of personal record in it, no one else's; the large copy is
prepared by a task and offered by a signed link that expires; who may make copies of whose data."""

import io
import json
import zipfile

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dataprotection import export, services
from dataprotection.choices import DataRequestKind, ExportStatus
from dataprotection.models import DataRequest
from tests.factories import UserFactory

from .records import NOT_MADE, every_kind_of_record

pytestmark = pytest.mark.django_db

DOWNLOAD_URL = reverse("your-data:download")
YOUR_DATA_URL = reverse("your-data:your-data")
PEOPLE_QUERIES = 12


@pytest.fixture
def ada(db):
    return UserFactory(full_name="Ada Lovelace", email="ada@subject.example.org", phone="01632 960 001")


@pytest.fixture
def bob(db):
    return UserFactory(full_name="Bob Babbage", email="bob@other.example.org", phone="01632 960 999")


def _unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _data(files: dict[str, bytes]) -> dict[str, list]:
    return {
        name.removeprefix("data/").removesuffix(".json"): json.loads(content)
        for name, content in files.items() if name.startswith("data/")
    }


def test_the_copy_holds_every_kind_of_personal_record_and_nobody_elses(client, ada, bob):
    every_kind_of_record(ada, "ADA-TAG")
    every_kind_of_record(bob, "BOB-TAG")
    client.force_login(ada)

    response = client.post(DOWNLOAD_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = _unzip(response.content)
    data = _data(files)
    assert set(data) == {source.name for source in export.SOURCES}
    empty = {name for name, rows in data.items() if not rows}
    assert empty == NOT_MADE | {"data_requests"}  # the copy is recorded once made
    everything = b"".join(files.values()).decode()
    for text in ("ADA-TAG statement", "ADA-TAG response", "ADA-TAG referee", "ADA-TAG asked referee",
                 "ADA-TAG reference given", "ADA-TAG availability", "ADA-TAG suspended",
                 "ADA-TAG designation review", "ADA-TAG review written", "ADA-TAG case", "ADA-TAG deployment",
                 "ADA-TAG time", "ADA-TAG progress", "ADA-TAG impact", "ADA-TAG leave",
                 "ADA-TAG coaching wanted",
                 "ADA-TAG session", "ADA-TAG support", "ADA-TAG claim", "ADA-TAG access wanted",
                 "ADA-TAG commissioner", "ADA-TAG-stalled", "ADA-TAG sample note", "ADA-TAG sample bytes",
                 "01632 960 001", "ada@subject.example.org"):
        assert text in everything, text
    assert data["profile"][0]["full_name"] == "Ada Lovelace"
    assert "password" not in data["profile"][0]
    assert data["history_account"] and data["history_applications"]
    assert files["files/application-evidence/" + _evidence_name(data)] == b"ADA-TAG evidence bytes"
    assert any(name.startswith("files/agreement-copies/") for name in files)
    assert any(name.startswith("files/assurance-evidence/") for name in files)
    assert "BOB-TAG" not in everything
    assert "bob@other.example.org" not in everything and "Bob Babbage" not in everything
    assert DataRequest.objects.get(subject=ada).made_by == ada


def _evidence_name(data) -> str:
    evidence = data["application_evidence"][0]
    return f"{evidence['id']}-{evidence['original_name']}"


def test_a_copy_costs_the_same_queries_however_much_is_held(ada, bob):
    every_kind_of_record(ada, "ADA-TAG")
    with CaptureQueriesContext(connection) as full:
        export.collect(ada)
    with CaptureQueriesContext(connection) as empty:
        export.collect(bob)
    assert len(full) == len(empty) <= len(export.SOURCES) + 4


def test_your_account_links_to_your_data(client, ada):
    client.force_login(ada)
    page = client.get(reverse("accounts:you")).content.decode()
    assert YOUR_DATA_URL in page
    assert "Download your data" in client.get(YOUR_DATA_URL).content.decode()


def test_signed_out_people_are_sent_to_sign_in(client):
    assert "sign-in" in client.get(YOUR_DATA_URL)["Location"]
    assert "sign-in" in client.post(DOWNLOAD_URL)["Location"]


def test_downloading_needs_a_post(client, ada):
    client.force_login(ada)
    assert client.get(DOWNLOAD_URL).status_code == 405


def test_a_large_copy_is_prepared_by_a_task_and_offered_by_a_link_that_expires(
    client, ada, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.DATA_EXPORT_INLINE_MAX_RECORDS = 3
    every_kind_of_record(ada, "ADA-TAG")
    client.force_login(ada)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DOWNLOAD_URL)

    assert response.status_code == 302 and response["Location"] == YOUR_DATA_URL
    copy = DataRequest.objects.get(subject=ada)
    assert copy.status == ExportStatus.READY and copy.archive and copy.is_downloadable
    link = reverse("your-data:prepared-copy", args=[services.download_token(copy)])
    page = client.get(YOUR_DATA_URL).content.decode()
    assert link in page
    download = client.get(link, follow=True)
    assert download.status_code == 200
    files = _unzip(b"".join(download.streaming_content))
    assert "ADA-TAG statement" in files["data/applications.json"].decode()

    later = timezone.now() + timezone.timedelta(hours=settings.DATA_EXPORT_LINK_HOURS, minutes=1)
    with time_machine.travel(later):
        client.force_login(ada)  # the session itself has long timed out
        expired = client.get(link, follow=True)
    assert expired.status_code == 404 and "expired" in expired.content.decode()


def test_a_copys_link_serves_only_the_person_who_asked(client, ada, bob, settings, eager_celery):
    settings.DATA_EXPORT_INLINE_MAX_RECORDS = 0
    made = services.make_copy(ada, made_by=ada)
    copy = services.build_prepared_export(made.data_request.pk)
    link = reverse("your-data:prepared-copy", args=[services.download_token(copy)])
    client.force_login(bob)
    assert client.get(link, follow=True).status_code == 404
    client.force_login(ada)
    assert client.get(link + "x", follow=True).status_code == 404
    assert client.get(link, follow=True).status_code == 200


def test_building_a_copy_twice_builds_it_once(ada, settings):
    settings.DATA_EXPORT_INLINE_MAX_RECORDS = 0
    made = services.make_copy(ada, made_by=ada)
    first = services.build_prepared_export(made.data_request.pk)
    assert first is not None
    assert services.build_prepared_export(made.data_request.pk) is None


@pytest.mark.parametrize(
    "persona, may",
    [
        ("national_admin", True),
        ("la_officer", False),
        ("commissioner", False),
        ("teaching_school_lead", False),
        ("school_leader", False),
        ("associate", False),
        ("outsider", False),
    ],
)
def test_who_may_make_a_copy_of_someone_elses_data(client, request, persona, may, ada):
    every_kind_of_record(ada, "ADA-TAG")
    client.force_login(request.getfixturevalue(persona))
    url = reverse("dataprotection:person", args=[ada.pk])
    assert client.get(url).status_code == (200 if may else 403)
    assert client.get(reverse("dataprotection:people"), {"q": "ada"}).status_code == (200 if may else 403)
    response = client.post(url, {"reason": "Letter of 1 December"})
    assert response.status_code == (200 if may else 403)
    if may:
        assert "ADA-TAG statement" in _unzip(response.content)["data/applications.json"].decode()
        record = DataRequest.objects.get(subject=ada, kind=DataRequestKind.EXPORT)
        assert record.made_by == request.getfixturevalue(persona)
        assert record.reason == "Letter of 1 December"
    else:
        assert not DataRequest.objects.exists()


def test_an_administrator_must_give_the_requests_reference(client, national_admin, ada):
    client.force_login(national_admin)
    response = client.post(reverse("dataprotection:person", args=[ada.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Enter the reference of the person&#x27;s request" in response.content.decode()
    assert not DataRequest.objects.exists()


def test_an_administrator_finds_people_by_name_or_email(client, national_admin, ada, bob):
    client.force_login(national_admin)
    page = client.get(reverse("dataprotection:people"), {"q": "lovelace"}).content.decode()
    assert "ada@subject.example.org" in page and "bob@other.example.org" not in page


@pytest.mark.parametrize("found", [2, 6])
def test_the_people_search_costs_a_fixed_number_of_queries(
    client, national_admin, found, django_assert_max_num_queries
):
    for n in range(found):
        UserFactory(full_name=f"Searchable {n}")
    client.force_login(national_admin)
    with django_assert_max_num_queries(PEOPLE_QUERIES):
        page = client.get(reverse("dataprotection:people"), {"q": "searchable"}).content.decode()
    assert page.count("Searchable ") == found
