"""Orders, fills and timeline entries as the journal stores them: every field exactly, read back strictly.

Decimals are written as plain strings (``to_plain``: exact, never a float), enums as their values,
None as null. The field list comes from the dataclasses themselves, so a field added to ``Order``
or ``Fill`` is journaled without touching this module; a row written before the field existed
reads back with the field's default. Anything that does not decode raises CodecError, and the
journal skips that row.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

import orjson

from terminal.domain.decimals import DecimalParseError, parse_decimal, to_plain
from terminal.domain.orders import Fill, Order


class CodecError(ValueError):
    """A stored row does not describe the object it should."""


class EntryKind(StrEnum):
    ACTION = "action"  # a user action: place, cancel, kill switch
    REQUEST = "request"
    RESPONSE = "response"
    EVENT = "event"  # a stream event about the user's orders
    NOTE = "note"  # the terminal's own conclusions: reconciliation, missing orders, risk confirmations


@dataclasses.dataclass(frozen=True, slots=True)
class JournalEntry:
    """One line of the timeline; ``data`` is a JSON object (may be empty)."""

    id: int
    time_ms: int
    kind: EntryKind
    text: str
    client_order_id: str
    data: Mapping[str, object]


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    base: type  # Decimal, str, int, bool or an Enum subclass
    optional: bool
    default: object  # dataclasses.MISSING when the field is required


_BASES = (Decimal, str, int, bool)


def _fields_of(cls: type) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    result = []
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        args = typing.get_args(hint) if isinstance(hint, types.UnionType) else ()
        optional = type(None) in args
        bases = [a for a in args if a is not type(None)] if args else [hint]
        base = bases[0]
        if len(bases) != 1 or not (base in _BASES or (isinstance(base, type) and issubclass(base, Enum))):
            raise TypeError(f"{cls.__name__}.{field.name}: the journal cannot store a {hint}")
        if field.default is not dataclasses.MISSING:
            default = field.default
        elif field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        else:
            default = dataclasses.MISSING
        result.append(_Field(field.name, base, optional, default))
    return tuple(result)


_ORDER_FIELDS = _fields_of(Order)
_FILL_FIELDS = _fields_of(Fill)


def _encode_value(value: object) -> object:
    if isinstance(value, Decimal):
        return to_plain(value)
    if isinstance(value, Enum):
        return value.value
    return value  # str, int, bool or None


def _encode(obj: object, fields: tuple[_Field, ...]) -> str:
    document = {f.name: _encode_value(getattr(obj, f.name)) for f in fields}
    try:
        return orjson.dumps(document).decode()
    except orjson.JSONEncodeError as error:  # a lone surrogate in a text, an integer beyond 64 bits
        raise CodecError(f"it cannot be written as JSON ({error})") from None


def _decode_value(field: _Field, raw: object) -> object:
    if raw is None:
        if field.optional:
            return None
        raise CodecError(f"{field.name} is null")
    base = field.base
    if base is Decimal:
        if not isinstance(raw, str):
            raise CodecError(f"{field.name} is not a decimal string")
        try:
            return parse_decimal(raw, field=field.name)
        except DecimalParseError as error:
            raise CodecError(str(error)) from None
    if issubclass(base, Enum):
        try:
            return base(raw)
        except (ValueError, TypeError):
            raise CodecError(f"{field.name} {raw!r} is not a {base.__name__}") from None
    if base is int and (isinstance(raw, bool) or not isinstance(raw, int)):
        raise CodecError(f"{field.name} is not an integer")
    if not isinstance(raw, base):
        raise CodecError(f"{field.name} is not a {base.__name__}")
    return raw


def _decode(text: str | bytes, fields: tuple[_Field, ...], what: str) -> dict[str, Any]:
    try:
        document = orjson.loads(text)
    except (orjson.JSONDecodeError, TypeError):
        raise CodecError(f"the {what} is not valid JSON") from None
    if not isinstance(document, dict):
        raise CodecError(f"the {what} is not a JSON object")
    values: dict[str, Any] = {}
    for field in fields:
        if field.name in document:
            values[field.name] = _decode_value(field, document[field.name])
        elif field.default is not dataclasses.MISSING:
            values[field.name] = field.default
        else:
            raise CodecError(f"the {what} has no {field.name}")
    return values  # keys of a newer version are ignored


def encode_order(order: Order) -> str:
    return _encode(order, _ORDER_FIELDS)


def decode_order(text: str | bytes) -> Order:
    """The order ``text`` describes; raises CodecError."""
    return Order(**_decode(text, _ORDER_FIELDS, "order"))


def encode_fill(fill: Fill) -> str:
    return _encode(fill, _FILL_FIELDS)


def decode_fill(text: str | bytes) -> Fill:
    """The fill ``text`` describes; raises CodecError."""
    return Fill(**_decode(text, _FILL_FIELDS, "fill"))


def _data_default(value: object) -> object:
    if isinstance(value, Decimal):
        return to_plain(value)
    return str(value)  # anything else as its text (credentials' text hides the secret)


def encode_data(data: Mapping[str, object] | None) -> str:
    """An entry's data as a JSON object; raises CodecError when it cannot be written."""
    if not data:
        return "{}"
    try:
        return orjson.dumps(dict(data), default=_data_default).decode()
    except (orjson.JSONEncodeError, TypeError) as error:
        raise CodecError(f"the entry's data cannot be written as JSON ({error})") from None


def decode_data(text: str | bytes) -> dict[str, object]:
    """An entry's data; raises CodecError when it is not a JSON object."""
    try:
        document = orjson.loads(text)
    except (orjson.JSONDecodeError, TypeError):
        raise CodecError("the entry's data is not valid JSON") from None
    if not isinstance(document, dict):
        raise CodecError("the entry's data is not a JSON object")
    return document


_KINDS: dict[object, EntryKind] = {kind.value: kind for kind in EntryKind}


def decode_entry(row: tuple[object, ...]) -> JournalEntry:
    """The entry a row of (id, time_ms, kind, client_order_id, text, data) describes; raises CodecError."""
    entry_id, time_ms, kind, client_order_id, text, data = row
    if not isinstance(entry_id, int) or not isinstance(time_ms, int):
        raise CodecError("its id or time is not an integer")
    if not isinstance(text, str) or not isinstance(client_order_id, str):
        raise CodecError("its text or order id is not text")
    if kind not in _KINDS:
        raise CodecError(f"{kind!r} is no kind of entry")
    if not isinstance(data, str | bytes):
        raise CodecError("the entry's data is not text")
    return JournalEntry(entry_id, time_ms, _KINDS[kind], text, client_order_id, decode_data(data))
