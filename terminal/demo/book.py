"""One symbol's limit order book with price-time priority, built for many small changes per second.

Each side keeps its price levels in a sorted list of keys (binary search finds a level; a new level
costs one search and one memmove of the key list) and a dict from price to level. Each level is a
FIFO queue: a new order is appended in O(1). Removing an order by id marks it dead in O(1) and
subtracts it from the level's total; dead entries are dropped when they reach the front of the
queue, or all at once when they outnumber the live ones.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from terminal.domain.decimals import ZERO
from terminal.domain.enums import Side
from terminal.domain.market import Level


@dataclass(slots=True, eq=False)
class BookOrder:
    """A resting order as the book sees it; ``qty`` is what is left to fill."""

    order_id: str
    account_id: str
    side: Side
    price: Decimal
    qty: Decimal
    live: bool = True


@dataclass(slots=True, eq=False)
class _Level:
    price: Decimal
    queue: deque[BookOrder] = field(default_factory=deque)
    total: Decimal = ZERO
    live: int = 0

    def head(self) -> BookOrder:
        queue = self.queue
        while not queue[0].live:
            queue.popleft()
        return queue[0]

    def compact(self) -> None:
        if len(self.queue) > 2 * self.live + 16:
            self.queue = deque(order for order in self.queue if order.live)


@dataclass(slots=True)
class _Side:
    """Levels of one side; ``keys`` ascend, so the best level is always ``keys[0]``."""

    descending: bool  # bids: the best price is the highest, kept as key -price
    keys: list[Decimal] = field(default_factory=list)
    levels: dict[Decimal, _Level] = field(default_factory=dict)

    def key(self, price: Decimal) -> Decimal:
        return -price if self.descending else price

    def best(self) -> _Level | None:
        return self.levels[self.keys[0]] if self.keys else None

    def level_for(self, price: Decimal) -> _Level:
        key = self.key(price)
        level = self.levels.get(key)
        if level is None:
            level = self.levels[key] = _Level(price)
            insort(self.keys, key)
        return level

    def drop(self, level: _Level) -> None:
        key = self.key(level.price)
        del self.levels[key]
        del self.keys[bisect_left(self.keys, key)]

    def in_order(self) -> Iterator[_Level]:
        levels = self.levels
        for key in self.keys:
            yield levels[key]


class OrderBook:
    """Resting orders of one symbol, bids best (highest) first, asks best (lowest) first."""

    __slots__ = ("_asks", "_bids", "_index", "symbol")

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self._bids = _Side(descending=True)
        self._asks = _Side(descending=False)
        self._index: dict[str, BookOrder] = {}

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._index

    def get(self, order_id: str) -> BookOrder | None:
        return self._index.get(order_id)

    def add(self, order: BookOrder) -> None:
        """Queue ``order`` behind every order already resting at its price."""
        if order.order_id in self._index:
            raise ValueError(f"order {order.order_id} is already on the book")
        if order.qty <= 0:
            raise ValueError(f"order {order.order_id} has nothing left to rest")
        level = self._side(order.side).level_for(order.price)
        level.queue.append(order)
        level.total += order.qty
        level.live += 1
        self._index[order.order_id] = order

    def remove(self, order_id: str) -> BookOrder | None:
        """Take an order off the book; None if it is not resting."""
        order = self._index.pop(order_id, None)
        if order is None:
            return None
        order.live = False
        side = self._side(order.side)
        level = side.levels[side.key(order.price)]
        level.total -= order.qty
        level.live -= 1
        if level.live == 0:
            side.drop(level)
        else:
            level.compact()
        return order

    def fill(self, order: BookOrder, qty: Decimal) -> None:
        """Reduce a resting order by an executed ``qty``; a fully filled order leaves the book."""
        if qty <= 0 or qty > order.qty or not order.live:
            raise ValueError(f"cannot fill {qty} of order {order.order_id} with {order.qty} left")
        if qty == order.qty:
            self.remove(order.order_id)
            order.qty = ZERO
            return
        side = self._side(order.side)
        side.levels[side.key(order.price)].total -= qty
        order.qty -= qty

    def head(self, side: Side) -> BookOrder | None:
        """The order first in line on ``side``: earliest at the best price."""
        level = self._side(side).best()
        return level.head() if level else None

    def best_price(self, side: Side) -> Decimal | None:
        level = self._side(side).best()
        return level.price if level else None

    @property
    def best_bid(self) -> Decimal | None:
        return self.best_price(Side.BUY)

    @property
    def best_ask(self) -> Decimal | None:
        return self.best_price(Side.SELL)

    def orders(self, side: Side) -> Iterator[BookOrder]:
        """Live orders of ``side`` in priority order (price, then time). Do not change the book meanwhile."""
        for level in self._side(side).in_order():
            for order in level.queue:
                if order.live:
                    yield order

    def levels(self, side: Side, limit: int | None = None) -> list[Level]:
        """(price, total quantity) of the best ``limit`` levels of ``side``, best first."""
        out: list[Level] = []
        for level in self._side(side).in_order():
            if limit is not None and len(out) >= limit:
                break
            out.append((level.price, level.total))
        return out

    def depth(self, limit: int | None = None) -> tuple[list[Level], list[Level]]:
        """Bids and asks, each best first, at most ``limit`` levels a side."""
        return self.levels(Side.BUY, limit), self.levels(Side.SELL, limit)

    def _side(self, side: Side) -> _Side:
        return self._bids if side is Side.BUY else self._asks
