"""The error examples of the errors page (apiguide/examples/errors.json), one per status."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .resources import EXAMPLES_DIR


@dataclass(frozen=True)
class ErrorExample:
    status: int
    when: str
    method: str
    path: str
    response: dict
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def response_json(self) -> str:
        return json.dumps(self.response, indent=2, ensure_ascii=False)


ERRORS: list[ErrorExample] = [
    ErrorExample(**error) for error in json.loads((EXAMPLES_DIR / "errors.json").read_text(encoding="utf-8"))
]
