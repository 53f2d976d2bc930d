"""The simulated market's participants on one symbol: a market maker quoting a ladder, and takers.

Agents only decide, in integer ticks and steps, what to send next; the simulator sends it through
the exchange. Every order they make respects the instrument's filters and the 10% price bands.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from terminal.demo.book import OrderBook
from terminal.demo.catalog import Listing
from terminal.demo.price_process import YEAR_MS
from terminal.domain.decimals import ceil_to, floor_to, mul
from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.orders import OrderRequest

LADDER_DEPTH = 30  # levels a side the maker keeps quoted
LADDER_SLACK = 8  # levels beyond that it tolerates before it cancels the deepest
GAP_PER_MOVE = 2.0  # ladder spacing, in standard deviations of the latent price's move between two actions
PULL_CHANCE = 0.15  # chance, per action, that the maker pulls a quote the price has come too close to
TAKER_SHARE = 0.75  # of the actions the maker's upkeep leaves free; the rest are the maker's refreshes
MARKET_SHARE = 0.65  # of the takers; the others send marketable limit IOC orders
BY_AMOUNT_SHARE = 0.25  # of market buys, sent as a quote amount
LARGE_CHANCE = 0.03  # of taker orders, several times the typical size
BATCH_SIZE = 20  # 004, "Create Multiple orders": "Upper Limit: 20 orders/batch"
LARGEST_TAKE = 10  # typical sizes: what one taker order may sweep leaves most of the ladder standing


def nice_gap(ticks: float) -> int:
    """The 1, 2, 5 x 10^k number of ticks nearest (in ratio) to ``ticks``; at least one tick."""
    if ticks <= 1:
        return 1
    power = int(10 ** math.floor(math.log10(ticks)))
    return min((m * power for m in (1, 2, 5, 10)), key=lambda c: abs(math.log(c / ticks)))


def _steps(qty: Decimal, step: Decimal) -> int:
    return int(ceil_to(qty, step) / step)


@dataclass(frozen=True, slots=True)
class Geometry:
    """One symbol in integer units: ticks and steps, the ladder's spacing, and every order limit."""

    symbol: str
    tick: Decimal
    step: Decimal
    gap: int  # ticks between two ladder levels
    half_spread: int  # ticks from the latent price to the maker's nearest wanted quote, at least
    typical: int  # steps of a typical taker order
    min_steps: int
    max_steps: int
    market_max_steps: int
    min_units: int  # smallest price x quantity of a limit order, in tick x step units
    max_units: int  # largest
    market_min_amount: Decimal
    market_max_amount: Decimal
    amount_step: Decimal
    buy_up: Decimal  # LIMIT_TRADING band rates (0: no band)
    sell_down: Decimal

    @classmethod
    def of(cls, listing: Listing, price_ticks: float, rate: float) -> Geometry:
        """``rate`` actions a second: the faster the market acts, the finer its ladder can follow the price."""
        inst = listing.instrument
        tick, step = inst.tick_size, inst.step_size
        unit = mul(tick, step)
        move = price_ticks * listing.annual_volatility * math.sqrt(1000 / (max(rate, 0.1) * YEAR_MS))
        gap = nice_gap(GAP_PER_MOVE * move)
        lot, amounts, notional = inst.lot_size, inst.trade_amount, inst.min_notional
        min_value = max(
            notional.min_notional if notional else Decimal(0),
            amounts.min_amount if amounts and amounts.min_amount else Decimal(0),
        )
        max_value = amounts.max_amount if amounts and amounts.max_amount else Decimal(10**18)
        market_max = lot.market_max_qty if lot.market_max_qty is not None else lot.max_qty
        band = inst.limit_trading
        return cls(
            symbol=inst.symbol,
            tick=tick,
            step=step,
            gap=gap,
            half_spread=max(1, gap // 2),
            typical=max(1, _steps(listing.typical_qty, step)),
            min_steps=max(1, _steps(lot.min_qty, step), _steps(lot.market_min_qty or lot.min_qty, step)),
            max_steps=int(floor_to(lot.max_qty, step) / step),
            market_max_steps=int(floor_to(market_max, step) / step),
            min_units=math.ceil(min_value / unit),
            max_units=math.floor(max_value / unit),
            market_min_amount=(amounts.market_min_amount or Decimal(0)) if amounts else Decimal(0),
            market_max_amount=(amounts.market_max_amount or max_value) if amounts else max_value,
            amount_step=inst.amount_step,
            buy_up=(band.buy_up_rate or Decimal(0)) if band else Decimal(0),
            sell_down=(band.sell_down_rate or Decimal(0)) if band else Decimal(0),
        )

    def price(self, ticks: int) -> Decimal:
        return Decimal(ticks) * self.tick

    def qty(self, steps: int) -> Decimal:
        return Decimal(steps) * self.step

    def ticks(self, price: Decimal) -> int:
        return int(price / self.tick)

    def fit(self, steps: int, ticks: int, *, market: bool = False) -> int:
        """``steps`` moved into every quantity and value limit at ``ticks``; 0 when none fits."""
        low = max(self.min_steps, -(-self.min_units // max(ticks, 1)))
        high = min(self.market_max_steps if market else self.max_steps, self.max_units // max(ticks, 1))
        return 0 if low > high else min(max(steps, low), high)


@dataclass(frozen=True, slots=True)
class Band:
    """The prices, in ticks, a buy may not exceed and a sell may not go below right now."""

    ceiling: float
    floor: float

    @classmethod
    def around(cls, reference: Decimal | None, geometry: Geometry) -> Band:
        if reference is None or reference <= 0:
            return cls(math.inf, 0.0)
        tick = geometry.tick
        ceiling = floor_to(mul(reference, 1 + geometry.buy_up), tick) / tick if geometry.buy_up else math.inf
        floor = ceil_to(mul(reference, 1 - geometry.sell_down), tick) / tick if geometry.sell_down else 0.0
        return cls(float(ceiling), float(floor))

    def allows(self, side: Side, ticks: int) -> bool:
        return ticks <= self.ceiling if side is Side.BUY else ticks >= self.floor

    def clamp(self, side: Side, ticks: int) -> int:
        if side is Side.BUY:
            return ticks if ticks <= self.ceiling else math.floor(self.ceiling)
        return ticks if ticks >= self.floor else math.ceil(self.floor)


@dataclass(frozen=True, slots=True)
class Post:
    """The maker puts limit-maker orders on ``side`` at ``levels`` (ticks): one, or a batch."""

    side: Side
    levels: tuple[int, ...]
    requests: tuple[OrderRequest, ...]


@dataclass(frozen=True, slots=True)
class Pull:
    """The maker cancels its order at ``ticks``."""

    side: Side
    ticks: int
    order_id: str


@dataclass(frozen=True, slots=True)
class Take:
    """A taker sends a market or marketable IOC order; ``informed`` when it trades on the latent price."""

    request: OrderRequest
    informed: bool = False


Intent = Post | Pull | Take


class Maker:
    """Keeps ``depth`` quotes a side on a grid of ``gap`` ticks around the latent price.

    Quotes stay where they are while the price wanders (the book does not flicker); the maker adds
    the levels the price opens up, top first, cancels the deepest beyond ``depth + slack``, pulls
    now and then a quote the price came too close to, and refills what takers consumed.
    """

    __slots__ = ("_levels", "_orders", "_rng", "_traded", "depth", "geometry", "slack")

    def __init__(
        self, geometry: Geometry, rng: random.Random, depth: int = LADDER_DEPTH, slack: int = LADDER_SLACK
    ) -> None:
        self.geometry = geometry
        self.depth = depth
        self.slack = slack
        self._rng = rng
        self._orders: dict[Side, dict[int, str]] = {Side.BUY: {}, Side.SELL: {}}  # level -> order id
        self._levels: dict[Side, list[int]] = {Side.BUY: [], Side.SELL: []}  # ascending
        self._traded = False

    def targets(self, p: float) -> tuple[int, int]:
        """The best bid and best ask the maker wants at latent price ``p`` (ticks)."""
        g, h = self.geometry.gap, self.geometry.half_spread
        return math.floor((p - h) / g) * g, math.ceil((p + h) / g) * g

    def quotes(self, side: Side) -> list[int]:
        """Levels (ticks, ascending) where the maker believes it has an order on ``side``."""
        return list(self._levels[side])

    def touch(self) -> None:
        """Something traded: some of the maker's orders may be gone."""
        self._traded = True

    def placed(self, side: Side, ticks: int, order_id: str) -> None:
        if ticks not in self._orders[side]:
            insort(self._levels[side], ticks)
        self._orders[side][ticks] = order_id

    def forget(self, side: Side, ticks: int) -> None:
        if self._orders[side].pop(ticks, None) is not None:
            levels = self._levels[side]
            del levels[bisect_left(levels, ticks)]

    def _live(self, side: Side, ticks: int, book: OrderBook) -> str | None:
        order_id = self._orders[side].get(ticks)
        if order_id is not None and book.get(order_id) is None:
            self.forget(side, ticks)
            return None
        return order_id

    def _prune(self, book: OrderBook) -> None:
        """Forget the orders takers consumed. By price priority they are always the maker's best ones."""
        for side in (Side.BUY, Side.SELL):
            levels = self._levels[side]
            while levels:
                best = levels[-1] if side is Side.BUY else levels[0]
                if self._live(side, best, book) is not None:
                    break

    def upkeep(self, p: float, book: OrderBook, band: Band) -> Intent | None:
        """The most urgent change to the ladder, if any."""
        if self._traded:
            self._prune(book)
            self._traded = False
        bid, ask = self.targets(p)
        return (
            self._pull_inside(Side.BUY, bid, p, book)
            or self._pull_inside(Side.SELL, ask, p, book)
            or self._fill_gap(bid, ask, book, band)
            or self._trim(Side.BUY, book)
            or self._trim(Side.SELL, book)
        )

    def _pull_inside(self, side: Side, target: int, p: float, book: OrderBook) -> Pull | None:
        levels = self._levels[side]
        while levels:
            best = levels[-1] if side is Side.BUY else levels[0]
            inside = best > target if side is Side.BUY else best < target
            if not inside:
                return None
            order_id = self._live(side, best, book)
            if order_id is None:
                continue
            wrong_side = best >= p if side is Side.BUY else best <= p
            if wrong_side or self._rng.random() < PULL_CHANCE:
                return Pull(side, best, order_id)
            return None
        return None

    def _fill_gap(self, bid: int, ask: int, book: OrderBook, band: Band) -> Post | None:
        """Post the missing wanted level nearest the touch (bids and asks alternately); a side that
        takers swept almost bare is rebuilt with one batch, as real makers do."""
        below, bids = self._first_gap(Side.BUY, bid, book, band)
        above, asks = self._first_gap(Side.SELL, ask, book, band)
        if below is None and above is None:
            return None
        if above is None or (below is not None and below <= above):
            side, top, index, count = Side.BUY, bid, below, bids
        else:
            side, top, index, count = Side.SELL, ask, above, asks
        assert index is not None
        if index == 0 and count < self.depth // 3:
            indices = list(islice(self._gaps(side, top, book, band), BATCH_SIZE))
        else:
            indices = [index]
        step = -self.geometry.gap if side is Side.BUY else self.geometry.gap
        orders = [(top + step * i, self._request(side, top + step * i, i)) for i in indices]
        chosen = [(level, request) for level, request in orders if request is not None]
        if not chosen:
            return None
        return Post(side, tuple(level for level, _ in chosen), tuple(request for _, request in chosen))

    def _first_gap(self, side: Side, top: int, book: OrderBook, band: Band) -> tuple[int | None, int]:
        """Index (0: the touch) of the first wanted level of ``side`` to post, and how many are quoted."""
        levels = self._levels[side]
        far = top + (self.depth - 1) * (-self.geometry.gap if side is Side.BUY else self.geometry.gap)
        low, high = (far, top) if side is Side.BUY else (top, far)
        count = bisect_right(levels, high) - bisect_left(levels, low)
        if count >= self.depth:
            return None, count  # all there: the common case, two binary searches
        return next(self._gaps(side, top, book, band), None), count

    def _gaps(self, side: Side, top: int, book: OrderBook, band: Band) -> Iterator[int]:
        """Indexes of the wanted levels of ``side`` without a quote that may be posted now, touch first."""
        orders = self._orders[side]
        step = -self.geometry.gap if side is Side.BUY else self.geometry.gap
        opposite = book.best_ask if side is Side.BUY else book.best_bid
        limit = self.geometry.ticks(opposite) if opposite is not None else None
        for i in range(self.depth):
            level = top + step * i
            if level <= 0:
                return
            if level in orders or not band.allows(side, level):
                continue
            if limit is not None and (level >= limit if side is Side.BUY else level <= limit):
                continue  # it would cross: informed traders clear that first
            yield i

    def _request(self, side: Side, ticks: int, index: int) -> OrderRequest | None:
        geometry = self.geometry
        rng = self._rng
        size = geometry.typical * rng.lognormvariate(-0.1, 0.5) * (1 + 0.08 * index)
        if rng.random() < 0.04:
            size *= rng.uniform(3, 6)  # now and then a wall
        steps = geometry.fit(max(1, round(size)), ticks)
        if not steps:
            return None
        return OrderRequest(
            geometry.symbol,
            side,
            OrderType.LIMIT_MAKER,
            quantity=geometry.qty(steps),
            price=geometry.price(ticks),
            time_in_force=TimeInForce.GTC,
        )

    def _trim(self, side: Side, book: OrderBook) -> Pull | None:
        levels = self._levels[side]
        while len(levels) > self.depth + self.slack:
            deepest = levels[0] if side is Side.BUY else levels[-1]
            order_id = self._live(side, deepest, book)
            if order_id is not None:
                return Pull(side, deepest, order_id)
        return None

    def refresh(self, book: OrderBook) -> Pull | None:
        """Cancel one quote at random (it is refilled, with a new size, by a later upkeep)."""
        side = Side.BUY if self._rng.random() < 0.5 else Side.SELL
        levels = self._levels[side]
        if not levels:
            return None
        ticks = levels[self._rng.randrange(len(levels))]
        order_id = self._live(side, ticks, book)
        return Pull(side, ticks, order_id) if order_id is not None else None


def informed_take(geometry: Geometry, p: float, book: OrderBook, band: Band) -> Take | None:
    """Trade against quotes on the wrong side of the latent price: how the book follows it."""
    best_ask = book.best_ask
    if best_ask is not None and geometry.ticks(best_ask) < p:
        return _sweep(geometry, book, Side.BUY, band.clamp(Side.BUY, math.floor(p)))
    best_bid = book.best_bid
    if best_bid is not None and geometry.ticks(best_bid) > p:
        return _sweep(geometry, book, Side.SELL, band.clamp(Side.SELL, math.ceil(p)))
    return None


def _sweep(geometry: Geometry, book: OrderBook, side: Side, limit: int) -> Take | None:
    price = geometry.price(limit)
    total = Decimal(0)
    for level, qty in book.levels(side.opposite, 64):
        if (level > price) if side is Side.BUY else (level < price):
            break
        total += qty
    steps = geometry.fit(int(total / geometry.step), limit)
    if not steps or not total:
        return None
    request = OrderRequest(
        geometry.symbol, side, OrderType.LIMIT, quantity=geometry.qty(steps), price=price, time_in_force=TimeInForce.IOC
    )
    return Take(request, informed=True)


def taker_size(geometry: Geometry, rng: random.Random) -> int:
    """Steps of one taker order: around the typical size, now and then several times it."""
    size = rng.lognormvariate(-0.15, 0.55)
    if rng.random() < LARGE_CHANCE:
        size *= rng.uniform(3, 8)
    return max(1, round(geometry.typical * min(size, LARGEST_TAKE)))


def noise_take(geometry: Geometry, rng: random.Random, p: float, book: OrderBook, band: Band) -> Take | None:
    """A trader arriving at random: a market order, or a limit IOC priced through the touch."""
    side = Side.BUY if rng.random() < 0.5 else Side.SELL
    steps = taker_size(geometry, rng)
    touch = book.best_ask if side is Side.BUY else book.best_bid
    touch_ticks = geometry.ticks(touch) if touch is not None else round(p)
    symbol = geometry.symbol
    if rng.random() < MARKET_SHARE:
        if side is Side.BUY and rng.random() < BY_AMOUNT_SHARE:
            amount = floor_to(geometry.qty(steps) * geometry.price(touch_ticks), geometry.amount_step)
            amount = min(max(amount, geometry.market_min_amount), geometry.market_max_amount)
            return Take(OrderRequest(symbol, side, OrderType.MARKET, amount=amount))
        steps = geometry.fit(steps, touch_ticks, market=True)
        return Take(OrderRequest(symbol, side, OrderType.MARKET, quantity=geometry.qty(steps))) if steps else None
    through = rng.randrange(3) * geometry.gap
    limit = band.clamp(side, touch_ticks + through if side is Side.BUY else touch_ticks - through)
    steps = geometry.fit(steps, limit)
    if not steps or limit <= 0:
        return None
    request = OrderRequest(
        symbol,
        side,
        OrderType.LIMIT,
        quantity=geometry.qty(steps),
        price=geometry.price(limit),
        time_in_force=TimeInForce.IOC,
    )
    return Take(request)


class Crowd:
    """Everyone trading one symbol, asked in turn what happens next."""

    __slots__ = ("_band", "geometry", "maker", "rng")

    def __init__(self, geometry: Geometry, maker: Maker, rng: random.Random) -> None:
        self.geometry = geometry
        self.maker = maker
        self.rng = rng
        self._band: tuple[Decimal | None, Band] = (None, Band.around(None, geometry))

    def next_intent(self, p: float, book: OrderBook, reference: Decimal | None) -> Intent | None:
        """Informed traders first (the price moved), then the maker's upkeep, else a random arrival."""
        geometry = self.geometry
        if reference != self._band[0]:  # the band moves only when the last price does
            self._band = (reference, Band.around(reference, geometry))
        band = self._band[1]
        intent = informed_take(geometry, p, book, band) or self.maker.upkeep(p, book, band)
        if intent is not None:
            return intent
        if self.rng.random() >= TAKER_SHARE:
            refresh = self.maker.refresh(book)
            if refresh is not None:
                return refresh
        return noise_take(geometry, self.rng, p, book, band)
