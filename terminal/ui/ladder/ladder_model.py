"""The ladder's render model: book, own orders and last trade as rows of a grouped price grid.

Built once per update, where the Decimal work happens; the view paints from it with none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from terminal.domain.book import OrderBook
from terminal.domain.decimals import decimals_of
from terminal.domain.enums import Side
from terminal.domain.market import PublicTrade
from terminal.domain.orders import Order

DEPTH_LEVELS = 200  # levels read from each side of a book (the venue's deepest depth topic)
MAX_GROUP = 1000


class PriceGrid:
    """Prices on the tick grid grouped by ``group`` ticks: row ``k`` stands for k x group x tick.

    Bids fall to the row at or below their price and asks rise to the row at or above, so a bid row
    always lies below an ask row. Prices are integers of 10**-places inside, for painting.
    """

    __slots__ = ("_texts", "group", "places", "tick", "unit")

    def __init__(self, tick: Decimal, group: int = 1) -> None:
        self.tick = tick
        self.group = max(1, min(group, MAX_GROUP))
        self.places = decimals_of(tick)
        self.unit = int(tick.scaleb(self.places)) * self.group  # one row, in 10**-places
        self._texts: dict[int, str] = {}

    def _ratio(self, price: Decimal) -> tuple[int, int]:
        numerator, denominator = price.as_integer_ratio()
        return numerator * 10**self.places, denominator * self.unit

    def bid_row(self, price: Decimal) -> int:
        numerator, denominator = self._ratio(price)
        return numerator // denominator

    def ask_row(self, price: Decimal) -> int:
        numerator, denominator = self._ratio(price)
        return -(-numerator // denominator)

    def row_of(self, side: Side, price: Decimal) -> int:
        return self.bid_row(price) if side is Side.BUY else self.ask_row(price)

    def price(self, row: int) -> Decimal:
        return Decimal(row * self.unit).scaleb(-self.places)

    def price_text(self, row: int) -> str:
        """The row's price with the tick's decimals, from integers only (cheap enough to paint)."""
        text = self._texts.get(row)
        if text is None:
            units = row * self.unit
            sign, units = ("-", -units) if units < 0 else ("", units)
            whole, fraction = divmod(units, 10**self.places)
            text = f"{sign}{whole}.{fraction:0{self.places}d}" if self.places else f"{sign}{whole}"
            if len(self._texts) > 4096:
                self._texts.clear()
            self._texts[row] = text
        return text


@dataclass(slots=True)
class LadderRow:
    """What one price row shows; quantities are summed over the row's group of ticks."""

    bid: Decimal | None = None
    ask: Decimal | None = None
    bid_cum: Decimal | None = None  # from the best bid down to this row
    ask_cum: Decimal | None = None  # from the best ask up to this row
    own_buy: Decimal | None = None
    own_sell: Decimal | None = None
    own_buy_ids: tuple[str, ...] = ()
    own_sell_ids: tuple[str, ...] = ()
    # Prepared for painting:
    bid_size: float = 0.0
    ask_size: float = 0.0
    bid_text: str = ""
    ask_text: str = ""
    bid_cum_text: str = ""
    ask_cum_text: str = ""
    own_buy_text: str = ""  # remaining size, and "×n" for n orders
    own_sell_text: str = ""
    own_buy_short: str = ""  # the size alone, for a column too narrow for the count
    own_sell_short: str = ""


