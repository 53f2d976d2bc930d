"""Just enough protobuf to speak the quote gateway's messages (quote/api.proto of the SDK repository)."""

from __future__ import annotations

from collections.abc import Iterable


def varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def text(number: int, value: str) -> bytes:
    raw = value.encode()
    return varint(number << 3 | 2) + varint(len(raw)) + raw if raw else b""


def integer(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(value) if value else b""


def message(number: int, body: bytes) -> bytes:
    return varint(number << 3 | 2) + varint(len(body)) + body


def messages(number: int, bodies: Iterable[bytes]) -> bytes:
    return b"".join(message(number, body) for body in bodies)


Fields = dict[int, list[int | bytes]]


def decode(data: bytes) -> Fields:
    """Field number -> values (ints for varints, bytes for length-delimited fields)."""
    fields: Fields = {}
    pos = 0

    def read_varint() -> int:
        nonlocal pos
        shift = result = 0
        while True:
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return result

    while pos < len(data):
        key = read_varint()
        number, kind = key >> 3, key & 7
        value: int | bytes
        if kind == 0:
            value = read_varint()
        elif kind == 2:
            size = read_varint()
            value = data[pos : pos + size]
            pos += size
        elif kind == 1:
            value = int.from_bytes(data[pos : pos + 8], "little")
            pos += 8
        elif kind == 5:
            value = int.from_bytes(data[pos : pos + 4], "little")
            pos += 4
        else:
            raise ValueError(f"wire type {kind}")
        fields.setdefault(number, []).append(value)
    return fields


def strings(fields: Fields, number: int) -> list[str]:
    return [v.decode() for v in fields.get(number, []) if isinstance(v, bytes)]


def ints(fields: Fields, number: int) -> list[int]:
    """A repeated integer field, packed (proto3's default) or not."""
    out: list[int] = []
    for value in fields.get(number, []):
        if isinstance(value, int):
            out.append(value)
        else:
            out.extend(_unpack(value))
    return out


def _unpack(data: bytes) -> list[int]:
    out: list[int] = []
    shift = result = 0
    for byte in data:
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            out.append(result)
            shift = result = 0
    return out


def first_int(fields: Fields, number: int, default: int = 0) -> int:
    values = ints(fields, number)
    return values[0] if values else default


def first_message(fields: Fields, number: int) -> Fields:
    for value in fields.get(number, []):
        if isinstance(value, bytes):
            return decode(value)
    return {}
