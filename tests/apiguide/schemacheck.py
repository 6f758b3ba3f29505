"""Checks a worked example against the API's OpenAPI schema, strictly: an object may have only the
properties the schema names, so an example with a field the serializer lacks fails too."""

from __future__ import annotations

import jsonschema

from apiguide.schema import api_schema


def strict(node, components: dict):
    """``node`` with every $ref inlined, allOf merged, OpenAPI's ``nullable`` as JSON Schema and no
    properties beyond those named (for Draft 4, whose exclusiveMaximum is a flag, as in OpenAPI 3.0)."""
    if isinstance(node, list):
        return [strict(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return strict(components[node["$ref"].rsplit("/", 1)[1]], components)
    node = {key: strict(value, components) for key, value in node.items()}
    if "allOf" in node:
        merged = {key: value for key, value in node.items() if key != "allOf"}
        for part in node["allOf"]:
            for key, value in part.items():
                if key == "properties":
                    merged.setdefault("properties", {}).update(value)
                elif key == "required":
                    merged["required"] = [*merged.get("required", []), *value]
                else:
                    merged.setdefault(key, value)
        node = merged
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


def operation(path: str, method: str) -> dict:
    return api_schema()["paths"][path][method.lower()]


def _content_schema(content: dict) -> dict:
    for media_type in ("application/json", "application/problem+json", "multipart/form-data"):
        if media_type in content:
            return content[media_type]["schema"]
    raise AssertionError(f"no JSON content among {sorted(content)}")


def response_errors(path: str, method: str, status: int, body) -> list[str]:
    """Why ``body`` is not a valid ``status`` answer of the operation (empty when it is)."""
    responses = operation(path, method)["responses"]
    assert str(status) in responses, f"{method} {path} declares no {status}"
    return _errors(_content_schema(responses[str(status)]["content"]), body)


def request_errors(path: str, method: str, body) -> list[str]:
    request_body = operation(path, method).get("requestBody")
    assert request_body is not None, f"{method} {path} takes no body"
    return _errors(_content_schema(request_body["content"]), body)


def problem_errors(status: int, body) -> list[str]:
    component = "ConflictProblem" if status == 409 else "Problem"
    return _errors({"$ref": f"#/components/schemas/{component}"}, body)


def _errors(schema: dict, body) -> list[str]:
    resolved = strict(schema, api_schema()["components"]["schemas"])
    validator = jsonschema.Draft4Validator(resolved)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(body)
    ]
