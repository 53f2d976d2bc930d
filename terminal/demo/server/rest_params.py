"""Request parameters: parsed from the raw query string and form body, read with the document's error codes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar
from urllib.parse import unquote_plus

from terminal.demo.queries import clamp_limit
from terminal.demo.server.rest_errors import api_error, illegal, missing
from terminal.domain.decimals import DecimalParseError, parse_decimal

E = TypeVar("E", bound=StrEnum)


def parse_pairs(raw: bytes) -> list[tuple[str, str]]:
    """``k1=v1&k2=v2`` (percent- and plus-decoded, UTF-8), in the order received."""
    out: list[tuple[str, str]] = []
    for segment in raw.split(b"&"):
        if not segment:
            continue
        name, _, value = segment.partition(b"=")
        out.append(
            (
                unquote_plus(name.decode("utf-8", "replace")),
                unquote_plus(value.decode("utf-8", "replace")),
            )
        )
    return out


class Params:
    """The parameters of one request by name; an empty value counts as absent.

    004, "General API Information": "If there are parameters in both query string and request body,
    only the parameters of query string will be used": a name in both is taken from the query.
    """

    def __init__(self, *sources: Iterable[tuple[str, str]]) -> None:
        self._values: dict[str, str] = {}
        for source in sources:  # earlier sources win: pass the query first
            for name, value in source:
                self._values.setdefault(name, value)

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def get(self, name: str) -> str | None:
        value = self._values.get(name)
        return value if value else None

    def text(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise missing(name)
        return value

    def decimal(self, name: str) -> Decimal:
        return _decimal(self.text(name), name)

    def opt_decimal(self, name: str) -> Decimal | None:
        value = self.get(name)
        return None if value is None else _decimal(value, name)

    def integer(self, name: str) -> int:
        value = self.opt_int(name)
        if value is None:
            raise missing(name)
        return value

    def opt_int(self, name: str) -> int | None:
        value = self.get(name)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise illegal(name) from None

    def limit(self, default: int, maximum: int, name: str = "limit") -> int:
        """A page size: the default when absent, at most ``maximum`` ("Will only return 200 results
        even if limit being set greater than 200")."""
        return clamp_limit(self.opt_int(name), default, maximum)

    def enum(self, name: str, kind: type[E], code: str) -> E:
        """A required enumerated value; an unknown one is answered with ``code`` (e.g. -1117 for side)."""
        value = self.text(name)
        try:
            return kind(value)
        except ValueError:
            raise _enum_error(code, name) from None

    def opt_enum(self, name: str, kind: type[E], code: str) -> E | None:
        return None if name not in self else self.enum(name, kind, code)

    def flag(self, name: str) -> bool:
        """A required boolean sent as "true" or "false" (any case)."""
        value = self.text(name).lower()
        if value not in ("true", "false"):
            raise illegal(name)
        return value == "true"

    def ids(self, name: str) -> list[str]:
        """A comma-separated list ("ids=1,2,3"), blanks dropped."""
        return [part.strip() for part in self.text(name).split(",") if part.strip()]


def _decimal(value: str, name: str) -> Decimal:
    try:
        return parse_decimal(value, field=name)
    except DecimalParseError:
        raise illegal(name) from None


def _enum_error(code: str, name: str) -> Exception:
    return illegal(name) if code == "-1130" else api_error(code)
