"""Evidence files: size and type limits (by name and by content), private storage, who may add them."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from designations.choices import CriterionCheck
from designations.errors import DesignationError
from designations.services import attach_evidence, submit
from designations.validators import validate_evidence_file
from tests.factories.designations import ApplicationFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def office_file(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in members:
            archive.writestr(member, "<xml/>")
    return buffer.getvalue()


DOCX = office_file("[Content_Types].xml", "word/document.xml")
XLSX = office_file("[Content_Types].xml", "xl/workbook.xml")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("results.pdf", PDF, "application/pdf"),
        ("results.PDF", PDF, "application/pdf"),
        ("plan.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("data.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("chart.png", PNG, "image/png"),
        ("photo.jpg", JPG, "image/jpeg"),
        ("photo.jpeg", JPG, "image/jpeg"),
        ("notes.txt", "Résultats : très bien".encode(), "text/plain"),
    ],
)
def test_allowed_evidence_files_are_accepted_with_their_content_type(name, content, content_type):
    assert validate_evidence_file(upload(name, content)) == content_type


def test_a_file_over_the_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError, match="The selected file must be smaller than 10MB."):
        validate_evidence_file(upload("big.pdf", PDF + b"0" * (10 * 1024 * 1024)))


def test_the_limit_follows_the_setting(settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="smaller than 1KB"):
        validate_evidence_file(upload("notes.txt", b"a" * 1025))
    assert validate_evidence_file(upload("notes.txt", b"a" * 1024)) == "text/plain"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="The selected file is empty."):
        validate_evidence_file(upload("empty.pdf", b""))


@pytest.mark.parametrize("name", ["setup.exe", "macro.docm", "page.html", "no-extension"])
def test_a_file_of_another_type_is_refused(name):
    with pytest.raises(
        ValidationError, match="The selected file must be a PDF, DOCX, XLSX, PNG, JPG or TXT."
    ):
        validate_evidence_file(upload(name, b"hello"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("results.pdf", EXE),
        ("results.pdf", PNG),
        ("chart.png", PDF),
        ("photo.jpg", b"plain words"),
        ("plan.docx", office_file("[Content_Types].xml", "xl/workbook.xml")),
        ("plan.docx", office_file("word/document.xml")),
        ("plan.docx", b"PK\x03\x04 not really a zip"),
        ("notes.txt", EXE),
        ("notes.txt", b"\xff\xfe\x00\x00binary"),
    ],
)
def test_a_file_whose_content_does_not_match_its_name_is_refused(name, content):
    with pytest.raises(ValidationError, match="content is not a .* file, although its name ends in"):
        validate_evidence_file(upload(name, content))


def test_evidence_is_stored_privately_and_counts_as_an_answer(lle_application, headteacher):
    evidence_result = lle_application.criterion_results.get(kind=CriterionCheck.EVIDENCE)

    stored = attach_evidence(
        lle_application,
        uploaded_file=upload("../../coaching log.pdf", PDF),
        actor=headteacher,
        criterion_result=evidence_result,
    )

    assert stored.original_name == "coaching log.pdf"
    assert (stored.content_type, stored.size, stored.uploaded_by) == (
        "application/pdf",
        len(PDF),
        headteacher,
    )
    assert stored.file.name.startswith(f"evidence/{lle_application.pk}/")
    assert ".." not in stored.file.name
    assert default_storage.exists(stored.file.name)
    with stored.file.open("rb") as saved:
        assert saved.read() == PDF
    evidence_result.refresh_from_db()
    assert evidence_result.explanation == "Needs evidence: 1 file given, for an assessor to judge"


def test_two_files_with_the_same_name_are_both_kept(lle_application, headteacher):
    first = attach_evidence(lle_application, uploaded_file=upload("log.txt", b"one"), actor=headteacher)
    second = attach_evidence(lle_application, uploaded_file=upload("log.txt", b"two"), actor=headteacher)
    assert first.file.name != second.file.name
    assert lle_application.evidence_files.count() == 2


def test_a_refused_file_is_not_stored(lle_application, headteacher):
    with pytest.raises(DesignationError, match="The selected file must be a PDF"):
        attach_evidence(lle_application, uploaded_file=upload("virus.exe", EXE), actor=headteacher)
    assert not lle_application.evidence_files.exists()
    assert not default_storage.exists(f"evidence/{lle_application.pk}")


def test_only_the_applicant_can_add_evidence(lle_application, national_admin):
    with pytest.raises(DesignationError, match="Only the applicant can add evidence to a draft."):
        attach_evidence(lle_application, uploaded_file=upload("log.txt", b"notes"), actor=national_admin)


def test_evidence_cannot_be_added_after_submission(lle_application, complete_draft, headteacher):
    submit(complete_draft(lle_application), actor=headteacher)
    with pytest.raises(DesignationError, match="Only the applicant can add evidence to a draft."):
        attach_evidence(lle_application, uploaded_file=upload("late.txt", b"notes"), actor=headteacher)


def test_evidence_cannot_be_filed_under_another_applications_criterion(lle_application, headteacher):
    other = ApplicationFactory(applicant=headteacher)
    result = lle_application.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    with pytest.raises(DesignationError, match="That criterion belongs to another application."):
        attach_evidence(
            other, uploaded_file=upload("log.txt", b"notes"), actor=headteacher, criterion_result=result
        )


def test_a_file_answers_an_evidence_criterion_for_submission(lle_application, complete_draft, headteacher):
    complete_draft(lle_application)
    evidence_result = lle_application.criterion_results.get(kind=CriterionCheck.EVIDENCE)
    evidence_result.applicant_response = ""
    evidence_result.save()
    attach_evidence(
        lle_application,
        uploaded_file=upload("log.pdf", PDF),
        actor=headteacher,
        criterion_result=evidence_result,
    )
    assert submit(lle_application, actor=headteacher).state == "awaiting_referee"


def test_evidence_is_visible_only_to_the_applicant_and_assessors(
    lle_application, headteacher, national_admin, outsider
):
    assert headteacher.has_perm("designations.view_evidence", lle_application)
    assert national_admin.has_perm("designations.view_evidence", lle_application)
    assert not outsider.has_perm("designations.view_evidence", lle_application)
