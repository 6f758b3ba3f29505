"""The API's own OpenAPI schema, read by the guidance: each resource page lists its operations from
it, and the tests check the examples against it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@cache
def api_schema() -> dict:
    """The schema as /api/schema/ serves it (generated once per process)."""
    return SchemaGenerator().get_schema(request=None, public=True)


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    parameters: tuple[Parameter, ...]
    deprecated: bool = False


def operations_under(prefix: str) -> list[Operation]:
    """Every operation whose path starts with ``prefix``, in the schema's order."""
    operations = []
    for path, items in api_schema()["paths"].items():
        if not path.startswith(prefix):
            continue
        for method in METHODS:
            if method not in items:
                continue
            item = items[method]
            parameters = tuple(
                Parameter(p["name"], p.get("description", ""))
                for p in item.get("parameters", ())
                if p.get("in") == "query"
            )
            summary, deprecated = item.get("summary", ""), item.get("deprecated", False)
            operations.append(Operation(method.upper(), path, summary, parameters, deprecated))
    return operations
