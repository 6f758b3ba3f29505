"""Field-level validation for designations: evidence files, and the ranges of numbers and dates."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from bounds import DateWindow, NumberRange

ALLOWED_KINDS = "PDF, DOCX, XLSX, PNG, JPG or TXT"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "txt": "text/plain",
}
EXTENSIONS = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "png": "png",
    "jpg": "jpg",
    "jpeg": "jpg",
    "txt": "txt",
}
SNIFF_BYTES = 8192


def evidence_max_bytes() -> int:
    return settings.EVIDENCE_MAX_BYTES


def validate_evidence_file(uploaded: UploadedFile) -> str:
    """Check an uploaded evidence file's size, extension and actual content; return its content type.

    The extension and the content must agree, so a program renamed to .pdf is refused.
    """
    if not uploaded.size:
        raise ValidationError("The selected file is empty.", code="empty")
    limit = evidence_max_bytes()
    if uploaded.size > limit:
        raise ValidationError(f"The selected file must be smaller than {_megabytes(limit)}.", code="too_big")
    extension = (uploaded.name or "").rsplit(".", 1)[-1].lower() if "." in (uploaded.name or "") else ""
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise ValidationError(f"The selected file must be a {ALLOWED_KINDS}.", code="wrong_type")
    if sniff(uploaded) != kind:
        raise ValidationError(
            f"The selected file’s content is not a {kind.upper()} file, although its name ends in "
            f".{extension}. Save it as a {ALLOWED_KINDS} and upload it again.",
            code="disguised_type",
        )
    return CONTENT_TYPES[kind]


def sniff(uploaded: UploadedFile) -> str | None:
    """The kind of file the content shows, whatever its name says."""
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(uploaded)
    if _is_text(head):
        return "txt"
    return None


def _office_kind(uploaded: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end in the middle of a multi-byte character.
        return error.start >= len(head) - 3
    return True


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:g}MB" if megabytes >= 1 else f"{size // 1024}KB"


# --- ranges of numbers and dates (run by full_clean(): forms, services and the API alike) -------

YEAR = 366
TERM_MONTHS = NumberRange("The term", 1, 120, 1, step_words="in whole months")
REVIEW_INTERVAL_MONTHS = NumberRange("The months between reviews", 1, 60, 1, step_words="in whole months")
LIST_POSITION = NumberRange("The position in the list", 0, 999, 1)
MIN_YEARS = NumberRange("The minimum number of years", 1, 40, 1, step_words="in whole years")
AVAILABILITY_DAYS = NumberRange("Days a week", 0, 5, "0.5")
# Rounds: opened at most a year ago (a round entirely in the past is refused in clean()), and
# planned no more than two years ahead.
ROUND_OPENS = DateWindow("The open date", days_before=YEAR, days_after=2 * YEAR)
ROUND_CLOSES = DateWindow("The close date", days_before=YEAR, days_after=3 * YEAR)
ROUND_LONGEST_DAYS = YEAR
# A post started in the last 50 years and ended by today.
POST_STARTED = DateWindow("The start date", days_before=50 * YEAR, days_after=0)
POST_ENDED = DateWindow("The end date", days_before=50 * YEAR, days_after=0)
DESIGNATED_ON = DateWindow("The designation date", days_before=30 * YEAR, days_after=0)
# Training counts when completed at most three years before the application or designation.
TRAINING_COMPLETED = DateWindow("The completion date", days_before=30 * YEAR, days_after=0)
TRAINING_VALID_DAYS = 3 * YEAR
REVIEW_DUE = DateWindow("The review date", days_before=30 * YEAR, days_after=5 * YEAR)
REVIEW_DONE = DateWindow("The date of the review", days_before=30 * YEAR, days_after=0)
