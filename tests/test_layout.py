"""The layout rules the project keeps (README, "Architecture"): the import layers are checked by
``lint-imports`` in ``make lint``; this checks what a linter does not."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VIEWS_MAX_LINES = 500


def views_modules() -> list[Path]:
    return sorted(
        path for path in ROOT.glob("*/views*.py") if not path.parts[-2].startswith((".", "node_modules"))
    ) + sorted(ROOT.glob("*/api/views*.py"))


def test_there_are_views_modules_to_check():
    assert len(views_modules()) > 10


@pytest.mark.parametrize("path", views_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_views_module_is_over_500_lines(path: Path):
    lines = len(path.read_text().splitlines())
    name = path.relative_to(ROOT)
    assert lines <= VIEWS_MAX_LINES, f"{name} has {lines} lines: split it by what the user does"
