"""Validate a request or an answer against Deriv's official JSON Schemas (send.json / receive.json)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

SCHEMAS = Path(__file__).resolve().parents[2] / "support" / "deriv" / "schemas"


@functools.cache
def validator(method: str, kind: str) -> Draft4Validator:
    schema = json.loads((SCHEMAS / method / f"{kind}.json").read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def request_problems(method: str, request: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(method, "send").iter_errors(request)]


def answer_problems(method: str, answer: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(method, "receive").iter_errors(answer)]


def example(method: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / method / "example.json").read_text(encoding="utf-8"))
    return data
