"""The top of one symbol's book as the venue last sent it, with versions that never go backwards.

A venue's depth message carries the whole top of the book (004, depth topic), so applying one
replaces both sides. Levels arrive as text and are parsed to Decimal only when read: a ladder
reads a few dozen rows per frame while the stream may deliver thousands of messages a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cached_property

from terminal.domain.decimals import parse_wire_decimal
from terminal.domain.market import BookSnapshot, Level

RawLevel = Sequence[object]  # [price, quantity] as the wire has them (usually strings)


class BookSide:
    """One side of a book, best level first. Indexing parses (and caches) one level."""

    __slots__ = ("_parsed", "_raw")

    def __init__(self, raw: Sequence[RawLevel]) -> None:
        self._raw = raw
        self._parsed: list[Level | None] = []

    @classmethod
    def of(cls, levels: Sequence[Level]) -> BookSide:
        side = cls(levels)
        side._parsed = list(levels)
        return side

    def __len__(self) -> int:
        return len(self._raw)

    def __getitem__(self, index: int) -> Level:
        if index < 0:
            index += len(self._raw)
        if index >= len(self._parsed):
            self._parsed.extend([None] * (index + 1 - len(self._parsed)))
        level = self._parsed[index]
        if level is None:
            raw = self._raw[index]
            level = (parse_wire_decimal(raw[0], "price"), parse_wire_decimal(raw[1], "quantity"))
            self._parsed[index] = level
        return level

    def top(self, count: int) -> list[Level]:
        return [self[i] for i in range(min(count, len(self._raw)))]


def parse_version(version: str) -> tuple[int, ...] | None:
    """The venue's "v" ("538222447_18") as comparable numbers; None when it has another shape."""
    if not version:
        return None
    try:
        return tuple(int(part) for part in version.split("_"))
    except ValueError:
        return None


class OrderBook:
    """An immutable view of a book at one version."""

    __slots__ = ("__dict__", "asks", "bids", "symbol", "time_ms", "version")

    def __init__(self, symbol: str, bids: BookSide, asks: BookSide, time_ms: int, version: str = "") -> None:
        self.symbol = symbol
        self.bids = bids
        self.asks = asks
        self.time_ms = time_ms
        self.version = version

    @classmethod
    def from_snapshot(cls, snapshot: BookSnapshot) -> OrderBook:
        return cls(
            snapshot.symbol, BookSide.of(snapshot.bids), BookSide.of(snapshot.asks), snapshot.time_ms, snapshot.version
        )

    @cached_property
    def sequence(self) -> tuple[int, ...] | None:
        return parse_version(self.version)

    @property
    def best_bid(self) -> Decimal | None:
        return self.bids[0][0] if len(self.bids) else None

    @property
    def best_ask(self) -> Decimal | None:
        return self.asks[0][0] if len(self.asks) else None

    @property
    def mid(self) -> Decimal | None:
        bid, ask = self.best_bid, self.best_ask
        if bid is None or ask is None:
            return None
        return (bid + ask) / 2

    def is_newer_than(self, other: OrderBook | None) -> bool:
        """Whether this book should replace ``other``: a later version (or, lacking versions, time)."""
        if other is None:
            return True
        mine, theirs = self.sequence, other.sequence
        if mine is not None and theirs is not None:
            return mine > theirs
        return self.time_ms > other.time_ms

    def snapshot(self, depth: int) -> BookSnapshot:
        return BookSnapshot(
            self.symbol, tuple(self.bids.top(depth)), tuple(self.asks.top(depth)), self.time_ms, self.version
        )


class BookKeeper:
    """The current book of one symbol: accepts only books newer than the one it holds."""

    __slots__ = ("book", "dropped")

    def __init__(self) -> None:
        self.book: OrderBook | None = None
        self.dropped = 0  # out-of-order or duplicate books refused

    def apply(self, book: OrderBook) -> bool:
        if not book.is_newer_than(self.book):
            self.dropped += 1
            return False
        self.book = book
        return True

    def reset(self) -> None:
        """Forget the book (the link dropped): the next book is accepted whatever its version."""
        self.book = None
