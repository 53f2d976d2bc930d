"""The official Deriv JSON Schemas of the calls the test server speaks: loaded and compiled once, then used
to judge every request received and every message sent."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

SCHEMA_DIR = Path(__file__).with_name("schemas")
METHODS: frozenset[str] = frozenset(path.name for path in SCHEMA_DIR.iterdir() if (path / "send.json").is_file())


@dataclass(frozen=True)
class MethodSchema:
    """One call's two schemas plus what its request schema says about authorization."""

    send: Draft4Validator
    receive: Draft4Validator
    auth_required: bool
    auth_scopes: tuple[str, ...]  # any one of them is enough
    sensitive: frozenset[str]  # request fields Deriv masks in echo_req


@dataclass(frozen=True)
class Problem:
    """One schema violation: where (a dotted path, or the offending property names) and what."""

    field: str
    message: str


@functools.cache
def schema_of(method: str) -> MethodSchema:
    send = _load(method, "send")
    receive = _load(method, "receive")
    properties: dict[str, Any] = send.get("properties", {})
    return MethodSchema(
        send=Draft4Validator(send),
        receive=Draft4Validator(receive),
        auth_required=bool(send.get("auth_required")),
        auth_scopes=tuple(send.get("auth_scopes", ())),
        sensitive=frozenset(name for name, spec in properties.items() if spec.get("sensitive")),
    )


def method_of(request: dict[str, Any]) -> str | None:
    """The request's method name: its top-level key that names a call (Deriv: the "API call method name")."""
    return next((key for key in request if key in METHODS), None)


def request_problems(method: str, request: dict[str, Any]) -> list[Problem]:
    return _problems(schema_of(method).send, request)


def message_problems(method: str, message: dict[str, Any]) -> list[Problem]:
    return _problems(schema_of(method).receive, message)


def _load(method: str, kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = orjson.loads((SCHEMA_DIR / method / f"{kind}.json").read_bytes())
    Draft4Validator.check_schema(schema)
    return schema


def _problems(validator: Draft4Validator, instance: dict[str, Any]) -> list[Problem]:
    problems = [Problem(_field(error), error.message) for error in validator.iter_errors(instance)]
    return sorted(problems, key=lambda problem: problem.field)


def _field(error: ValidationError) -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    names: list[str] = []
    # "required" and "additionalProperties" fail on the parent object; name the property itself.
    if error.validator == "required" and isinstance(error.instance, dict):
        names = [str(name) for name in error.validator_value if name not in error.instance]
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        names = [str(name) for name in error.instance if name not in known]
    if names:
        return ",".join(f"{path}.{name}" if path else name for name in names)
    return path or "(root)"