@dataclass(slots=True)
class LadderModel:
    grid: PriceGrid
    size_places: int = 8
    rows: dict[int, LadderRow] = field(default_factory=dict)
    best_bid_row: int | None = None
    best_ask_row: int | None = None
    last_row: int | None = None
    bid_rows: int = 0  # rows holding bids
    ask_rows: int = 0
    spread_text: str = ""
    has_book: bool = False

    @property
    def mid_row(self) -> float | None:
        bid, ask = self.best_bid_row, self.best_ask_row
        if bid is not None and ask is not None:
            return (bid + ask) / 2
        one = bid if bid is not None else ask if ask is not None else self.last_row
        return None if one is None else float(one)

    def centre_row(self) -> int | None:
        """The row to centre on: midway between the best bid and ask (else the last trade)."""
        mid = self.mid_row
        return None if mid is None else int(mid // 1)

    def is_spread(self, row: int) -> bool:
        bid, ask = self.best_bid_row, self.best_ask_row
        return bid is not None and ask is not None and bid < row < ask


def _size_text(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}"


def build_model(
    grid: PriceGrid,
    step: Decimal,
    book: OrderBook | None,
    orders: Iterable[Order] = (),
    last: PublicTrade | None = None,
) -> LadderModel:
    places = decimals_of(step)
    model = LadderModel(grid, places, has_book=book is not None)
    rows = model.rows
    if book is not None:
        bids: dict[int, Decimal] = {}
        for price, qty in book.bids.top(DEPTH_LEVELS):
            row = grid.bid_row(price)
            bids[row] = bids.get(row, Decimal(0)) + qty
        asks: dict[int, Decimal] = {}
        for price, qty in book.asks.top(DEPTH_LEVELS):
            row = grid.ask_row(price)
            asks[row] = asks.get(row, Decimal(0)) + qty
        total = Decimal(0)
        for row, qty in sorted(bids.items(), reverse=True):
            total += qty
            rows[row] = LadderRow(
                bid=qty, bid_cum=total, bid_size=float(qty),
                bid_text=_size_text(qty, places), bid_cum_text=_size_text(total, places),
            )  # fmt: skip
        total = Decimal(0)
        for row, qty in sorted(asks.items()):
            total += qty
            line = rows.setdefault(row, LadderRow())
            line.ask, line.ask_cum, line.ask_size = qty, total, float(qty)
            line.ask_text, line.ask_cum_text = _size_text(qty, places), _size_text(total, places)
        model.bid_rows, model.ask_rows = len(bids), len(asks)
        model.best_bid_row = max(bids) if bids else None
        model.best_ask_row = min(asks) if asks else None
        if book.best_bid is not None and book.best_ask is not None:
            model.spread_text = f"{book.best_ask - book.best_bid:.{grid.places}f}"
    _add_own(model, orders)
    if last is not None:
        model.last_row = grid.row_of(last.aggressor.opposite, last.price)  # the row of the level it hit
    return model


def _add_own(model: LadderModel, orders: Iterable[Order]) -> None:
    own: dict[tuple[Side, int], tuple[Decimal, list[str]]] = {}
    for order in orders:
        remaining = order.remaining_qty
        if order.price is None or remaining <= 0:
            continue
        key = (order.side, model.grid.row_of(order.side, order.price))
        qty, ids = own.get(key, (Decimal(0), []))
        ids.append(order.client_order_id)
        own[key] = (qty + remaining, ids)
    for (side, row), (qty, ids) in own.items():
        line = model.rows.setdefault(row, LadderRow())
        short = _size_text(qty, model.size_places)
        text = f"{short} ×{len(ids)}" if len(ids) > 1 else short
        if side is Side.BUY:
            line.own_buy, line.own_buy_ids, line.own_buy_text, line.own_buy_short = qty, tuple(ids), text, short
        else:
            line.own_sell, line.own_sell_ids, line.own_sell_text, line.own_sell_short = qty, tuple(ids), text, short


@dataclass(frozen=True, slots=True)
class Window:
    """The rows on screen, top (highest price) first, and the size a full-width bar stands for."""

    top: int
    rows: tuple[LadderRow | None, ...]
    scale: float

    def bar(self, size: float) -> float:
        """Bar length as a fraction of its cell: proportional to the largest visible size."""
        return size / self.scale if self.scale > 0 else 0.0


def window(model: LadderModel, top: int, count: int) -> Window:
    rows = tuple(model.rows.get(top - i) for i in range(count))
    scale = max((max(r.bid_size, r.ask_size) for r in rows if r is not None), default=0.0)
    return Window(top, rows, scale)


def suggest_group(book: OrderBook, tick: Decimal, levels: int = 10) -> int:
    """Ticks per row so that nearby levels get a row each without a sea of empty rows between them:
    the smallest gap between adjacent top levels, rounded down to 1, 2 or 5 x 10^k ticks."""
    gaps: list[int] = []
    for side in (book.bids, book.asks):
        prices = [price for price, _ in side.top(levels)]
        gaps.extend(int(abs(a - b) / tick) for a, b in pairwise(prices))
    gap = min((g for g in gaps if g > 0), default=1)
    best = 1
    power = 1
    while power <= gap:
        for multiple in (1, 2, 5):
            if multiple * power <= gap:
                best = multiple * power
        power *= 10
    return min(best, MAX_GROUP)
