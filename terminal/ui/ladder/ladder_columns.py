"""The ladder's columns, left to right, and where each one lies for a given width and font."""

from __future__ import annotations

from bisect import bisect_right
from enum import IntEnum
from itertools import pairwise

from terminal.domain.enums import Side


class Cell(IntEnum):
    OWN_BUY = 0
    BID_CUM = 1
    BID = 2
    PRICE = 3
    ASK = 4
    ASK_CUM = 5
    OWN_SELL = 6

    @property
    def side(self) -> Side | None:
        """The side a click in this column stands for (the price column has none)."""
        if self in (Cell.OWN_BUY, Cell.BID_CUM, Cell.BID):
            return Side.BUY
        if self in (Cell.ASK, Cell.ASK_CUM, Cell.OWN_SELL):
            return Side.SELL
        return None

    @property
    def is_own(self) -> bool:
        return self in (Cell.OWN_BUY, Cell.OWN_SELL)


HEADERS = ("My buys", "Σ bids", "Bids", "Price", "Asks", "Σ asks", "My sells")
CHARS = (10, 9, 10, 11, 10, 9, 10)  # digits each column needs ("0.00500 ×2" in the own columns)
CUMULATIVE = (Cell.BID_CUM, Cell.ASK_CUM)


class Columns:
    """Column edges in pixels, each column taking its share of the width. Too narrow for every
    column, the cumulative ones go first; narrower still, the rest shrink alike."""

    __slots__ = ("edges", "lefts", "widths")

    def __init__(self, width: int, digit: int) -> None:
        chars = list(CHARS)
        if width < sum(chars) * digit:
            for cell in CUMULATIVE:
                chars[cell] = 0
        total = sum(chars)
        self.edges: list[int] = [0]
        acc = 0
        for part in chars:
            acc += part
            self.edges.append(round(max(width, 1) * acc / total))
        self.lefts = self.edges[:-1]
        self.widths = [b - a for a, b in pairwise(self.edges)]

    @staticmethod
    def full_width(digit: int) -> int:
        return sum(CHARS) * digit

    @staticmethod
    def compact_width(digit: int) -> int:
        return (sum(CHARS) - sum(CHARS[cell] for cell in CUMULATIVE)) * digit

    def shows(self, cell: Cell) -> bool:
        return self.widths[cell] > 0

    def at(self, x: int) -> Cell | None:
        if x < 0 or x >= self.edges[-1]:
            return None
        return Cell(bisect_right(self.edges, x) - 1)

    def centre(self, cell: Cell) -> int:
        return self.lefts[cell] + self.widths[cell] // 2
