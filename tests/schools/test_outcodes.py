"""Loading outward-code centroids from a CSV file."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from schools.models import OutwardCode

HEADER = "postcode,eastings,northings,latitude,longitude,town,region,uk_region,country,country_string\n"


def _write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "outcodes.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def _load(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_outcodes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_shipped_file_places_norwich(db):
    _load()

    nr2 = OutwardCode.objects.get(code="NR2")
    assert (nr2.town, nr2.easting, nr2.northing) == ("Norwich", 622300, 308700)
    assert OutwardCode.objects.count() > 2800


def test_loading_again_changes_nothing(db):
    _load()
    count = OutwardCode.objects.count()

    out, _ = _load()

    assert OutwardCode.objects.count() == count
    assert f"0 created, 0 updated, {count} unchanged" in out


def test_a_moved_centroid_is_updated(db, tmp_path):
    _load(_write(tmp_path, "NR2,621800,308500,52.6,1.28,Norwich,Norfolk,,,\n"))
    out, _ = _load(_write(tmp_path, "NR2,621900,308600,52.6,1.28,Norwich,Norfolk,,,\n"))

    assert "0 created, 1 updated" in out
    nr2 = OutwardCode.objects.get(code="NR2")
    assert (nr2.easting, nr2.northing, nr2.region) == (621900, 308600, "Norfolk")


def test_bad_rows_are_reported_and_skipped(db, tmp_path):
    path = _write(
        tmp_path,
        "NR1,623700,308400,,,Norwich,Norfolk,,,\n"
        "NR2,not-a-number,308500,,,Norwich,Norfolk,,,\n"
        ",621800,308500,,,Norwich,Norfolk,,,\n"
        "GY1,361100,-48888,,,St Peter Port,Guernsey,,,\n"
        "NR 99X,621800,308500,,,Norwich,Norfolk,,,\n",
    )

    out, err = _load(path)

    assert list(OutwardCode.objects.values_list("code", flat=True)) == ["NR1"]
    assert "1 created, 0 updated, 0 unchanged, 4 rejected" in out
    assert "line 3: eastings 'not-a-number' is not a number" in err
    assert "line 4: no outward code" in err
    assert "line 5: northings '-48888' is off the British National Grid" in err
    assert "line 6: 'NR 99X' is not an outward code" in err


def test_a_file_without_the_coordinate_columns_is_refused(db, tmp_path):
    path = _write(tmp_path, "NR1,Norwich\n", header="postcode,town\n")

    with pytest.raises(CommandError, match="no column eastings, northings"):
        _load(path)


def test_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _load(tmp_path / "absent.csv")


def test_a_file_that_is_not_utf8_is_refused(db, tmp_path):
    path = tmp_path / "outcodes.csv"
    path.write_bytes(HEADER.encode() + "NR1,623700,308400,,,Norwich \xff\xfe,Norfolk,,,\n".encode("cp1252"))

    with pytest.raises(CommandError, match="not a UTF-8 CSV file"):
        _load(path)
