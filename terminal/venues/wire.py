"""Typed, path-aware reading of decoded venue JSON.

A venue reply that lacks a field or carries garbage must become a clear ``MalformedResponse``
naming where ("exchangeInfo.symbols[3].filters[0].tickSize is missing"), never a KeyError deep
in the UI. Decimals are parsed from the wire's strings exactly once, here.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from terminal.domain.decimals import DecimalParseError, parse_wire_decimal
from terminal.venues.errors import MalformedResponse

E = TypeVar("E", bound=StrEnum)


def malformed(path: str, problem: str) -> MalformedResponse:
    return MalformedResponse("", f"unexpected reply from the venue: {path} {problem}")


def as_list(data: object, path: str) -> list[object]:
    if not isinstance(data, list):
        raise malformed(path, f"should be a list, got {type(data).__name__}")
    return data


def as_decimal(value: object, path: str) -> Decimal:
    if isinstance(value, float):
        # JSON numbers decode as floats; their shortest repr is the digits the venue sent.
        value = repr(value)
    try:
        return parse_wire_decimal(value, path)
    except DecimalParseError as exc:
        raise malformed(path, f"is not a number ({exc})") from None


def as_int(value: object, path: str) -> int:
    if isinstance(value, bool):
        raise malformed(path, "should be an integer, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise malformed(path, f"should be an integer, got {value!r:.40}")


class WireObject:
    """One JSON object of a reply, with typed accessors that know their path."""

    __slots__ = ("path", "raw")

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise malformed(path, f"should be an object, got {type(data).__name__}")
        self.raw: Mapping[str, object] = data
        self.path = path

    @classmethod
    def items(cls, data: object, path: str) -> list[WireObject]:
        return [cls(item, f"{path}[{i}]") for i, item in enumerate(as_list(data, path))]

    def has(self, key: str) -> bool:
        return self.raw.get(key) is not None

    def _get(self, key: str) -> object:
        value = self.raw.get(key)
        if value is None:
            raise malformed(f"{self.path}.{key}", "is missing")
        return value

    def text(self, key: str) -> str:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise malformed(f"{self.path}.{key}", f"should be text, got {type(value).__name__}")
        return str(value)

    def opt_text(self, key: str, default: str = "") -> str:
        return self.text(key) if self.has(key) else default

    def decimal(self, key: str) -> Decimal:
        return as_decimal(self._get(key), f"{self.path}.{key}")

    def opt_decimal(self, key: str) -> Decimal | None:
        """A decimal that may be absent or blank ("" stands for "none" in several replies)."""
        value = self.raw.get(key)
        if value is None or value == "":
            return None
        return as_decimal(value, f"{self.path}.{key}")

    def integer(self, key: str) -> int:
        return as_int(self._get(key), f"{self.path}.{key}")

    def opt_integer(self, key: str, default: int = 0) -> int:
        value = self.raw.get(key)
        if value is None or value == "":
            return default
        return as_int(value, f"{self.path}.{key}")

    def flag(self, key: str, default: bool | None = None) -> bool:
        value = self.raw.get(key)
        if value is None:
            if default is None:
                raise malformed(f"{self.path}.{key}", "is missing")
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise malformed(f"{self.path}.{key}", f"should be true or false, got {value!r:.40}")

    def enum(self, key: str, kind: type[E]) -> E:
        value = self.text(key)
        try:
            return kind(value)
        except ValueError:
            raise malformed(f"{self.path}.{key}", f"has an unknown value {value!r:.40}") from None

    def obj(self, key: str) -> WireObject:
        return WireObject(self._get(key), f"{self.path}.{key}")

    def objects(self, key: str) -> list[WireObject]:
        value = self.raw.get(key)
        return [] if value is None else WireObject.items(value, f"{self.path}.{key}")
