"""Erasure: a national administrator erases a person after a confirmation that lists what is removed
and what is kept; the records kept for audit stay, linked to an anonymised account; nobody erases
themselves; it is recorded; a person with work under way cannot be erased yet."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import AccessRequest, Invitation, Membership, User
from dataprotection.choices import DataRequestKind
from dataprotection.models import DataRequest
from deployments.choices import DeploymentState
from deployments.models import Deployment, TimeEntry
from designations.choices import ApplicationState, DesignationStatus
from designations.models import Application, Designation, RefereeRequest
from tests.factories import UserFactory

from .records import every_kind_of_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(db):
    return UserFactory(full_name="Ada Lovelace", email="ada@subject.example.org", phone="01632 960 001")


@pytest.fixture
def finished_ada(ada):
    """Ada with every kind of record, her designation ended and her deployment completed."""
    records = every_kind_of_record(ada, "ADA-TAG")
    Designation.objects.filter(holder=ada).update(status=DesignationStatus.LAPSED)
    Deployment.objects.filter(leader=ada).update(state=DeploymentState.COMPLETED)
    return records


def _erase_url(person):
    return reverse("dataprotection:person-erase", args=[person.pk])


def test_the_confirmation_lists_what_is_removed_and_what_is_kept(client, national_admin, ada, finished_ada):
    client.force_login(national_admin)
    page = client.get(_erase_url(ada)).content.decode()
    assert "What will be removed" in page and "What must be kept, and why" in page
    assert "1 application that did not lead to a designation" in page
    assert "the audit of public money" in page
    assert User.objects.get(pk=ada.pk).email == "ada@subject.example.org"


def test_an_administrator_erases_a_person_and_the_audit_records_stay(
    client, national_admin, ada, finished_ada, django_capture_on_commit_callbacks
):
    evidence = finished_ada["evidence"].file.name
    client.force_login(national_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_erase_url(ada), {"reason": "Email to the DPO, 1 December"})

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.full_name == f"Former user {ada.pk}" and ada.phone == ""
    assert ada.email.endswith("@anonymised.invalid") and not ada.is_active
    assert not ada.has_usable_password()
    assert not Membership.objects.filter(user=ada).exists()
    assert not Application.objects.filter(pk=finished_ada["application"].pk).exists()
    assert not default_storage.exists(evidence)
    assert not Invitation.objects.filter(email="ada@subject.example.org").exists()
    assert not AccessRequest.objects.filter(email="ada@subject.example.org").exists()
    assert not RefereeRequest.objects.filter(email="ada@subject.example.org").exists()
    assert RefereeRequest.objects.filter(evidence="ADA-TAG reference given", name="Former referee").exists()
    # Kept for audit, linked to the anonymised account.
    assert Deployment.objects.filter(pk=finished_ada["deployment"].pk, leader=ada).exists()
    assert TimeEntry.objects.filter(person=ada).exists()
    assert Designation.objects.filter(holder=ada).exists()
    for history in (User.history.filter(id=ada.pk), Application.history.filter(applicant_id=ada.pk)):
        values = str(list(history.values()))
        assert "ada@subject.example.org" not in values and "Ada Lovelace" not in values
        assert "ADA-TAG statement" not in values
    record = DataRequest.objects.get(kind=DataRequestKind.ERASURE, subject=ada)
    assert record.made_by == national_admin and record.reason == "Email to the DPO, 1 December"


def test_erasing_deletes_copies_of_their_data_made_earlier(
    client, national_admin, ada, settings, django_capture_on_commit_callbacks
):
    from dataprotection import services
    from dataprotection.choices import ExportStatus

    settings.DATA_EXPORT_INLINE_MAX_RECORDS = 0
    copy = services.build_prepared_export(services.make_copy(ada, made_by=ada).data_request.pk)
    stored = copy.archive.name
    assert default_storage.exists(stored)
    client.force_login(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_erase_url(ada), {"reason": "Letter"})
    copy.refresh_from_db()
    assert copy.status == ExportStatus.EXPIRED and not copy.archive
    assert not default_storage.exists(stored)


def test_erasing_needs_the_requests_reference(client, national_admin, ada, finished_ada):
    client.force_login(national_admin)
    response = client.post(_erase_url(ada), {"reason": ""})
    assert response.status_code == 400
    assert User.objects.get(pk=ada.pk).email == "ada@subject.example.org"


def test_a_person_with_work_under_way_cannot_be_erased_yet(client, national_admin, ada):
    every_kind_of_record(ada, "ADA-TAG")
    client.force_login(national_admin)
    page = client.get(_erase_url(ada)).content.decode()
    assert "This person cannot be erased yet" in page and "current designation" in page
    response = client.post(_erase_url(ada), {"reason": "Letter"})
    assert response.status_code == 400
    assert User.objects.get(pk=ada.pk).email == "ada@subject.example.org"
    assert not DataRequest.objects.exists()


def test_nobody_erases_themselves(client, national_admin):
    client.force_login(national_admin)
    assert client.get(_erase_url(national_admin)).status_code == 403
    assert client.post(_erase_url(national_admin), {"reason": "Me"}).status_code == 403
    person_page = client.get(reverse("dataprotection:person", args=[national_admin.pk])).content.decode()
    assert _erase_url(national_admin) not in person_page


@pytest.mark.parametrize(
    "persona",
    ["la_officer", "commissioner", "teaching_school_lead", "school_leader", "associate", "outsider"],
)
def test_only_national_administrators_erase(client, request, persona, ada):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_erase_url(ada)).status_code == 403
    assert client.post(_erase_url(ada), {"reason": "Letter"}).status_code == 403
    assert User.objects.get(pk=ada.pk).is_active


def test_erased_people_cannot_be_erased_twice(client, national_admin, ada):
    client.force_login(national_admin)
    client.post(_erase_url(ada), {"reason": "Letter"})
    page = client.get(_erase_url(ada)).content.decode()
    assert "already been erased" in page
    assert client.post(_erase_url(ada), {"reason": "Again"}).status_code == 400
    assert DataRequest.objects.filter(kind=DataRequestKind.ERASURE).count() == 1


def test_an_unsuccessful_application_stays_for_a_designated_one(client, national_admin, ada, finished_ada):
    Application.objects.filter(pk=finished_ada["application"].pk).update(state=ApplicationState.DESIGNATED)
    Designation.objects.filter(pk=finished_ada["designation"].pk).update(application=finished_ada["application"])
    client.force_login(national_admin)
    client.post(_erase_url(ada), {"reason": "Letter"})
    assert Application.objects.filter(pk=finished_ada["application"].pk).exists()
